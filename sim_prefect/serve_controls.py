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
- `speed`: how many session seconds pass per real second while serving (the
  page offers 1, 60 and 3600). None: the mode decides (``real`` waits for real;
  ``fast`` and ``deterministic`` skip waits, so a schedule's next run comes at
  once). `real_wait` is how a real wait is made (``time.sleep``; the page
  gives its own, which lets messages in while Python waits).

With a real clock (``real`` mode, or a speed), the loop looks again at least
every `LOOK_EVERY` real seconds, so a Ctrl-C or a Stop is seen promptly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .clock import Clock, FastForwardClock, VirtualClock
from .clock import real_sleep

LOOK_EVERY = 1.0  # real seconds between looks while waiting in real time


@dataclass
class ServeControls:
    speed: float | None = None
    until: float | None = None
    stop_after_runs: int | None = None
    real_wait: Callable[[float], None] = real_sleep
    runs_served: int = 0  # flow runs a serving loop has seen to their end in this session
    serving_deployments: set[str] = field(default_factory=set)  # ids of the deployments being served now
    _stop_requested: bool = False
    _conditions: list[Callable[[], bool]] = field(default_factory=list)

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

    def next_look(self, clock: Clock) -> float | None:
        """The latest session time the loop should wait to before looking again (None: only when woken)."""
        looks: list[float] = []
        if self.until is not None:
            looks.append(self.until)
        if self.waits_for_real(clock):
            looks.append(clock.now() + LOOK_EVERY * (self.speed or 1.0))
        return min(looks) if looks else None

    def waits_for_real(self, clock: Clock) -> bool:
        return self.speed is not None or not isinstance(clock, (FastForwardClock, VirtualClock))

    @contextlib.contextmanager
    def paced(self, clock: Clock) -> Iterator[None]:
        """While serving (or waiting for input), a skipped wait takes `1/speed` of its time, for real."""
        speed = self.speed
        if speed is None or not isinstance(clock, (FastForwardClock, VirtualClock)) or clock.pace is not None:
            yield
            return
        wait = self.real_wait
        clock.pace = lambda seconds: wait(seconds / speed)
        try:
            yield
        finally:
            clock.pace = None


__all__ = ["LOOK_EVERY", "ServeControls"]
