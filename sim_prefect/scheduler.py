"""A tiny deterministic scheduler: concurrency without threads.

Pyodide has no threads, and tests want the same output every time, so submitted
task runs are not threads here. Each task run is a generator of *steps*: it
asks for the learner's function to be called (`CALL`, answered with an
`Outcome`), and then either ends or asks to wait, for a retry delay (`Sleep`)
or for other runs (`WaitFor`).
The scheduler runs whichever step is due first on the clock, like a single
CPU with cooperative multitasking:

- waits overlap: two submitted tasks that each wait 10 s finish after 10 s;
- work does not: steps run one at a time, in due-time order, ties in the order
  they were scheduled (so the output is deterministic).

A blocked caller (a flow body calling `future.result()`, or a direct task call)
drives the scheduler with `run_until(...)` until what it needs is done.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Protocol

from .clock import Clock


@dataclass(frozen=True)
class Sleep:
    """Resume this run after `seconds`."""

    seconds: float


@dataclass(frozen=True)
class WaitFor:
    """Resume this run once every item is done."""

    items: tuple[Waitable, ...]


class Waitable(Protocol):
    def done(self) -> bool: ...


class _Call:
    """Call the user's function once, now; the driver sends back its `Outcome`."""

    def __repr__(self) -> str:
        return "CALL"


CALL = _Call()


@dataclass(slots=True)
class Outcome:
    """What one call of the user's function did: returned `value`, or raised `error`."""

    value: Any = None
    error: BaseException | None = None


Step = Generator["Sleep | WaitFor | _Call", "Outcome | None", None]


class Job:
    """A generator of steps, how to call its function, and how to enter its context for each step."""

    def __init__(
        self,
        steps: Step,
        enter: Callable[[], Callable[[], None]] | None = None,
        call: Callable[[], Outcome] | None = None,
    ):
        self.steps = steps
        self.enter = enter
        self.call = call
        self.finished = False

    def advance(self) -> Sleep | WaitFor | None:
        leave = self.enter() if self.enter else None
        try:
            request = self.steps.send(None)
            while request is CALL:
                request = self.steps.send(self.call())  # type: ignore[misc]
            return request  # type: ignore[return-value]
        except StopIteration:
            self.finished = True
            return None
        finally:
            if leave:
                leave()


class Deadlock(RuntimeError):
    """Nothing can run, yet something is still being waited for."""


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._due: list[tuple[float, int, Job]] = []
        self._waiting: list[tuple[tuple[Waitable, ...], Job]] = []
        self._seq = itertools.count()

    def spawn(self, job: Job, delay: float = 0.0) -> None:
        heapq.heappush(self._due, (self.clock.now() + delay, next(self._seq), job))

    @property
    def idle(self) -> bool:
        return not self._due and not self._waiting

    def _wake_waiters(self) -> None:
        still: list[tuple[tuple[Waitable, ...], Job]] = []
        for items, job in self._waiting:
            if all(item.done() for item in items):
                self.spawn(job)
            else:
                still.append((items, job))
        self._waiting = still

    def run_one(self) -> None:
        due, _, job = heapq.heappop(self._due)
        wait = due - self.clock.now()
        if wait > 0:
            self.clock.sleep(wait)
        request = job.advance()
        if isinstance(request, Sleep):
            self.spawn(job, request.seconds)
        elif isinstance(request, WaitFor):
            self._waiting.append((request.items, job))
        self._wake_waiters()

    def run_now(self, job: Job, done: Callable[[], bool]) -> None:
        """Run `job` in the caller's place until `done()`: a direct call.

        With nothing else queued, its first step runs at once (no queue round
        trip); otherwise it takes its turn after what is already due, as a
        submitted run would.
        """
        if self._due or self._waiting:
            self.spawn(job)
        else:
            request = job.advance()
            if isinstance(request, Sleep):
                self.spawn(job, request.seconds)
            elif isinstance(request, WaitFor):
                self._waiting.append((request.items, job))
        self.run_until(done)

    def run_until(self, condition: Callable[[], bool], deadline: float | None = None) -> bool:
        """Run due steps until `condition()` holds; False if the clock reaches `deadline` first.

        With a deadline, a step due later than it is left for later, and the
        clock moves on to the deadline, as a wait with a timeout would.
        """
        while not condition():
            if not self._due:
                self._wake_waiters()
            if deadline is not None and (not self._due or self._due[0][0] > deadline):
                self.clock.sleep(deadline - self.clock.now())
                return condition()
            if not self._due:
                raise Deadlock("sim_prefect: waiting for runs that can never start")
            self.run_one()
        return True
