"""What a terminal or the page tells a serving process: when to stop, and how fast its clock runs meanwhile.

``flow.serve()`` runs until it is interrupted, as Prefect's does: Ctrl-C in a
terminal (KeyboardInterrupt), or the page's Stop. Every session has one
`ServeControls` (``session().serving``), which the serving loop (runner/)
and a paused flow waiting for input (flow_runs.py) consult:

- `stop()`: stop serving as Ctrl-C would (the page's Stop; any code in the
  session), at the loop's next look;
- `until` (a session time), `stop_after_runs` (runs served to their end) and
  `stop_when(condition)`: stop there by themselves, as a Ctrl-C at that
  moment would (for the page's "serve for an hour", and for tests);
- `speed`: how many session seconds pass per real second while serving or
  waiting for input. None: the mode decides (``real`` waits for real; ``fast``
  and ``deterministic`` skip waits, so a schedule's next run comes at once).
- `person_speed`: the page's speed control (1, 60 or 3600), for the waits a
  person takes part in when no `speed` is set: a serve that only a Stop ends
  (nothing set `until`, `stop_after_runs` or a condition) and a paused run. A
  serve with its own end still runs to it at once. It may change while Python
  waits (the page's control): each wait reads it afresh.
- `real_wait` is how a real wait is made (``time.sleep``; the page gives its
  own, which lets messages in while Python waits).
- `announce(what, details)`: told when serving starts ("serving") and stops
  ("stopped"), when a served run ends ("served"), and when a run pauses
  ("paused") or goes on ("unpaused"): the page shows a Serving status, its
  runs list and a paused run's form from these.

With a real clock (``real`` mode, or a speed), the loop looks again at least
every `LOOK_EVERY` real seconds, so a Ctrl-C or a Stop is seen promptly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, FastForwardClock, VirtualClock
from .clock import real_sleep

LOOK_EVERY = 1.0  # real seconds between looks while waiting in real time


@dataclass
class ServeControls:
    speed: float | None = None
    person_speed: float | None = None
    until: float | None = None
    stop_after_runs: int | None = None
    real_wait: Callable[[float], None] = real_sleep
    announce: Callable[[str, dict[str, Any]], None] = lambda what, details: None
    runs_served: int = 0  # flow runs a serving loop has seen to their end in this session
    serving_deployments: set[str] = field(default_factory=set)  # ids of the deployments being served now
    _stop_requested: bool = False
    _conditions: list[Callable[[], bool]] = field(default_factory=list)
    _pacing: Callable[[], float | None] | None = None  # the speed of the paced wait under way, read afresh

    def stop(self) -> None:
        """Stop serving, as Ctrl-C would, at the serving loop's next look."""
        self._stop_requested = True

    def stop_when(self, condition: Callable[[], bool]) -> None:
        """Stop serving once `condition()` holds (it is asked at each look)."""
        self._conditions.append(condition)

    def stopping(self, now: float) -> bool:
        return (
            self._stop_requested
            or (self.until is not None and now >= self.until)
            or (self.stop_after_runs is not None and self.runs_served >= self.stop_after_runs)
            or any(condition() for condition in self._conditions)
        )

    def endless(self) -> bool:
        """Only a stop ends serving: nothing set an end of its own."""
        return self.until is None and self.stop_after_runs is None and not self._conditions

    def next_look(self, clock: Clock) -> float | None:
        """The latest session time the loop should wait to before looking again (None: only when woken)."""
        looks: list[float] = []
        if self.until is not None:
            looks.append(self.until)
        if self.waits_for_real(clock):
            looks.append(clock.now() + LOOK_EVERY * (self._current_speed() or 1.0))
        return min(looks) if looks else None

    def waits_for_real(self, clock: Clock) -> bool:
        return self._current_speed() is not None or not isinstance(clock, (FastForwardClock, VirtualClock))

    def _current_speed(self) -> float | None:
        return self._pacing() if self._pacing is not None else self.speed

    @contextlib.contextmanager
    def paced(self, clock: Clock, *, for_a_person: bool = False) -> Iterator[None]:
        """While serving (or waiting for input), a skipped wait takes `1/speed` of its time, for real. A wait
        `for_a_person` (an endless serve, a pause) takes the page's `person_speed` where no `speed` is set."""

        def speed() -> float | None:
            return self.speed if self.speed is not None or not for_a_person else self.person_speed

        if speed() is None or not isinstance(clock, (FastForwardClock, VirtualClock)) or clock.pace is not None:
            yield
            return

        def pace(seconds: float) -> None:
            self.real_wait(seconds / (speed() or 1.0))

        clock.pace, self._pacing = pace, speed
        try:
            yield
        finally:
            clock.pace, self._pacing = None, None


__all__ = ["LOOK_EVERY", "ServeControls"]
