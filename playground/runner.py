"""Run a learner's snippet on sim_prefect and report everything as messages.

This is the Python half of the page's worker (web/worker.js is a thin pipe
that calls `run_json`), and it is the same code the tests run in CPython and in
Node's Pyodide. Everything the learner sees comes out of `emit`, in order:

``{"type": "stdout" | "stderr", "text": ...}``
    what the code printed (plain `print()` goes to stdout);
``{"type": "log", "level": ..., "text": ..., "segments": [[text, style], ...]}``
    one Prefect log line (text ends in a newline; segments carry Prefect's colours);
``{"type": "event", "event": {...}}``
    a run was created or changed state (drawn as the timeline);
``{"type": "notice", "text": ...}``
    something the page should say about the run itself (output capped).

The run's outcome is returned as a `RunResult`: errors are data, never
exceptions thrown across the boundary. Tracebacks show only the learner's
frames, with line numbers that match the editor.
"""

from __future__ import annotations

import builtins
import io
import json
import linecache
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sim_prefect
from sim_prefect.events import Event, LogEmitted, RunRecord
from sim_prefect.formatting import format_record, highlight
from sim_prefect.session import Mode
from sim_prefect.tracebacks import format_exception, innermost_user_line

Emit = Callable[[dict[str, Any]], None]

# After this many lines the output stops streaming; the run goes on and ends normally.
MAX_OUTPUT_LINES = 2000
_HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_UNAVAILABLE = (
    "input() cannot ask you for text here: this snippet runs without a keyboard. "
    "Put the value in the code instead, e.g. name = \"Ada\"."
)


@dataclass
class RunResult:
    ok: bool
    output: str
    error: dict[str, Any] | None = None
    runs: list[RunRecord] = field(default_factory=list)
    namespace: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "error": self.error}


@dataclass
class CheckResult:
    passed: bool
    message: str
    run: RunResult


class _Output:
    """Collects what the learner sees, streams it, and caps a flood."""

    def __init__(self, emit: Emit | None, max_lines: int) -> None:
        self.emit = emit
        self.max_lines = max_lines
        self.lines = 0
        self.capped = False
        self.parts: list[str] = []

    def send(self, message: dict[str, Any]) -> None:
        text = message.get("text", "")
        if message["type"] in ("stdout", "stderr", "log"):
            if self.capped:
                return
            self.lines += text.count("\n")
            if self.lines > self.max_lines:
                self.capped = True
                notice = (
                    f"Output stopped after {self.max_lines:,} lines; the rest of the run "
                    "continued without showing its output."
                )
                self.parts.append(f"[{notice}]\n")
                if self.emit:
                    self.emit({"type": "notice", "text": notice})
                return
            self.parts.append(text)
        if self.emit:
            self.emit(message)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Stream(io.TextIOBase):
    """A sys.stdout / sys.stderr stand-in that forwards each write as a message."""

    def __init__(self, kind: str, output: _Output) -> None:
        self.kind = kind
        self.output = output

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self.output.send({"type": self.kind, "text": text})
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


def _event_message(event: Event) -> dict[str, Any]:
    if isinstance(event, LogEmitted):
        line = format_record(event) + "\n"
        return {
            "type": "log",
            "level": event.level,
            "text": line,
            "segments": [list(seg) for seg in highlight(line)],
        }
    return {"type": "event", "event": event.to_dict()}


def _no_input(prompt: object = "") -> str:
    raise RuntimeError(INPUT_UNAVAILABLE)


def run(
    code: str,
    *,
    filename: str = "main.py",
    emit: Emit | None = None,
    mode: Mode = "deterministic",
    max_lines: int = MAX_OUTPUT_LINES,
) -> RunResult:
    """Run `code` as `__main__` on a fresh sim_prefect session."""
    session = sim_prefect.configure(mode, terminal=False)
    output = _Output(emit, max_lines)
    session.bus.subscribe(lambda event: output.send(_event_message(event)))
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": filename, "__builtins__": builtins}
    saved = sys.stdout, sys.stderr, builtins.input
    sys.stdout, sys.stderr = _Stream("stdout", output), _Stream("stderr", output)
    builtins.input = _no_input
    error: dict[str, Any] | None = None
    try:
        compiled = compile(code, filename, "exec")
        exec(compiled, namespace)
    except SyntaxError as exc:
        error = _describe(exc, filename, exc.lineno)
    except BaseException as exc:  # the learner's error is data, not our crash
        error = _describe(exc, filename, innermost_user_line(exc, filename))
    finally:
        sys.stdout, sys.stderr, builtins.input = saved
    if error is not None:
        output.send({"type": "stderr", "text": error["traceback"] + "\n"})
    return RunResult(
        ok=error is None,
        output=output.text,
        error=error,
        runs=session.state_log.runs,
        namespace=namespace,
    )


# What the page says after a failed import that learners make for a reason.
MISSING_MODULE_HINTS = {
    "prefect": (
        "Real Prefect cannot run in the browser. In these pages, import the stand-in instead: "
        "from sim_prefect import flow, task"
    ),
    "requests": (
        "The page has no network access, so requests is not available here. "
        "Simulate the call with a function, as the lesson's demos do."
    ),
}


def _describe(exc: BaseException, filename: str, line: int | None) -> dict[str, Any]:
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
        "interrupted": isinstance(exc, KeyboardInterrupt),
    }


def run_check(
    code: str, check_code: str, *, filename: str = "main.py", emit: Emit | None = None,
    mode: Mode = "deterministic",
) -> CheckResult:  # fmt: skip
    """Run the learner's code, then the exercise's `check(runs, output, namespace)`."""
    result = run(code, filename=filename, emit=emit, mode=mode)
    checker: dict[str, Any] = {"__name__": "exercise_check"}
    exec(compile(check_code, "check.py", "exec"), checker)
    try:
        message = checker["check"](result.runs, result.output, result.namespace)
    except AssertionError as exc:
        return CheckResult(False, str(exc) or "Not yet: the check did not pass.", result)
    except Exception as exc:  # a check that trips over unexpected learner code
        return CheckResult(False, f"The check could not finish: {type(exc).__name__}: {exc}", result)
    return CheckResult(True, str(message or "Well done: the check passed."), result)


# -- the worker's entry points: JSON strings across the JS boundary -------------------


def run_json(code: str, filename: str, emit_json: Callable[[str], None], mode: str = "fast") -> str:
    result = run(code, filename=filename, emit=lambda m: emit_json(json.dumps(m)), mode=mode)  # type: ignore[arg-type]
    return json.dumps(result.to_dict())


def check_json(
    code: str, check_code: str, filename: str, emit_json: Callable[[str], None], mode: str = "fast"
) -> str:
    outcome = run_check(
        code, check_code, filename=filename, emit=lambda m: emit_json(json.dumps(m)), mode=mode  # type: ignore[arg-type]
    )
    return json.dumps({**outcome.run.to_dict(), "passed": outcome.passed, "message": outcome.message})
