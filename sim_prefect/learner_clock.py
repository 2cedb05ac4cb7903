"""The learner's time: ``time.sleep`` and the clocks it reads, inside runs, on the session's clock.

In Prefect a task that calls ``time.sleep`` in a thread-pool worker lets the
other workers run: waits overlap. Here a run's ``time.sleep`` waits on the
session's scheduler, which runs what is due meanwhile (scheduler.py), in
every mode. Outside the ``real`` mode, ``time.time``, ``time.monotonic`` and
``time.perf_counter`` read the session's clock inside a run too, so that a
flow that measures its own waits sees them, although they were skipped.

`install()` puts these functions in the ``time`` module once, when
sim_prefect is imported. They are Prefect-faithful only where the learner's
code runs: outside any run, and in other threads (a test's browser driver,
say), they are the originals. The page's runner also sends the waits of code
outside runs to the clock (`patched_everywhere`). A module that did
``from time import sleep`` before sim_prefect was imported keeps the original
(PORT.yaml).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import current_run, timeouts
from .clock import VirtualClock
from .exceptions import CancelledError
from .session import Session, session

NAMES = ("sleep", "time", "monotonic", "perf_counter", "time_ns", "monotonic_ns", "perf_counter_ns")
ORIGINAL: dict[str, Callable[..., Any]] = {name: getattr(time, name) for name in NAMES}
# In deterministic mode the clock moves only when told: each reading moves it a little, so that a
# loop that waits for the clock to pass a time ends.
READ_COST = 1e-6
_everywhere = 0  # > 0 while the page's runner sends waits outside runs to the clock too


def _session_here() -> Session | None:
    """The session whose clock this code runs on, or None (outside runs, real time)."""
    if _everywhere or current_run.current() is not None:
        return session()
    return None


def sleep(seconds: float) -> None:
    """``time.sleep``: in a run, a wait on the scheduler (others run meanwhile); elsewhere the original."""
    s = _session_here()
    if s is None:
        ORIGINAL["sleep"](seconds)
        return
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds != seconds:  # NaN, as time.sleep refuses it
        raise ValueError("Invalid value NaN (not a number)")
    now = s.clock.now()
    deadline = timeouts.interrupting_deadline()
    if deadline is not None and deadline < now + seconds:
        # A timeout on the main thread interrupts the wait, as Prefect's alarm signal does.
        s.scheduler.sleep(max(0.0, deadline - now))
        raise CancelledError()
    s.scheduler.sleep(seconds)


def _reading(name: str, to_unit: Callable[[float], Any]) -> Callable[[], Any]:
    original = ORIGINAL[name]

    def read() -> Any:
        s = _session_here()
        if s is None or s.mode == "real":
            return original()
        clock = s.clock
        # A read by `logging` (a record's creation time) costs nothing: whether a handler is listening (pytest's,
        # say) must not move the times that a deterministic Run prints.
        if isinstance(clock, VirtualClock) and sys._getframe(1).f_globals.get("__name__") != "logging":
            clock.charge(READ_COST)
        return to_unit(clock.now())

    read.__name__ = read.__qualname__ = name
    read.__doc__ = original.__doc__
    return read


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)


REPLACEMENTS: dict[str, Callable[..., Any]] = {
    "sleep": sleep,
    "time": _reading("time", float),
    "monotonic": _reading("monotonic", float),
    "perf_counter": _reading("perf_counter", float),
    "time_ns": _reading("time_ns", _ns),
    "monotonic_ns": _reading("monotonic_ns", _ns),
    "perf_counter_ns": _reading("perf_counter_ns", _ns),
}
sleep.__doc__ = ORIGINAL["sleep"].__doc__


def install() -> None:
    """Put the learner's time in the ``time`` module (once; the originals stay in `ORIGINAL`)."""
    for name, fn in REPLACEMENTS.items():
        setattr(time, name, fn)


@contextmanager
def patched_everywhere() -> Iterator[None]:
    """Within the block, code outside runs waits and reads the time on the session's clock too (the page)."""
    global _everywhere
    install()  # again: the learner's previous Run may have put its own function there
    _everywhere += 1
    try:
        yield
    finally:
        _everywhere -= 1
        install()


__all__ = ["ORIGINAL", "install", "patched_everywhere", "sleep"]
