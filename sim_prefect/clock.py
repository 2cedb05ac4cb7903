"""Clocks: where sim_prefect's "now" comes from, and what a wait costs.

The engine never calls `time.time()` or `time.sleep()` itself; it asks the
clock it was given. Three clocks, one small interface (after time-machine's
`Traveller` and freezegun's clock factories, without their global patching):

- `SystemClock`: real time. A 10-second retry delay takes 10 seconds.
- `FastForwardClock`: real time, except that waits are skipped and added to an
  offset, so a 10-second retry finishes at once while the timestamps still
  show the 10 seconds passing. The browser uses it: `time.sleep` in Pyodide
  would freeze the worker.
- `VirtualClock`: fully simulated, for byte-identical output. Time starts at a
  fixed instant and moves only when the engine says so: by the waits, and by a
  fixed small cost for each engine step, so log timestamps look plausible.

A learner's own `time.sleep()` inside a run waits on the session's clock too,
as a retry delay does (learner_clock.py).
"""

from __future__ import annotations

import time
from time import sleep as _real_sleep  # taken before sim_prefect puts the learner's time in (learner_clock.py)
from time import time as _real_time
from collections.abc import Callable
from typing import Protocol

# The fixed start of deterministic runs: 2026-01-01 09:00:00 in local time, so
# the printed HH:MM:SS is the same in every time zone.
DETERMINISTIC_START = time.mktime((2026, 1, 1, 9, 0, 0, 0, 1, -1))


class Clock(Protocol):
    """What the engine needs from a clock."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (really, or by moving simulated time)."""
        ...

    def charge(self, seconds: float) -> None:
        """Account for engine work that real clocks measure by themselves."""
        ...


class SystemClock:
    """Real time, real waits."""

    def now(self) -> float:
        return _real_time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            _real_sleep(seconds)

    def charge(self, seconds: float) -> None:
        pass


# A skipped wait may still take some real time: `pace(seconds)` is called with the seconds a fast-forward or
# virtual clock skips, and waits as long as it likes (the page's speed factor while a flow is served: see
# serve_controls.py). None: skipped waits take no time at all.
Pace = Callable[[float], None]


class FastForwardClock:
    """Real time plus every wait so far: waits return at once (or after `pace`'s real wait)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.pace: Pace | None = None

    def now(self) -> float:
        return _real_time() + self.offset

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            if self.pace is not None:
                began = _real_time()
                self.pace(seconds)
                seconds = max(0.0, seconds - (_real_time() - began))  # the real time waited counts already
            self.offset += seconds

    def charge(self, seconds: float) -> None:
        pass


class VirtualClock:
    """Simulated time only, kept in integer microseconds so sums are exact."""

    def __init__(self, start: float = DETERMINISTIC_START) -> None:
        self._start_us = round(start * 1_000_000)
        self._elapsed_us = 0
        self.pace: Pace | None = None

    def now(self) -> float:
        return (self._start_us + self._elapsed_us) / 1_000_000

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            if self.pace is not None:
                self.pace(seconds)
            self._elapsed_us += round(seconds * 1_000_000)

    def charge(self, seconds: float) -> None:
        self.sleep(seconds)



def real_sleep(seconds: float) -> None:
    """Wait `seconds` of real time, whatever clock the session has (the page's pace while serving)."""
    if seconds > 0:
        _real_sleep(seconds)


__all__ = ["Clock", "DETERMINISTIC_START", "FastForwardClock", "Pace", "SystemClock", "VirtualClock", "real_sleep"]
