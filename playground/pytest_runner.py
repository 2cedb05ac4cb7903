"""Run a learner's test module with pytest, as ``pytest test_x.py`` does at home.

A runnable block whose directive says ``:runner: pytest`` is a test module:
its Run writes the code to a fresh folder, beside the files it imports from
the lesson (``files``), and runs pytest there with the options in `ARGS`,
under the same conditions as any Run (runner.py: a fresh sim_prefect session,
``import prefect`` served by sim_prefect, the page's streams and clock). What
pytest prints is the output. Prefect's log lines go to stderr, as in a
terminal, so pytest captures them and shows them under a failed test only.

pytest is not in the page's first download: its files come in a zip of their
own (lessonbuild/assets.py `pytest_zip`), which the page fetches the first
time such a block runs and hands to the worker, which unpacks it beside
playground before calling `run_pytest_json`.

For an exercise's check, the outcome's report carries each test's outcome
(pytest_plugin.py), read from pytest's reports, never from the text. At home,
``python -m playground.pytest_runner`` runs one Run from JSON on stdin: the
build's checks use it to run each version of the code under test in a fresh
interpreter, as the page runs each in a fresh worker, so that nothing a test
keeps between two runs (a counter, a flag) can tell them apart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sim_prefect.session import Mode

from .output import MAX_LINES
from . import checks, pytest_plugin
from .pytest_plugin import Recorder, TestOutcome
from .runner import CheckResult, RunResult, run

# The options of every pytest Run, in the page and in CPython, and of `make update-expected`
# (lessonbuild/demos.py, which adds TERMINAL_ARGS): quiet, as pytest prints by default less its
# header (which names the platform and folders), with a summary line for every test but those that
# passed with output to show (-rap: the page's learners see which tests ran); no cache folder; no configuration file of the
# folder's parents; the test module's folder as pytest's root; capture by sys.stdout/sys.stderr,
# which is all the page has. pytest_plugin.py is a plugin of every Run too: handed over as a
# module here, named with -p in a terminal.
ARGS = ("-q", "-rap", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", ".", "--capture", "sys")
TERMINAL_ARGS = (*ARGS, "-p", "playground.pytest_plugin")
# pytest's width and colours come from the environment: 80 columns, as in a pipe, and no colour.
ENVIRON = {"COLUMNS": "80", "PY_COLORS": "0"}
# pytest prints a failure's whole message in its summary when one of these says it runs on a CI
# machine; the page never does, so a Run's log must not depend on the host's.
NOT_SET = ("CI", "BUILD_NUMBER")


def pytest_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` as a pytest Run sees it: ENVIRON set, NOT_SET and pytest's own PYTEST_* settings gone."""
    kept = {k: v for k, v in environ.items() if k not in NOT_SET and not k.startswith("PYTEST_")}
    return {**kept, **ENVIRON}


@dataclass
class PytestResult:
    """A pytest Run: the Run itself (output, error, runs), pytest's exit code, its last line, and the tests."""

    run: RunResult
    exit_code: int | None
    summary: str
    tests: list[TestOutcome] = field(default_factory=list)

    @property
    def output(self) -> str:
        return self.run.output

    def report(self) -> dict[str, Any]:
        """The Run as data, for an exercise's check (checks.py)."""
        return {**self.run.report(), "tests": [t.to_dict() for t in self.tests], "exit_code": self.exit_code}


def run_pytest(
    code: str,
    *,
    filename: str = "test_main.py",
    files: dict[str, str] | None = None,
    post: Callable[[str], None] | None = None,
    mode: Mode = "deterministic",
    results: dict[str, str] | None = None,
    store: dict[str, Any] | None = None,
    max_lines: int = MAX_LINES,
) -> PytestResult:
    """Run the test module `code` (named `filename`) with pytest, beside `files` (name -> text)."""
    folder = tempfile.mkdtemp(prefix="run-")
    recorder = Recorder()
    done: dict[str, int] = {}
    before = set(sys.modules)

    def execute(source: str, name: str) -> None:
        import pytest  # from the zip the page unpacked for this Run; at home, the installed one

        for other, text in (files or {}).items():
            _write(folder, other, text)
        _write(folder, name, source)
        here, environ = os.getcwd(), dict(os.environ)
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(pytest_environ(environ))
        try:
            done["exit_code"] = int(pytest.main([*ARGS, name], plugins=[pytest_plugin, recorder]))
        finally:
            os.chdir(here)
            os.environ.clear()
            os.environ.update(environ)

    try:
        result = run(
            code, filename=filename, post=post, mode=mode, results=results, store=store, max_lines=max_lines,
            execute=execute,
        )  # fmt: skip
    finally:
        _forget(folder, before)
        shutil.rmtree(folder, ignore_errors=True)
    lines = [line for line in result.output.splitlines() if line.strip()]
    return PytestResult(result, done.get("exit_code"), _summary(lines[-1]) if lines else "", recorder.outcomes)


def _write(folder: str, name: str, text: str) -> None:
    if os.path.basename(name) != name or not name.endswith(".py"):
        raise ValueError(f"a Run's files are Python modules beside it; got {name!r}")
    with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
        handle.write(text)


def _forget(folder: str, before: set[str]) -> None:
    """Leave no trace of the folder's modules in this interpreter (CPython runs several Runs)."""
    for name in set(sys.modules) - before:
        path = getattr(sys.modules[name], "__file__", None) or ""
        if path.startswith(folder):
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.startswith(folder)]


def _summary(line: str) -> str:
    """pytest's last line without its rules: ``1 failed, 3 passed in 0.02s``."""
    return line.strip().strip("=").strip()


# -- the worker's entry point, and the build's ---------------------------------------------


def run_pytest_json(code: str, filename: str, post: Callable[[str], None], options_json: str = "{}") -> str:
    """One pytest Run for the page: as runner.run_json, with ``files`` (the modules the test imports
    from the lesson). The outcome adds ``tests``: pytest's exit code and last line."""
    options = json.loads(options_json)
    result = run_pytest(
        code, filename=filename, files=options.get("files"), post=post, mode=options.get("mode", "fast"),
        results=options.get("results"), store=options.get("store"),
    )  # fmt: skip
    outcome: dict[str, Any] = {**result.run.to_dict(), "tests": {"exit_code": result.exit_code, "summary": result.summary}}
    if options.get("report"):
        outcome["report"] = result.report()
    if result.run.store is not None:
        outcome["store"] = result.run.store.to_dict()
    outcome["flow_run_ids"] = [r.run_id for r in result.run.runs if r.kind == "flow"]
    return json.dumps(outcome, default=repr)


def check_pytest(
    code: str, check_code: str, *, starter: str, filename: str, files: dict[str, str], variants: dict[str, dict[str, str]],
    mode: Mode = "deterministic",
) -> CheckResult:  # fmt: skip
    """An exercise's check in CPython, as the page makes it: the learner's test module run with pytest
    on the code under test as the lesson gives it (`files`), then on each variant (the files it
    replaces), each in a fresh interpreter, and the reports judged together."""
    shipped = _in_fresh_interpreter(code, filename, files, mode)
    others = {name: _in_fresh_interpreter(code, filename, {**files, **replaced}, mode) for name, replaced in variants.items()}
    report = {**shipped["report"], "source": code, "variants": {name: other["report"] for name, other in others.items()}}
    verdict = checks.judge(check_code, checks.Attempt.from_report(report, starter))
    return CheckResult(verdict.passed, verdict.message, RunResult(shipped["ok"], shipped["output"], shipped["error"], source=code))


def _in_fresh_interpreter(code: str, filename: str, files: dict[str, str], mode: Mode) -> dict[str, Any]:
    request = json.dumps({"code": code, "filename": filename, "files": files, "mode": mode})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SIM_PREFECT_"))}
    done = subprocess.run(
        [sys.executable, "-m", "playground.pytest_runner"], input=request, capture_output=True, text=True, env=env,
        timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"a pytest Run failed to report:\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def main() -> None:
    """``python -m playground.pytest_runner``: {"code", "filename", "files", "mode"} on stdin; the
    output and the report as JSON on stdout."""
    request = json.load(sys.stdin)
    result = run_pytest(
        request["code"], filename=request["filename"], files=request.get("files"), mode=request.get("mode", "deterministic")
    )
    json.dump({"ok": result.run.ok, "output": result.output, "error": result.run.error, "report": result.report()}, sys.stdout)


if __name__ == "__main__":
    main()


__all__ = ["ARGS", "ENVIRON", "NOT_SET", "TERMINAL_ARGS", "PytestResult", "check_pytest", "main", "pytest_environ", "run_pytest", "run_pytest_json"]
