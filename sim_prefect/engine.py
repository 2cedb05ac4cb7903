"""What the task engine and the flow engine share: a run, its states and its logs.

Prefect keeps its engines in ``task_engine.py`` and ``flow_engine.py``; so do
we, over this small base. A run moves from state to state through small
handlers (`handle_success`, `handle_exception`, `handle_retry`,
`handle_timeout`, `handle_crash`), as in Prefect.

Each run is written once, as a generator of *steps* (`TaskRun.steps`,
`FlowRun.steps`): it yields `CALL` when the user's function must run once, and
`Sleep` or `WaitFor` when it must wait. A *driver* carries the steps out: the
scheduler for a synchronous run (which is how `.submit()` is concurrent without
threads), or a coroutine for an ``async def`` run (see `drive_async`). So the
sync and async engines do not repeat each other, as Prefect's do.

Every effect is an event (`RunCreated`, `StateChanged`, `LogEmitted`); the
engine never writes text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from . import _msgs, current_run, names
from .annotations import NotSet
from .run_events import RunCreated, StateChanged
from .futures import jobs_of
from .loggers import emit_log
from .scheduler import CALL, Outcome, Sleep, Step, WaitFor
from .session import STEP_COST, Session
from .store import RunRecord
from .states import EPOCH, TERMINAL_STATES, State, StateType, exception_to_crashed_state

ReturnType = Literal["result", "state"]
Steps = Step
UTC = timezone.utc
_ONE_MICROSECOND = timedelta(microseconds=1)

# Enum members and the template state as module globals: the hot path (a flow of
# 10,000 tasks) reads them often. `set_state` copies a template with its own
# timestamp, so one template serves every run.
COMPLETED, RUNNING, SCHEDULED = StateType.COMPLETED, StateType.RUNNING, StateType.SCHEDULED
PAUSED = StateType.PAUSED
PENDING = State(StateType.PENDING, "Pending", timestamp=EPOCH)


class Run:
    """What flow runs and task runs share: identity, name, state history, logging, and the outcome.

    The outcome is what the caller gets: `_return` (the function's return
    value) or `_raised` (the exception to raise), `NotSet` until the run ends.
    """

    kind: Literal["flow", "task"]
    flow_run_id: str | None = None
    log_prints: bool
    parameters: dict[str, Any]
    # A flow run's caller gets the result of a state its function returned; a task run's gets the state.
    unwraps_returned_states = False
    # In Prefect, a submitted task run (and all it calls) runs in a worker thread, where a timeout
    # cannot interrupt a wait; anything else runs on the main thread (timeouts.py).
    on_worker_thread = False
    _on_done: list[Callable[[], None]] | None = None  # see `when_done`

    def _begin(
        self, s: Session, owner: str, template: Any, parent_id: str | None, tracks: str | None = None
    ) -> None:
        """Give the run its identity and name, announce it, and put it in Pending."""
        self.session = s
        self._return: Any = NotSet
        self._raised: Any = NotSet
        self._args: tuple[Any, ...] = ()
        self._kwargs: dict[str, Any] = {}
        self.state: State = PENDING
        name = self._default_name(s) if template is None else self._custom_name(owner, template)
        self.id = s.new_id()
        self.name = name
        self.run_count = 0
        self.start_time: datetime | None = None
        self.end_time: datetime | None = None
        s.clock.charge(STEP_COST)
        self.created = datetime.fromtimestamp(s.now(), UTC)
        event = RunCreated(self.id, self.kind, name, owner, parent_id, s.now(), self.flow_run_id, tracks)
        self._describe(event)
        s.emit(event)
        self.set_state(PENDING)

    def _adopt(self, s: Session, record: RunRecord) -> None:
        """Take over a run the server made (a deployment's run): its identity, name and history so far,
        without announcing it again; its next state follows the last one it has."""
        self.session = s
        self._return = NotSet
        self._raised = NotSet
        self._args = ()
        self._kwargs = {}
        self.state = record.state or PENDING
        self.id = record.run_id
        self.name = record.name
        self.run_count = record.run_count
        self.start_time = record.start_time
        self.end_time = None
        self.created = datetime.fromtimestamp(record.created, UTC)

    def _describe(self, event: RunCreated) -> None:
        """Fill in what the server records of this kind of run (parameters, tags, inputs)."""

    def set_state(self, state: State) -> State:
        s = self.session
        s.clock.charge(STEP_COST)
        stamp = datetime.fromtimestamp(s.now(), UTC)
        # Every state's timestamp is unique and later than every state before it, in any run, as the order they
        # happened in: a coarse clock (the browser's, with a tenth of a millisecond at best) would give a subflow's
        # first task run the same instant as the subflow starting, and the run's own tick-up could put it before.
        last = max(self.state.timestamp, s.last_stamp)
        if stamp <= last:
            stamp = last + _ONE_MICROSECOND
        s.last_stamp = stamp
        state = State(
            state.type, state.name, state.message, stamp, state.data, state.scheduled_time,
            self.id, self.kind, self.flow_run_id,
        )  # fmt: skip
        if state.type is RUNNING:
            self.run_count += 1
            if self.start_time is None:
                self.start_time = stamp
        elif state.type in TERMINAL_STATES:
            self.end_time = stamp
        self.state = state
        s.emit(StateChanged(self.id, state))
        if self._on_done is not None and self.done():
            callbacks, self._on_done = self._on_done, None
            for callback in callbacks:
                callback()
        return state

    def _default_name(self, s: Session) -> str:
        """The name a run gets without a template (a generated one)."""
        raise NotImplementedError

    def _custom_name(self, owner: str, template: Any) -> str:
        """The name from ``flow_run_name=`` / ``task_run_name=``, resolved in the run's context."""
        if callable(template):
            self.name, self.id = owner, ""  # readable while the callable runs
        leave = self.enter()
        try:
            return names.resolve_custom_run_name(self.kind, template, self.parameters)
        finally:
            leave()

    def enter(self) -> Callable[[], None]:
        """Make this run the current one; returns the function that undoes it."""
        return current_run.enter(current_run.CurrentRun(self, self.log_prints))  # type: ignore[arg-type]

    def result(self, raise_on_failure: bool = True) -> Any:
        """What the caller gets: the return value, or the exception raised."""
        value = self._return
        if value is not NotSet and not (self.unwraps_returned_states and isinstance(value, State)):
            return value
        if self._raised is not NotSet:
            if raise_on_failure:
                raise self._raised
            return self._raised
        # A flow that returned states gives their result; a task that never ran (NotReady), None.
        return self.state.result(_sync=True) if self.unwraps_returned_states else None

    def record_state(self, state: State) -> None:
        """Record a state in the run's history, as Prefect's server would, without the run taking it."""
        current = self.state
        self.set_state(state)
        self.state = current

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call `callback()` once the run is done (a final state, or NotReady); now if it is."""
        if self.done():
            callback()
        else:
            self._on_done = [*(self._on_done or ()), callback]

    def log(self, level: int, message: str, exc: BaseException | None = None, traceback: str | None = None) -> None:
        emit_log(self, level, message, exc, traceback)

    def handle_crash(self, exc: BaseException) -> None:
        state = exception_to_crashed_state(exc)
        self.log(logging.ERROR, _msgs.CRASH_DETECTED.format(message=state.message))
        self.set_state(state)
        self._raised = exc

    def log_finished(self) -> None:
        # A task's end is INFO when it completed, ERROR otherwise; a flow's is always INFO.
        state = self.state
        level = logging.INFO if self.kind == "flow" or state.type is COMPLETED else logging.ERROR
        self.log(level, _msgs.FINISHED_IN_STATE.format(state=state))

    def done(self) -> bool:
        state = self.state
        return state.type in TERMINAL_STATES or state.name == "NotReady"

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.session.now(), UTC)


def drive(steps: Steps, call: Callable[[], Outcome], sleep: Callable[[float], None]) -> None:
    """Carry out a run's steps here and now (a flow run called from synchronous code)."""
    reply: Outcome | None = None
    while True:
        try:
            request = steps.send(reply)
        except StopIteration:
            return
        reply = None
        if request is CALL:
            reply = call()
        elif isinstance(request, Sleep):
            sleep(request.seconds)
        else:  # pragma: no cover - a flow's own steps never wait for futures
            raise RuntimeError(f"sim_prefect: unexpected step {request!r}")


async def drive_async(steps: Steps, call: Callable[[], Awaitable[Outcome]], session: Session) -> None:
    """Carry out a run's steps on the running event loop (an ``async def`` flow or task).

    The user's awaits are the only places where other coroutines get a turn, as
    in Prefect's async engines; waits use the loop's clock (see asyncutils.py).
    """
    reply: Outcome | None = None
    while True:
        try:
            request = steps.send(reply)
        except StopIteration:
            return
        reply = None
        if request is CALL:
            reply = await call()
        elif isinstance(request, Sleep):
            await asyncio.sleep(request.seconds)
        elif isinstance(request, WaitFor) and all(hasattr(item, "wait_async") for item in request.items):
            for item in request.items:  # concurrency slots: awaited, as Prefect's async engine awaits them
                await item.wait_async()  # type: ignore[attr-defined]
        elif isinstance(request, WaitFor):  # upstream futures: waiting blocks the loop, as in Prefect
            session.scheduler.run_until(lambda: all(item.done() for item in request.items), inline=jobs_of(request.items))


__all__ = ["Run", "ReturnType", "drive", "drive_async"]
