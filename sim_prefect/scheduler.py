"""A deterministic scheduler: Prefect's thread pool, one step at a time on the session's clock.

Each task run is a generator of *steps*: it asks for the learner's function
to be called (`CALL`, answered with an `Outcome`), and then either ends or
asks to wait, for a retry delay (`Sleep`) or for other runs (`WaitFor`). The
scheduler runs whichever step is due first on the clock, like a single CPU:

- waits overlap: two submitted tasks that each wait 10 s finish after 10 s;
- work does not: steps run one at a time, in due-time order, ties in the order
  they were scheduled, so the output is the same every time.

The learner's code also waits *inside* a step: ``time.sleep``, a future's
``result()``, a concurrency slot. Prefect's threads overlap those waits, and
so does the scheduler, with lanes (lanes.py): the waiting step's stack is
parked, and a *dispatcher* lane runs what is due meanwhile, until the clock
reaches the wake time or the condition holds. Exactly one lane runs at a
time, so nothing races. A caller that waits (`run_until`) runs the steps it
needs finished on its own stack, and parks for anything else, so a step that
waits inside never holds up a caller that could go on sooner.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .clock import Clock
from .lanes import Lane, Lanes, NoLanes


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


@dataclass(eq=False, slots=True)
class Blocked:
    """A lane parked until `condition()` holds or the clock reaches `deadline`."""

    lane: Lane
    condition: Callable[[], bool]
    deadline: float | None
    error: BaseException | None = None  # raised in the lane when it is resumed (a deadlock)


class Scheduler:
    """Runs job steps and parked lanes in due-time order, one at a time (see the module's docstring)."""

    def __init__(self, clock: Clock, lanes: Lanes | None = None) -> None:
        self.clock = clock
        self.lanes: Lanes = lanes if lanes is not None else NoLanes()
        # Due items: a job's next step, or a parked lane's deadline. Ties go in the order they came.
        self._due: list[tuple[float, int, Job | Blocked]] = []
        self._waiting: list[tuple[tuple[Waitable, ...], Job]] = []
        self._blocked: list[Blocked] = []  # lanes parked on a condition, the latest last
        self._seq = itertools.count()
        self._current: Lane | None = None  # the lane holding the baton (None: the first caller, not yet a lane)
        self._dispatcher: Lane | None = None  # the lane that runs due steps while the others wait
        self._idle: list[Lane] = []  # lanes with nothing to do, kept for the next dispatcher
        self._closing = False
        self._in_step = 0  # steps under way on the caller's stack (only counted without lanes)
        self._closer: Lane | None = None  # who closed the session (close())

    def spawn(self, job: Job, delay: float = 0.0) -> None:
        heapq.heappush(self._due, (self.clock.now() + delay, next(self._seq), job))

    @property
    def idle(self) -> bool:
        return not self._due and not self._waiting and not self._blocked

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

    # -- one step of one job ----------------------------------------------------------------
    def _take_turn(self, due: float, job: Job) -> None:
        """Advance `job` by one step, here, once its worker is free and its time has come."""
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
        self._in_step += 1
        try:
            request = job.advance()
        finally:
            self._in_step -= 1
        if isinstance(request, Sleep):
            self.spawn(job, request.seconds)
        elif isinstance(request, WaitFor):
            self._waiting.append((request.items, job))
        elif limit is not None:  # finished: its worker takes the next queued job
            limit.active -= 1
            if limit.queue:
                self.spawn(limit.queue.pop(0))
        self._wake_waiters()

    def run_one(self) -> None:
        due, _, item = heapq.heappop(self._due)
        if isinstance(item, Job):
            self._take_turn(due, item)

    # -- waiting ------------------------------------------------------------------------------
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
        self.run_until(done, inline=(job,))

    def sleep(self, seconds: float) -> None:
        """The caller waits `seconds` on the clock while due steps of others run (a learner's time.sleep).

        Without lanes, a step cannot stop in the middle: a wait inside one moves
        the clock on, and the others run after it.
        """
        if not self.lanes.available and self._in_step:
            self.clock.sleep(seconds)
            return
        self.run_until(_never, self.clock.now() + max(0.0, seconds))

    def run_until(
        self, condition: Callable[[], bool], deadline: float | None = None, inline: Iterable[Job] = ()
    ) -> bool:
        """Wait until `condition()` holds; False if the clock reaches `deadline` first.

        Meanwhile due steps run in order. The caller runs a step on its own
        stack only if it is one of `inline`, jobs that `condition` needs
        finished anyway (or if there are no other lanes): a step that waits
        inside the learner's code must not hold up a caller that could go on
        sooner. Any other step runs on the dispatcher's lane while this one is
        parked. With a deadline, the clock moves on to it, as a wait with a
        timeout would.
        """
        own = frozenset(inline) if deadline is None else frozenset()
        alone = not self.lanes.available
        while not condition():
            if not self._due:
                self._wake_waiters()
            due = self._head()
            if deadline is not None and (due is None or due[0] > deadline):
                self.clock.sleep(deadline - self.clock.now())
                return condition()
            if due is None:
                if alone or not self._blocked:
                    raise Deadlock("sim_prefect: waiting for runs that can never start")
            elif alone or (isinstance(due[2], Job) and due[2] in own and self._first_ready() is None):
                self.run_one()  # (a parked lane that may go on now goes first: the dispatcher resumes it)
                continue
            self._park(Blocked(self._lane(), condition, deadline))
            return condition()
        return True

    def _head(self) -> tuple[float, int, Job | Blocked] | None:
        """The next due item, past the deadlines of lanes that were resumed already."""
        due = self._due
        while due and isinstance(due[0][2], Blocked) and due[0][2] not in self._blocked:
            heapq.heappop(due)
        return due[0] if due else None

    # -- the baton ----------------------------------------------------------------------------
    @property
    def running_lane(self) -> Lane | None:
        """The lane holding the baton (None: the first caller, before it ever parked)."""
        return self._current

    def _lane(self) -> Lane:
        """The lane that holds the baton (the first caller becomes a lane when it first parks)."""
        if self._current is None:
            self._current = self.lanes.main()
        return self._current

    def _switch(self, to: Lane) -> None:
        """Hand the baton to `to`, and park until it comes back."""
        me = self._lane()
        self._current = to
        to.grant()
        me.wait()
        self._current = me

    def _park(self, blocked: Blocked) -> None:
        """Park the caller until the dispatcher finds `blocked` satisfied; raise its error, if any."""
        self._blocked.append(blocked)
        if blocked.deadline is not None:
            heapq.heappush(self._due, (blocked.deadline, next(self._seq), blocked))
        if self._dispatcher is None or self._dispatcher is blocked.lane:
            # The dispatcher itself waits (inside a step it was running): another takes over.
            self._dispatcher = self._idle.pop() if self._idle else self.lanes.spawn(self._dispatch)
        self._switch(self._dispatcher)
        if blocked.error is not None:
            raise blocked.error

    def _resume(self, blocked: Blocked) -> None:
        self._blocked.remove(blocked)
        self._switch(blocked.lane)

    def _dispatch(self, me: Lane) -> None:
        """A dispatcher lane's life: run due steps, and resume parked lanes when their time comes."""
        self._current = me
        self._run_dispatcher(me)
        # The session is over: the baton goes back to whoever closed it, and this lane ends.
        assert self._closer is not None
        self._current = self._closer
        self._closer.grant()

    def _run_dispatcher(self, me: Lane) -> None:
        while not self._closing:
            if self._dispatcher is not me:
                # A step I was running waited and another lane took over; it is done now: give
                # the baton back to the dispatcher, and wait to be needed again.
                self._idle.append(me)
                self._switch(self._dispatcher)  # type: ignore[arg-type]
                continue
            ready = self._first_ready()
            if ready is not None:
                self._resume(ready)
                continue
            if not self._due:
                self._wake_waiters()
            if not self._due:
                stuck = self._blocked[-1]  # nothing will ever happen: the latest waiter says so
                stuck.error = Deadlock("sim_prefect: waiting for runs that can never start")
                self._resume(stuck)
                continue
            due, _, item = heapq.heappop(self._due)
            if isinstance(item, Job):
                try:
                    self._take_turn(due, item)
                except BaseException:  # noqa: S110 - a run crashed in a "worker thread": it is Crashed and keeps
                    pass  # the exception, which its future raises to whoever waits for it, as Prefect's does
            elif item in self._blocked:  # a parked lane's deadline has come
                wait = due - self.clock.now()
                if wait > 0:
                    self.clock.sleep(wait)
                self._resume(item)

    def _first_ready(self) -> Blocked | None:
        """The latest parked lane that may go on: interrupted by a signal, or its condition holds."""
        for blocked in reversed(self._blocked):
            if getattr(blocked.lane, "interrupted", None) is not None or blocked.condition():
                return blocked
        return None

    def close(self) -> None:
        """The session is over: the idle lanes and the dispatcher end (their threads return, their stacks finish).

        The caller waits until each has ended, so that no parked stack of this
        session outlives it (Pyodide cannot change what Python reports, e.g. for a
        timeout's line events, while a stack is parked). A lane parked in the
        middle of a step stays parked: its run never ends, as a process's threads
        stop when it exits.
        """
        if self._closing:
            return
        self._closing = True
        ending = list(self._idle)
        if self._dispatcher is not None and self._dispatcher is not self._current:
            ending.append(self._dispatcher)
        self._idle, self._dispatcher = [], None
        if ending:
            self._closer = self._lane()
            for lane in ending:
                self._switch(lane)  # it ends, and hands the baton back


def _never() -> bool:
    return False
