"""What a pytest Run adds to pytest: its time on the session's clock, and each test's outcome as data.

Loaded with ``-p playground.pytest_plugin`` wherever the course runs a test
module: in the page, in CPython's tests, and when ``make update-expected``
records what ``pytest`` prints at home (lessonbuild/demos.py). Two things:

- **Time.** pytest prints how long the session took (``3 passed in 0.02s``).
  Outside sim_prefect's ``real`` mode that duration is read from the session's
  clock, as ``time.time()`` in a flow is: a retry delay that the page skips
  still counts, so a test that would wait 90 s at home says ``in 90.00s``, and
  the deterministic mode prints the same duration every time (an expected log
  is compared byte for byte).
- **Tracebacks.** A failed test's traceback keeps the frames of the test's
  folder (the test module and the modules beside it) and drops sim_prefect's,
  as the page's tracebacks show only the learner's frames (runner.py): under
  real Prefect, pytest would show Prefect's own frames between them.
- **Outcomes.** `Recorder` keeps one `TestOutcome` per test, for an exercise's
  check (checks.py). It reads pytest's own reports, not the text pytest prints,
  so printing ``1 passed`` cannot pass a check.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from sim_prefect.session import session

_timing_saved: dict[str, Any] = {}


def _session_seconds() -> float:
    return session().clock.now()


def pytest_configure(config: Any) -> None:
    """Off the real clock, pytest measures the session on sim_prefect's clock."""
    if session().mode == "real":
        return
    from _pytest import timing

    for name in ("perf_counter", "time"):
        _timing_saved.setdefault(name, getattr(timing, name))
        setattr(timing, name, _session_seconds)


def pytest_unconfigure(config: Any) -> None:
    from _pytest import timing

    for name, original in _timing_saved.items():
        setattr(timing, name, original)
    _timing_saved.clear()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Each test's traceback filter also drops the frames outside the test's folder (pytest's
    `_traceback_filter`, the one place pytest itself prunes its own frames; pytest is pinned)."""
    for item in items:
        folder = os.path.dirname(str(item.path)) + os.sep
        pytest_filter = item._traceback_filter

        def learners_frames(excinfo: Any, pytest_filter: Any = pytest_filter, folder: str = folder) -> Any:
            traceback = pytest_filter(excinfo)
            kept = traceback.filter(lambda entry: str(entry.path).startswith(folder))
            return kept if len(kept) else traceback

        item._traceback_filter = learners_frames


@dataclass
class TestOutcome:
    """One test as pytest reported it: ``passed``, ``failed`` or ``skipped`` (an expected failure is
    ``skipped`` with `xfail` set), in which phase (``setup``, ``call``, ``teardown``, ``collect``),
    and the first line of what went wrong."""

    __test__ = False  # not a test class, whatever pytest collects

    nodeid: str
    name: str
    outcome: str
    when: str
    xfail: bool = False
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestOutcome:
        return cls(**{k: data[k] for k in ("nodeid", "name", "outcome", "when", "xfail", "message") if k in data})


class Recorder:
    """A plugin object (``pytest.main(plugins=[recorder])``) that keeps each test's outcome: its call
    phase, or the setup or teardown phase that failed or skipped it; and each module that could not be
    collected."""

    def __init__(self) -> None:
        self.outcomes: list[TestOutcome] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when != "call" and report.outcome == "passed":
            return
        name = report.nodeid.rpartition("::")[2]
        self.outcomes.append(
            TestOutcome(report.nodeid, name, report.outcome, report.when, hasattr(report, "wasxfail"), _first_line(report))
        )

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.outcomes.append(TestOutcome(report.nodeid, report.nodeid, "failed", "collect", False, _first_line(report)))


def _first_line(report: Any) -> str:
    if report.outcome == "passed":
        return ""
    crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
    text = crash.message if crash is not None else str(getattr(report, "longrepr", "") or "")
    return text.strip().splitlines()[0] if text.strip() else ""


__all__ = ["Recorder", "TestOutcome", "pytest_configure", "pytest_unconfigure"]
