"""Run a learner's snippet on sim_prefect and report everything as messages.

This is the Python half of the page's worker (web/worker.js is a thin pipe that
calls `run_json` and `check_json`), and it is the same code the tests run in
CPython and in Node's Pyodide. A Run behaves as ``python main.py`` does at home,
as far as a page allows:

- the code runs as the ``__main__`` module, with ``import prefect`` served by
  sim_prefect (code from Prefect's documentation runs as it is);
- the page runs each Run in a fresh interpreter (see web/host.js); results that
  Prefect would store on disk are kept by the page and handed back to the next
  Run (`results`), as Prefect's storage outlives a process;
- ``input()`` explains why it cannot ask, and ``time.sleep()`` follows the
  session's clock, as retry delays do: skipped, while the timestamps show it.

What the learner sees comes out through one `Output` (output.py), in batches
of messages: ``stdout`` / ``stderr`` text (with colour segments when the text
has ANSI codes), ``log`` lines with Prefect's colours, ``event`` run and state
changes and artifacts for the timeline, ``result`` records to keep, and
``notice`` when the output was capped. The outcome is returned as data, never
as an exception thrown across the boundary. Tracebacks show only the
learner's frames, with line numbers that match the editor.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import json
import linecache
import os
import sys
import traceback
import types
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import sim_prefect
from sim_prefect import learner_clock
from sim_prefect.aliases import prefect_alias
from sim_prefect.run_events import ArtifactCreated, ArtifactUpdated, Event, LogEmitted, StateChanged
from sim_prefect.store import RunRecord, Store
from sim_prefect.formatting import format_record, highlight
from sim_prefect.results import MemoryStore
from sim_prefect.session import Mode, terminal_sink
from sim_prefect.tracebacks import format_exception, innermost_user_line

from . import artifacts, checks, serving
from .output import MAX_LINES, Output, OutputStream

_HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_UNAVAILABLE = (
    "input() cannot ask you for text here: this snippet runs without a keyboard. "
    "Put the value in the code instead, e.g. name = \"Ada\"."
)
# What the page says after a failed import that learners make for a reason.
MISSING_MODULE_HINTS = {
    "requests": (
        "The page has no network access, so requests is not available here. "
        "Simulate the call with a function, as the lesson's demos do."
    ),
}


@dataclass
class RunResult:
    ok: bool
    output: str
    error: dict[str, Any] | None = None
    runs: list[RunRecord] = field(default_factory=list)  # the runs this Run made
    artifacts: list[ArtifactCreated] = field(default_factory=list)
    source: str = ""
    store: Store | None = None  # the session's server afterwards: what it knew before, and this Run's records

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "error": self.error}

    def report(self) -> dict[str, Any]:
        """The Run as data, for an exercise's check (see checks.py)."""
        return {
            "runs": [r.to_dict() for r in self.runs],
            "output": self.output,
            "source": self.source,
            "artifacts": [a.to_dict() for a in self.artifacts],
            # What the server knew of deployments afterwards (their schedules and parameters), as the store keeps them.
            "deployments": [asdict(d) for d in self.store.deployments.values()] if self.store is not None else [],
        }


def _event_message(output: Output, log_lines: bool = True) -> Callable[[Event], None]:
    def send(event: Event) -> None:
        if isinstance(event, LogEmitted):
            if not log_lines:
                return
            line = format_record(event) + "\n"
            output.log({"type": "log", "level": event.level, "text": line, "segments": [list(s) for s in highlight(line)]})
        elif isinstance(event, (ArtifactCreated, ArtifactUpdated)):
            output.artifact(artifacts.view(event))
        else:
            # A run that starts running may compute for long without a word: show where it is first.
            starting = isinstance(event, StateChanged) and event.state.is_running()
            output.event(event.to_dict(), soon=starting)

    return send


def _no_input(prompt: object = "") -> str:
    raise RuntimeError(INPUT_UNAVAILABLE)


def run(
    code: str,
    *,
    filename: str = "main.py",
    post: Callable[[str], None] | None = None,
    mode: Mode = "deterministic",
    results: dict[str, str] | None = None,
    store: dict[str, Any] | None = None,
    max_lines: int = MAX_LINES,
    execute: Callable[[str, str], None] | None = None,
    speed: float | None = None,
) -> RunResult:
    """Run `code` as ``__main__`` on a fresh sim_prefect session.

    `post` receives the messages, a JSON list per batch. `results` are the
    stored result records the page kept from earlier Runs; each new one is
    posted as a ``result`` message. `execute(code, filename)` runs
    the code another way than as ``__main__`` (pytest_runner.py); then Prefect's
    log lines go to stderr, as in a terminal, where the runner's capture sees them.
    With `speed` (the page's), a Run that serves or pauses keeps going as at home (serving.py).
    """
    output = Output(post, max_lines=max_lines)
    records = MemoryStore(results, on_save=lambda key, record: output.message({"type": "result", "key": key, "record": record}))
    # The page's Python lives in a zip whose paths mean nothing to a learner: their frames only.
    session = sim_prefect.configure(
        mode, terminal=False, results=records, library_frames=False, store=Store.from_dict(store) if store else None
    )
    session.bus.subscribe(_event_message(output, log_lines=execute is None))
    serving.prepare(session, output, speed)
    if execute is not None:
        session.bus.subscribe(terminal_sink)
    known = session.store
    runs_before, artifacts_before = len(known.runs), len(known.artifacts)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    saved = sys.stdout, sys.stderr, builtins.input, sys.modules.get("__main__")
    saved_builtins = dict(builtins.__dict__)  # the code may patch them; the next Run must not see it
    sys.stdout, sys.stderr = OutputStream("stdout", output), OutputStream("stderr", output)
    builtins.input = _no_input
    sys.modules["__main__"] = main
    failure: BaseException | None = None
    # Pyodide runs the page's own event loop in this thread; at home `python main.py` has none,
    # and asyncio.run() must be able to start one.
    outer_loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    # Off the real clock, time.sleep anywhere in the code waits on the session's clock, as retry
    # delays do: skipped, while the timestamps and time.time() show it (learner_clock.py).
    clock = learner_clock.patched_everywhere() if mode != "real" else contextlib.nullcontext()
    try:
        with prefect_alias(), clock:
            if execute is None:
                exec(compile(code, filename, "exec"), main.__dict__)
            else:
                execute(code, filename)
    except BaseException as exc:  # the learner's error is data, not our crash
        failure = exc
    finally:
        # First put back what the code may have patched: describing its error needs builtins.
        asyncio.events._set_running_loop(outer_loop)
        builtins.__dict__.clear()
        builtins.__dict__.update(saved_builtins)
        sys.stdout, sys.stderr, builtins.input = saved[:3]
        if saved[3] is not None:
            sys.modules["__main__"] = saved[3]
    session.scheduler.close()  # the Run is over: its lanes end with it
    error: dict[str, Any] | None = None
    if isinstance(failure, SyntaxError):
        error = _describe(failure, filename, failure.lineno)
    elif failure is not None:
        error = _describe(failure, filename, innermost_user_line(failure, filename))
    if error is not None:
        output.text("stderr", error["traceback"] + "\n")
    output.flush()
    runs, made = known.runs[runs_before:], known.artifacts[artifacts_before:]
    return RunResult(error is None, output.shown, error, runs, made, code, known)


def _describe(exc: BaseException, filename: str, line: int | None) -> dict[str, Any]:
    """The learner's error as the page reads it. The page builds its own errors (a worker that
    failed, a stalled boot) with web/protocol.js's `errorOutcome`: the keys here are its
    ERROR_KEYS, in order (tests/node/test_protocol.py holds them equal)."""
    if isinstance(exc, SyntaxError):
        text = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    else:
        text = format_exception(exc, hidden=[_HERE])
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        hint = MISSING_MODULE_HINTS.get(exc.name.partition(".")[0])
        if hint:
            text = f"{text}\nHint: {hint}"
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "line": line,
        "traceback": text,
        "summary": summary(type(exc).__name__, exc.msg if isinstance(exc, SyntaxError) else str(exc), line),
        "interrupted": isinstance(exc, KeyboardInterrupt),
    }


SUMMARY_MAX_CHARS = 120


def summary(kind: str, message: str, line: int | None) -> str:
    """The one line the page's status shows for an error: ``ZeroDivisionError on line 2: division by zero``."""
    text = kind + (f" on line {line}" if line else "")
    first = message.strip().splitlines()[0] if message.strip() else ""
    if first:
        text += f": {first}"
    return text if len(text) <= SUMMARY_MAX_CHARS else text[: SUMMARY_MAX_CHARS - 1] + "…"


@dataclass
class CheckResult:
    passed: bool
    message: str
    run: RunResult


def run_check(code: str, check_code: str, *, starter: str = "", filename: str = "main.py",
              mode: Mode = "deterministic") -> CheckResult:  # fmt: skip
    """Run the learner's code, then judge it from its records (in the page, in another interpreter)."""
    result = run(code, filename=filename, mode=mode)
    verdict = checks.judge(check_code, checks.Attempt.from_report(result.report(), starter))
    return CheckResult(verdict.passed, verdict.message, result)


# -- the worker's entry points: JSON strings across the JS boundary -------------------


def warm_up(cli: bool = False) -> None:
    """Run warm_up.py as a learner's code would run (see that file), then forget it. With `cli` (the build's
    worker, before its memory snapshot), the page's terminal too: the CLI's modules are then in every
    worker's memory, so a command typed there does not import them first."""
    path = os.path.join(_HERE, "warm_up.py")
    with open(path, encoding="utf-8") as source:
        run(source.read(), filename="warm_up.py", mode="fast")
    linecache.cache.pop("warm_up.py", None)
    if cli:
        from . import terminal

        for line in ("prefect flow-run ls", "prefect variable ls", "prefect deployment ls", "prefect --help"):
            terminal.run_command(line)


def run_json(code: str, filename: str, post: Callable[[str], None], options_json: str = "{}") -> str:
    """One Run for the page. Options: ``mode``, ``results`` (records kept from earlier Runs),
    ``store`` (what the session's server knew after the last Run), ``speed`` (the pace of a serve
    that only Stop ends, and of a pause: serving.py), ``report`` (include the Run's
    records, for a check). The outcome carries the store afterwards, for the page to keep, and
    ``flow_run_ids``: the flow runs this Run made, in order (the ones its run view shows), those the
    server scheduled ahead for a deployment last."""
    options = json.loads(options_json)
    result = run(
        code, filename=filename, post=post, mode=options.get("mode", "fast"), results=options.get("results"),
        store=options.get("store"), speed=options.get("speed"),
    )  # fmt: skip
    outcome = result.to_dict()
    if options.get("report"):
        outcome["report"] = result.report()
    if result.store is not None:
        outcome["store"] = kept = result.store.to_dict()
        dropped = keep_newest(kept)
        if dropped and post is not None:
            post(json.dumps([{"type": "notice", "text": STORE_NOTICE.format(runs=KEPT_RUNS, logs=KEPT_LOGS, dropped=dropped)}]))
    made = [r for r in result.runs if r.kind == "flow"]
    outcome["flow_run_ids"] = [r.run_id for r in sorted(made, key=lambda r: bool(getattr(r, "auto_scheduled", False)))]
    return json.dumps(outcome, default=repr)


# What the page's server keeps between Runs: the newest runs and log lines, as a database that
# keeps what fits. Every Run hands the store over and back, so it must stay small enough to.
KEPT_RUNS = 5000
KEPT_LOGS = 10_000
KEPT_ARTIFACTS = 500
STORE_NOTICE = (
    "The page's server keeps the newest {runs} runs and {logs} log lines between Runs: "
    "it forgot {dropped} older flow runs, with their task runs and logs."
)


def keep_newest(data: dict[str, Any]) -> int:
    """Trim a store's JSON to the newest KEPT_* records, oldest finished flow runs first (each with its task
    runs, logs and artifacts); runs still waiting or going (a deployment's scheduled runs) stay. The number
    of flow runs forgotten."""
    runs, logs, artifacts = data.get("runs", []), data.get("logs", []), data.get("artifacts", [])
    if len(runs) <= KEPT_RUNS and len(logs) <= KEPT_LOGS and len(artifacts) <= KEPT_ARTIFACTS:
        return 0
    owner = {r["run_id"]: (r.get("flow_run_id") or r["run_id"]) for r in runs}
    size: dict[str, int] = {}
    for r in runs:
        size[owner[r["run_id"]]] = size.get(owner[r["run_id"]], 0) + 1
    log_count: dict[str, int] = {}
    for line in logs:
        group = owner.get(line.get("run_id") or "")
        if group:
            log_count[group] = log_count.get(group, 0) + 1
    gone: set[str] = set()
    total_runs, total_logs = len(runs), len(logs)
    for r in runs:  # oldest first
        if total_runs <= KEPT_RUNS and total_logs <= KEPT_LOGS:
            break
        states = r.get("states") or []
        if r["kind"] != "flow" or not states or not states[-1].get("final"):
            continue
        gone.add(r["run_id"])
        total_runs -= size.get(r["run_id"], 1)
        total_logs -= log_count.get(r["run_id"], 0)
    data["runs"] = [r for r in runs if owner[r["run_id"]] not in gone]
    data["logs"] = [line for line in logs if owner.get(line.get("run_id") or "") not in gone][-KEPT_LOGS:]
    data["artifacts"] = [
        a for a in artifacts if a.get("flow_run_id") not in gone and owner.get(a.get("task_run_id") or "") not in gone
    ][-KEPT_ARTIFACTS:]
    return len(gone)


def run_pytest_json(code: str, filename: str, post: Callable[[str], None], options_json: str = "{}") -> str:
    """One Run of a test module for the page, with pytest (pytest_runner.py: it imports this module)."""
    from .pytest_runner import run_pytest_json as run_tests

    return run_tests(code, filename, post, options_json)


check_json = checks.judge_json

__all__ = ["CheckResult", "RunResult", "check_json", "run", "run_check", "run_json", "run_pytest_json", "summary", "warm_up"]
