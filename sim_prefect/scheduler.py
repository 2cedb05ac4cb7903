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


class Limit:
    """At most `size` jobs under way at once (a task runner's ``max_workers``); the rest queue."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.active = 0
        self.queue: list[Job] = []


class Job:
    """A generator of steps, how to call its function, and how to enter its context for each step."""

    def __init__(
        self,
        steps: Step,
        enter: Callable[[], Callable[[], None]] | None = None,
        call: Callable[[], Any] | None = None,  # an Outcome, or a call that runs in steps
    ):
        self.steps = steps
        self.enter = enter
        self.call = call
        self.finished = False
        self.cancelled = False
        self.started = False
        self.limit: Limit | None = None
        self.pending: Any = None  # a call still in progress (an async task's AsyncCall)

    def advance(self) -> Sleep | WaitFor | None:
        leave = self.enter() if self.enter else None
        try:
            if self.pending is not None:
                reply = self._continue(self.pending)
                if isinstance(reply, Sleep):
                    return reply
                request = self.steps.send(reply)
            else:
                request = self.steps.send(None)
            while request is CALL:
                reply = self._continue(self.call())  # type: ignore[misc]
                if isinstance(reply, Sleep):
                    return reply
                request = self.steps.send(reply)
            return request  # type: ignore[return-value]
        except StopIteration:
            self.finished = True
            return None
        finally:
            if leave:
                leave()

    def _continue(self, call: Any) -> Outcome | Sleep:
        """An `Outcome`, or a call that runs in steps: take its next step (a `Sleep` while it waits)."""
        if isinstance(call, Outcome):
            self.pending = None
            return call
        reply = call.step()
        self.pending = call if isinstance(reply, Sleep) else None
        return reply  # type: ignore[no-any-return]


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

    def cancel(self, job: Job) -> None:
        """`job` will take no more turns (its run is being crashed)."""
        job.cancelled = True

    def run_one(self) -> None:
        due, _, job = heapq.heappop(self._due)
        if job.cancelled:
            return
        limit = job.limit
        if not job.started and limit is not None:
            if limit.active >= limit.size:  # no free worker: wait for one
                limit.queue.append(job)
                return
            limit.active += 1
        job.started = True
        wait = due - self.clock.now()
        if wait > 0:
            self.clock.sleep(wait)
        request = job.advance()
        if isinstance(request, Sleep):
            self.spawn(job, request.seconds)
        elif isinstance(request, WaitFor):
            self._waiting.append((request.items, job))
        elif limit is not None:  # finished: its worker takes the next queued job
            limit.active -= 1
            if limit.queue:
                self.spawn(limit.queue.pop(0))
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
