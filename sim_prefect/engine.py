"""The run engine: flow runs and task runs move from state to state.

This mirrors Prefect 3's ``task_engine.py`` and ``flow_engine.py`` in shape and
vocabulary: a run loops over attempts, and small handlers (`handle_success`,
`handle_exception`, `handle_retry`, `handle_timeout`, `handle_crash`) move its
state on. Unlike Prefect there is one engine, synchronous, and a task run is a
generator of steps driven by the `Scheduler` (see scheduler.py), which is how
`.submit()` can be concurrent without threads.

Every effect is an event (`RunCreated`, `StateChanged`, `LogEmitted`); the
engine never writes text.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Generator
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal

from . import _msgs, context, names
from .events import RunCreated, StateChanged
from .exceptions import CancelledError, FlowRunTimeoutError, TaskRunTimeoutError, UpstreamTaskError
from .loggers import emit_log, setup_logging
from .retries import retry_delay
from .scheduler import Job, Sleep, WaitFor
from .session import STEP_COST, Session, session
from .states import (
    AwaitingRetry,
    Cancelled,
    Completed,
    Crashed,
    Failed,
    Paused,
    Pending,
    Retrying,
    Running,
    State,
    StateType,
    is_state_iterable,
)
from .timeouts import Timeout

if TYPE_CHECKING:
    from .flows import Flow
    from .tasks import Task

ReturnType = Literal["result", "state"]
_NOTSET: Any = object()
_UTC = timezone.utc
_ONE_MICROSECOND = timedelta(microseconds=1)
# Prefect logs this traceback text when it reports a failure that is a returned
# state, not an exception: `exc_info=True` with no exception being handled.
NO_EXCEPTION = "NoneType: None"


class Run:
    """What flow runs and task runs share: identity, state history, logging."""

    kind: Literal["flow", "task"]
    flow_run_id: str | None = None
    _raised: Any  # the exception the caller gets, once the run has failed or crashed

    def _begin(self, s: Session, name: str, owner: str, parent_id: str | None, tracks: str | None = None) -> None:
        """Give the run its identity, announce it, and put it in Pending."""
        self.session = s
        self.id = s.new_id()
        self.name = name
        self.state: State = _NO_STATE
        self.run_count = 0
        s.clock.charge(STEP_COST)
        s.emit(RunCreated(self.id, self.kind, name, owner, parent_id, s.now(), self.flow_run_id, tracks))
        self.set_state(_PENDING)

    def set_state(self, state: State) -> State:
        s = self.session
        s.clock.charge(STEP_COST)
        stamp = datetime.fromtimestamp(s.now(), _UTC)
        last = self.state.timestamp
        if stamp <= last:  # keep every timestamp unique and increasing, as Prefect does
            stamp = last + _ONE_MICROSECOND
        state = State(
            state.type, state.name, state.message, stamp, state.data, state.scheduled_time,
            self.id, self.kind, self.flow_run_id,
        )  # fmt: skip
        if state.type is _RUNNING_TYPE:
            self.run_count += 1
        self.state = state
        s.emit(StateChanged(self.id, state))
        return state

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
        level = logging.INFO if self.kind == "flow" or state.type is _COMPLETED else logging.ERROR
        self.log(level, _msgs.FINISHED_IN_STATE.format(state=state))

    def done(self) -> bool:
        state = self.state
        return state.type in _FINAL or state.name == "NotReady"


# Enum members and template states as module globals: the hot path (a flow of
# 10,000 tasks) reads them often. `set_state` copies a template with its own
# timestamp, so one template serves every run.
_COMPLETED, _FAILED, _CRASHED, _CANCELLED = (
    StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED,
)  # fmt: skip
_RUNNING_TYPE, _SCHEDULED_TYPE = StateType.RUNNING, StateType.SCHEDULED
_FINAL = frozenset({_COMPLETED, _FAILED, _CRASHED, _CANCELLED})
_EPOCH = datetime.fromtimestamp(0, _UTC)
_NO_STATE = State(StateType.PENDING, "Pending", timestamp=_EPOCH)
_PENDING = State(StateType.PENDING, "Pending", timestamp=_EPOCH)
_RUNNING = State(StateType.RUNNING, "Running", timestamp=_EPOCH)
_RETRYING = State(StateType.RUNNING, "Retrying", timestamp=_EPOCH)


# -- states from outcomes (prefect.states) -------------------------------------------


def format_exception_short(exc: BaseException) -> str:
    """``ValueError: bad value``: the class name without its module, as Prefect writes it."""
    return f"{type(exc).__name__}: {exc}"


def exception_to_failed_state(exc: BaseException, prefix: str) -> State:
    return Failed(message=f"{prefix} {format_exception_short(exc)}", data=exc)


def exception_to_crashed_state(exc: BaseException) -> State:
    if isinstance(exc, CancelledError) or _is_asyncio_cancelled(exc):
        message = "Execution was cancelled by the runtime environment."
    elif isinstance(exc, KeyboardInterrupt):
        message = "Execution was aborted by an interrupt signal."
    elif isinstance(exc, SystemExit):
        message = "Execution was aborted by Python system exit call."
    else:
        message = _msgs.CRASH_MESSAGE.format(exc=format_exception_short(exc))
    return Crashed(message=message, data=exc)


def _is_asyncio_cancelled(exc: BaseException) -> bool:
    import sys

    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(exc, asyncio.CancelledError)


def return_value_to_state(value: Any) -> State:
    """A run's return value becomes its final state, as Prefect decides it."""
    if isinstance(value, State) and value.run_id is None:
        return value  # a state the user built, e.g. Cancelled(message=...)
    if not (isinstance(value, State) or is_state_iterable(value)):
        return State(_COMPLETED, "Completed", None, _EPOCH, value)
    states = [value] if isinstance(value, State) else list(value)
    total = len(states)
    counts = {t: 0 for t in StateType}
    for st in states:
        counts[st.type] += 1
    if counts[StateType.COMPLETED] == total:
        return Completed(message="All states completed.", data=value)
    if counts[StateType.CANCELLED]:
        return Cancelled(message=f"{counts[StateType.CANCELLED]}/{total} states cancelled.", data=value)
    if counts[StateType.PAUSED]:
        return Paused(message=f"{counts[StateType.PAUSED]}/{total} states paused.", data=value)
    failed = counts[StateType.FAILED] + counts[StateType.CRASHED]
    if failed:
        message = _msgs.STATES_FAILED.format(failed=failed, total=total)
    else:
        not_final = sum(1 for st in states if not st.is_final())
        message = f"{not_final}/{total} states are not final."
    return Failed(message=message, data=value)


# -- task runs ------------------------------------------------------------------------


class TaskRun(Run):
    kind = "task"

    def __init__(
        self,
        task: Task[Any],
        parameters: dict[str, Any],
        wait_for: list[Any] | None = None,
        submitted: bool = False,
    ) -> None:
        s = session()
        setup_logging()
        ctx = context.current()
        self.task = task
        self.flow_run = context.current_flow_run()
        self.flow_run_id = self.flow_run.id if self.flow_run is not None else None
        self.parameters = parameters
        self.tags = task.tags | context.current_tags()
        self.wait_for = wait_for
        self.submitted = submitted
        if task.log_prints is not None:
            self.log_prints = task.log_prints
        else:
            self.log_prints = bool(self.flow_run is not None and self.flow_run.log_prints)
        self.retries = 0
        self._raised: Any = _NOTSET
        self._return: Any = _NOTSET
        self._begin(s, self._make_name(s), task.name, ctx.run.id if ctx else None)
        if self.flow_run is not None:
            self.flow_run.children.append(self)

    def _make_name(self, s: Session) -> str:
        template = self.task.task_run_name
        if template is None:
            if self.flow_run is None:
                return self.task.name  # outside a flow: no suffix, as in Prefect
            return names.task_run_name(self.task.name, s.rng)
        if callable(template):
            self.name = self.task.name  # readable while the callable runs
            leave = context.enter(context.RunContext(self, self.log_prints))
            try:
                if "parameters" in inspect.signature(template).parameters:
                    name = template(parameters=self.parameters)
                else:
                    name = template()
            finally:
                leave()
            if not isinstance(name, str):
                raise TypeError(
                    f"Callable {template} for 'task_run_name' returned type "
                    f"{type(name).__name__} but a string is required."
                )
            return name
        return template.format(**self.parameters)

    def job(self) -> Job:
        # The scheduler enters the run's context before each step.
        return Job(self.steps(), enter=lambda: context.enter(context.RunContext(self, self.log_prints)))

    def steps(self) -> Generator[Sleep | WaitFor, None, None]:
        from .futures import PrefectFuture, collect_upstream, resolve_inputs

        upstream = collect_upstream(self.parameters, [])
        if self.wait_for:
            upstream = collect_upstream(self.wait_for, upstream)
        if upstream:
            futures = tuple(u for u in upstream if isinstance(u, PrefectFuture))
            if any(not f.done() for f in futures):
                yield WaitFor(futures)
            for item in upstream:
                state = item.state if isinstance(item, PrefectFuture) else item
                if state.type is not _COMPLETED:
                    self.handle_not_ready(state)
                    return
            parameters = resolve_inputs(self.parameters)
        else:
            parameters = self.parameters
        args, kwargs = self.task.split_parameters(parameters)

        self.set_state(_RUNNING)
        fn = self.task.fn
        timeout = self.task.timeout_seconds
        try:
            while True:
                if timeout is not None and self.submitted:  # Prefect warns on each attempt
                    self.log(logging.WARNING, _msgs.TIMEOUT_IN_WORKER_THREAD.format(timeout=timeout))
                try:
                    if timeout is None:
                        result = fn(*args, **kwargs)
                    else:
                        with Timeout(timeout, TaskRunTimeoutError, self.session.clock):
                            result = fn(*args, **kwargs)
                except TimeoutError as exc:
                    self.handle_timeout(exc)
                except Exception as exc:
                    self.handle_exception(exc)
                else:
                    self.handle_success(result)
                state = self.state
                if state.type is _SCHEDULED_TYPE:  # AwaitingRetry: wait, then Retrying
                    yield Sleep(max(0.0, (state.scheduled_time - state.timestamp).total_seconds()))  # type: ignore[operator]
                    self.set_state(_RETRYING)
                elif state.type is not _RUNNING_TYPE:  # final; Retrying loops again
                    break
        except BaseException as exc:
            if isinstance(exc, GeneratorExit):
                raise
            self.handle_crash(exc)
            self.log_finished()
            raise
        self.log_finished()

    # -- handlers, after Prefect's SyncTaskRunEngine -------------------------------------
    def handle_success(self, result: Any) -> None:
        if isinstance(result, State) and result.is_failed() and self.handle_retry(result):
            return
        state = self.set_state(return_value_to_state(result))
        # A returned state *becomes* the run's state in Prefect (the same object, now
        # carrying the run's id), so the caller gets it back as the run's state.
        self._return = state if isinstance(result, State) and result.run_id is None else result

    def can_retry(self, exc_or_state: BaseException | State) -> bool:
        condition = self.task.retry_condition_fn
        state = (
            exc_or_state
            if isinstance(exc_or_state, State)
            else Failed(data=exc_or_state, message=_msgs.TASK_UNEXPECTED_EXCEPTION.format(exc=exc_or_state))
        )
        try:
            if inspect.isfunction(condition):
                return bool(condition(self.task, self, state))
            return not condition  # no condition: retry; a non-function object: Prefect does not retry
        except Exception as exc:
            self.log(
                logging.ERROR,
                _msgs.RETRY_CONDITION_ERROR.format(condition=condition, task=self.task.name),
                exc=exc,
            )
            return False

    def handle_retry(self, exc_or_state: BaseException | State) -> bool:
        kind = "exception" if isinstance(exc_or_state, Exception) else "state"
        task = self.task
        if self.retries < task.retries and self.can_retry(exc_or_state):
            if task.retry_delay_seconds:
                delay: float | None = retry_delay(task, self.retries, self.session.rng)
                new_state = AwaitingRetry(
                    scheduled_time=datetime.fromtimestamp(self.session.now(), _UTC) + timedelta(seconds=delay or 0)
                )
            else:
                delay = None
                new_state = Retrying()
            when = _msgs.RETRY_IN_SECONDS.format(delay=delay) if delay else _msgs.RETRY_IMMEDIATELY
            self.log(
                logging.INFO,
                _msgs.TASK_RETRY.format(
                    kind=kind, exc=exc_or_state, attempt=self.retries + 1, retries=task.retries, when=when
                ),
            )
            self.set_state(new_state)
            self.retries += 1
            return True
        if self.retries >= task.retries:
            template = _msgs.TASK_RETRIES_EXHAUSTED if task.retries > 0 else _msgs.TASK_FAILED
            message = template.format(kind=kind, exc=exc_or_state)
            if isinstance(exc_or_state, BaseException):
                self.log(logging.ERROR, message, exc=exc_or_state)
            else:
                self.log(logging.ERROR, message, traceback=NO_EXCEPTION)
        return False

    def handle_exception(self, exc: Exception) -> None:
        if not self.handle_retry(exc):
            self.set_state(exception_to_failed_state(exc, _msgs.TASK_FAILED_PREFIX))
            self._raised = exc

    def handle_timeout(self, exc: TimeoutError) -> None:
        if not self.handle_retry(exc):
            if isinstance(exc, TaskRunTimeoutError):
                message = _msgs.TASK_TIMEOUT.format(timeout=self.task.timeout_seconds)
            else:
                message = _msgs.TASK_TIMEOUT_OTHER.format(exc=exc)
            self.log(logging.ERROR, message)
            self.set_state(Failed(name="TimedOut", message=message, data=exc))
            self._raised = exc

    def handle_not_ready(self, upstream: State) -> None:
        """An upstream run did not complete: this one never starts (Pending 'NotReady')."""
        error = UpstreamTaskError(_msgs.UPSTREAM_NOT_COMPLETED.format(run_id=upstream.run_id))
        self.set_state(Pending(name="NotReady", message=str(error)))
        self.log_finished()

    def result(self, raise_on_failure: bool = True) -> Any:
        """What a direct call returns: the return value, or the exception raised."""
        if self._return is not _NOTSET:
            return self._return
        if self._raised is not _NOTSET:
            if raise_on_failure:
                raise self._raised
            return self._raised
        return None  # e.g. NotReady: Prefect returns None as well


def run_task(task: Task[Any], parameters: dict[str, Any], wait_for: list[Any] | None, return_type: ReturnType) -> Any:
    """A direct task call: runs now, in the caller's place, until it is done."""
    run = TaskRun(task, parameters, wait_for)
    run.session.scheduler.run_now(run.job(), run.done)
    return run.state if return_type == "state" else run.result()


# -- flow runs ------------------------------------------------------------------------


class SubflowTracker(Run):
    """The task run Prefect adds to a parent flow run for each subflow call.

    Named ``{flow name}-{n}`` (n counts calls of that flow within the parent),
    it logs nothing and takes every state its subflow run takes.
    """

    kind = "task"

    def __init__(self, s: Session, parent: FlowRun, flow_name: str) -> None:
        self.flow_run_id = parent.id
        n = parent.subflow_counts.get(flow_name, 0)
        parent.subflow_counts[flow_name] = n + 1
        self._begin(s, f"{flow_name}-{n}", flow_name, parent.id, tracks="subflow")


class FlowRun(Run):
    kind = "flow"

    def __init__(self, flow: Flow[Any], parameters: dict[str, Any]) -> None:
        s = session()
        setup_logging()
        ctx = context.current()
        self.flow = flow
        self.parameters = parameters
        self.tags = set(context.current_tags())
        self.parent = ctx.run if ctx else None
        self.flow_run = self
        self.log_prints = bool(flow.log_prints)
        self.children: list[TaskRun] = []
        self.subflow_counts: dict[str, int] = {}
        self._raised: Any = _NOTSET
        self._return: Any = _NOTSET
        parent_flow = self.parent.flow_run if self.parent is not None else None
        self.tracker = SubflowTracker(s, parent_flow, flow.name) if parent_flow is not None else None
        self._begin(s, self._make_name(s), flow.name, self.parent.id if self.parent else None)

    def _make_name(self, s: Session) -> str:
        template = self.flow.flow_run_name
        if template is None:
            return names.flow_run_name(s.rng)
        if callable(template):
            self.name, self.id = self.flow.name, ""  # readable while the callable runs
            leave = context.enter(context.RunContext(self, self.log_prints))
            try:
                name = template()
            finally:
                leave()
            if not isinstance(name, str):
                raise TypeError(
                    f"Callable {template} for 'flow_run_name' returned type "
                    f"{type(name).__name__} but a string is required."
                )
            return name
        return template.format(**self.parameters)

    def set_state(self, state: State) -> State:
        state = super().set_state(state)
        if self.tracker is not None:  # the parent's tracking task run follows along
            self.tracker.set_state(state)
        return state

    def run(self, args: tuple[Any, ...], kwargs: dict[str, Any], return_type: ReturnType) -> Any:
        self.set_state(Running())
        fn = self.flow.fn
        while True:
            template = _msgs.BEGINNING_SUBFLOW_RUN if self.parent else _msgs.BEGINNING_FLOW_RUN
            self.log(logging.INFO, template.format(run_name=self.name, flow_name=self.flow.name))
            leave = context.enter(context.RunContext(self, self.log_prints))
            try:
                try:
                    with Timeout(self.flow.timeout_seconds, FlowRunTimeoutError, self.session.clock):
                        value = fn(*args, **kwargs)
                except TimeoutError as exc:
                    self.handle_timeout(exc)
                except Exception as exc:
                    self.log(logging.ERROR, _msgs.FLOW_ENCOUNTERED_EXCEPTION.format(exc=exc), exc=exc)
                    self.handle_exception(exc)
                else:
                    self.handle_success(value)
                self._wait_for_children()  # the task runner's exit: un-awaited futures finish
            except BaseException as exc:
                leave()
                if self.state.type in _FINAL:
                    raise
                self.handle_crash(exc)
                self.log_finished()
                raise
            leave()
            if self.state.type is not StateType.RUNNING:  # Running again means: retry
                break
        self.log_finished()
        if return_type == "state":
            return self.state
        return self.result()

    def result(self) -> Any:
        if self._return is not _NOTSET and not isinstance(self._return, State):
            return self._return
        if self._raised is not _NOTSET:
            raise self._raised
        return self.state.result()

    def _wait_for_children(self) -> None:
        """Futures nobody awaited are awaited before the flow finishes, as in Prefect."""
        children = self.children
        first_pending = 0

        def all_done() -> bool:
            # Children finish roughly in order: move past the done ones once, so
            # each check is O(1) on average rather than a scan of every child.
            nonlocal first_pending
            while first_pending < len(children) and children[first_pending].done():
                first_pending += 1
            return first_pending == len(children)

        if not all_done():
            self.session.scheduler.run_until(all_done)

    # -- handlers, after Prefect's FlowRunEngine ---------------------------------------------
    def handle_success(self, value: Any) -> None:
        from .futures import resolve_futures_to_states

        resolved = resolve_futures_to_states(value)
        self.set_state(return_value_to_state(resolved))
        self._return = resolved

    def _propose_failure(self, failed: State) -> bool:
        """Set a failed state, or retry (AwaitingRetry, then Running) while retries remain.

        Prefect's server makes this decision (its RetryFailedFlows rule); the
        engine then logs what it was told and runs the flow again.
        """
        if self.run_count > self.flow.retries:
            self.set_state(failed)
            return False
        delay = float(self.flow.retry_delay_seconds or 0)
        now = datetime.fromtimestamp(self.session.now(), _UTC)
        # Prefect's server answers the proposed failure with AwaitingRetry, keeping its message.
        retry = AwaitingRetry(scheduled_time=now + timedelta(seconds=delay), message=failed.message, data=failed.data)
        state = self.set_state(retry)
        self.log(logging.INFO, _msgs.FLOW_RETRY.format(state=state.name, proposed=failed.name))
        self.session.clock.sleep(delay)
        self.set_state(Running())
        return True

    def handle_exception(self, exc: Exception) -> None:
        if not self._propose_failure(exception_to_failed_state(exc, _msgs.FLOW_FAILED_PREFIX)):
            self._raised = exc  # only a failure that ends the run is raised to the caller

    def handle_timeout(self, exc: TimeoutError) -> None:
        if isinstance(exc, FlowRunTimeoutError):
            message = _msgs.FLOW_TIMEOUT.format(timeout=self.flow.timeout_seconds)
        else:
            message = _msgs.FLOW_TIMEOUT_FROM_TASK.format(exc=exc)
        self.log(logging.ERROR, message)
        if not self._propose_failure(Failed(name="TimedOut", message=message, data=exc)):
            self._raised = exc


def run_flow(flow: Flow[Any], parameters: dict[str, Any], return_type: ReturnType) -> Any:
    run = FlowRun(flow, parameters)
    args, kwargs = flow.split_parameters(parameters)
    return run.run(args, kwargs, return_type)


__all__ = ["FlowRun", "SubflowTracker", "TaskRun", "run_flow", "run_task", "StateType"]
