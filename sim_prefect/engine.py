"""The run engine: flow runs and task runs move from state to state.

This mirrors Prefect 3's ``task_engine.py`` and ``flow_engine.py`` in shape and
vocabulary: a run loops over attempts, and small handlers (`handle_success`,
`handle_exception`, `handle_retry`, `handle_timeout`, `handle_crash`) move its
state on. Unlike Prefect there is one engine, synchronous, and task runs are
generators of steps driven by the `Scheduler` (see scheduler.py), which is how
`.submit()` can be concurrent without threads.

Every effect is an event (`RunCreated`, `StateChanged`, `LogEmitted`); the
engine never writes text.
"""

from __future__ import annotations

import inspect
import logging
import time
import traceback as _traceback
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal

from . import _msgs, context, names
from .events import RunCreated, StateChanged
from .exceptions import FlowRunTimeoutError, TaskRunTimeoutError, UpstreamTaskError
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
    Pending,
    Retrying,
    Running,
    State,
    StateType,
)

if TYPE_CHECKING:
    from .flows import Flow
    from .futures import PrefectFuture
    from .tasks import Task

ReturnType = Literal["result", "state"]
_NOTSET: Any = object()


def _stamp(s: Session) -> datetime:
    return datetime.fromtimestamp(s.now(), timezone.utc)


class Run:
    """What flow runs and task runs share: identity, state history, logging."""

    kind: Literal["flow", "task"]

    def __init__(self, s: Session, name: str, owner: str, parent_id: str | None) -> None:
        self.session = s
        self.id = s.new_id()
        self.name = name
        self.state: State = Pending()
        self.run_count = 0
        s.clock.charge(STEP_COST)
        s.emit(RunCreated(self.id, self.kind, name, owner, parent_id, s.now()))
        self.set_state(Pending())

    def set_state(self, state: State) -> State:
        s = self.session
        s.clock.charge(STEP_COST)
        stamp = _stamp(s)
        if stamp <= self.state.timestamp and self.state.run_id is not None:
            stamp = self.state.timestamp + timedelta(microseconds=1)
        state = state.copy(timestamp=stamp, run_id=self.id)
        if state.is_running():
            self.run_count += 1
        self.state = state
        s.emit(StateChanged(self.id, state))
        return state

    def log(self, level: int, message: str, exc: BaseException | None = None) -> None:
        emit_log(self, level, message, exc)

    def log_finished(self) -> None:
        level = logging.INFO if self.state.is_completed() else logging.ERROR
        if self.kind == "flow":
            level = logging.INFO  # Prefect logs a flow's end at INFO, whatever the state
        self.log(level, _msgs.FINISHED_IN_STATE.format(state=self.state))

    def done(self) -> bool:
        return self.state.is_final()


# -- states from outcomes (prefect.states) -------------------------------------------


def exception_to_failed_state(exc: BaseException, prefix: str) -> State:
    return Failed(message=f"{prefix} {type(exc).__name__}: {exc}", data=exc)


def exception_to_crashed_state(exc: BaseException) -> State:
    if isinstance(exc, KeyboardInterrupt):
        message = "Execution was aborted by an interrupt signal."
    elif isinstance(exc, SystemExit):
        message = "Execution was aborted by Python system exit call."
    else:
        detail = "".join(_traceback.format_exception_only(type(exc), exc)).strip()
        message = _msgs.CRASH_MESSAGE.format(exc=detail)
    return Crashed(message=message, data=exc)


def return_value_to_state(value: Any) -> State:
    """A run's return value becomes its final state, as Prefect decides it."""
    if isinstance(value, State) and value.run_id is None:
        return value  # a state the user built, e.g. Cancelled(message=...)
    states = _collect_states(value)
    if states is None:
        return Completed(data=value)
    total = len(states)
    failed = sum(1 for st in states if st.is_failed() or st.is_crashed())
    cancelled = sum(1 for st in states if st.is_cancelled())
    if cancelled:
        return Cancelled(message=f"{cancelled}/{total} states cancelled.", data=value)
    if failed:
        return Failed(message=_msgs.STATES_FAILED.format(failed=failed, total=total), data=value)
    if all(st.is_completed() for st in states):
        return Completed(message="All states completed.", data=value)
    return Completed(data=value)


def _collect_states(value: Any) -> list[State] | None:
    if isinstance(value, State):
        return [value]
    if isinstance(value, (list, tuple, set)) and value and all(isinstance(v, State) for v in value):
        return list(value)
    return None


# -- task runs ------------------------------------------------------------------------


class TaskRun(Run):
    kind = "task"

    def __init__(
        self,
        task: Task[..., Any],
        bound: inspect.BoundArguments,
        wait_for: list[PrefectFuture[Any]] | None = None,
    ) -> None:
        s = session()
        setup_logging()
        ctx = context.current()
        self.task = task
        self.flow_run = context.current_flow_run()
        self.bound = bound
        self.parameters = dict(bound.arguments)
        self.wait_for = list(wait_for or ())
        if task.log_prints is not None:
            self.log_prints = task.log_prints
        else:
            self.log_prints = ctx.log_prints if ctx else False
        self.retries = 0
        self._raised: BaseException | Any = _NOTSET
        self._return: Any = _NOTSET
        parent_id = ctx.run.id if ctx else None
        super().__init__(s, self._make_name(s), task.name, parent_id)
        if self.flow_run is not None:
            self.flow_run.children.append(self)

    def _make_name(self, s: Session) -> str:
        template = self.task.task_run_name
        if template is None:
            if self.flow_run is None:
                return self.task.name  # outside a flow: no suffix, as in Prefect
            return names.task_run_name(self.task.name, s.rng)
        if callable(template):
            if "parameters" in inspect.signature(template).parameters:
                return str(template(parameters=self.parameters))
            leave = context.enter(context.RunContext(self, self.log_prints))
            try:
                return str(template())
            finally:
                leave()
        return template.format(**self.parameters)

    # The scheduler enters the run's context before each step.
    def job(self) -> Job:
        return Job(self.steps(), enter=lambda: context.enter(context.RunContext(self, self.log_prints)))

    def upstream(self) -> list[PrefectFuture[Any]]:
        from .futures import PrefectFuture, collect_futures

        found = collect_futures(self.parameters) + [
            f for f in self.wait_for if isinstance(f, PrefectFuture)
        ]
        return found

    def steps(self) -> Iterator[Sleep | WaitFor]:
        from .futures import resolve_futures

        upstream = self.upstream()
        if any(not f.done() for f in upstream):
            yield WaitFor(tuple(upstream))
        for fut in upstream:
            if not fut.state.is_completed():
                error = UpstreamTaskError(
                    f"Upstream task run '{fut.task_run_id}' did not reach a 'COMPLETED' state."
                )
                self.set_state(Pending(name="NotReady", message=str(error)))
                self._raised = error
                return
        args = resolve_futures(self.bound.args)
        kwargs = resolve_futures(self.bound.kwargs)

        self.set_state(Running())
        while True:
            started = time.perf_counter()
            try:
                result = self.task.fn(*args, **kwargs)
                elapsed = time.perf_counter() - started
                timeout = self.task.timeout_seconds
                if timeout is not None and elapsed > timeout:
                    raise TaskRunTimeoutError(_msgs.SCOPE_TIMED_OUT.format(timeout=float(timeout)))
            except TimeoutError as exc:
                if self.handle_retry(exc):
                    yield from self._await_retry()
                    continue
                self.handle_timeout(exc)
            except Exception as exc:
                if self.handle_retry(exc):
                    yield from self._await_retry()
                    continue
                self.handle_exception(exc)
            except BaseException as exc:
                self.handle_crash(exc)
                self.log_finished()
                raise
            else:
                if isinstance(result, State) and result.is_failed() and self.handle_retry(result):
                    yield from self._await_retry()
                    continue
                self.handle_success(result)
            break
        self.log_finished()

    def _await_retry(self) -> Iterator[Sleep]:
        if self.state.is_scheduled():
            when = self.state.scheduled_time
            assert when is not None
            yield Sleep(max(0.0, (when - self.state.timestamp).total_seconds()))
            self.set_state(Retrying())

    # -- handlers, after Prefect's TaskRunEngine ------------------------------------
    def handle_success(self, result: Any) -> None:
        self.set_state(return_value_to_state(result))
        self._return = result.data if isinstance(result, State) else result

    def can_retry(self, exc_or_state: BaseException | State) -> bool:
        condition = self.task.retry_condition_fn
        if condition is None:
            return True
        failed = (
            exc_or_state
            if isinstance(exc_or_state, State)
            else exception_to_failed_state(exc_or_state, _msgs.TASK_FAILED_PREFIX)
        )
        return bool(condition(self.task, self, failed))

    def handle_retry(self, exc_or_state: BaseException | State) -> bool:
        kind = "state" if isinstance(exc_or_state, State) else "exception"
        if self.retries < self.task.retries and self.can_retry(exc_or_state):
            if self.task.retry_delay_seconds:
                delay: float | None = retry_delay(self.task, self.retries, self.session.rng)
                new_state = AwaitingRetry(
                    scheduled_time=_stamp(self.session) + timedelta(seconds=delay or 0)
                )
            else:
                delay = None
                new_state = Retrying()
            when = (
                _msgs.RETRY_IN_SECONDS.format(delay=delay) if delay else _msgs.RETRY_IMMEDIATELY
            )
            self.log(
                logging.INFO,
                _msgs.TASK_RETRY.format(
                    kind=kind,
                    exc=exc_or_state,
                    attempt=self.retries + 1,
                    retries=self.task.retries,
                    when=when,
                ),
            )
            self.set_state(new_state)
            self.retries += 1
            return True
        if self.retries >= self.task.retries:
            exc = exc_or_state if isinstance(exc_or_state, BaseException) else None
            template = _msgs.TASK_RETRIES_EXHAUSTED if self.task.retries > 0 else _msgs.TASK_FAILED
            self.log(logging.ERROR, template.format(kind=kind, exc=exc_or_state), exc=exc)
        return False

    def handle_exception(self, exc: Exception) -> None:
        self.set_state(exception_to_failed_state(exc, _msgs.TASK_FAILED_PREFIX))
        self._raised = exc

    def handle_timeout(self, exc: TimeoutError) -> None:
        if isinstance(exc, TaskRunTimeoutError):
            message = _msgs.TASK_TIMEOUT.format(timeout=self.task.timeout_seconds)
        else:
            message = _msgs.TASK_TIMEOUT_OTHER.format(exc=exc)
        self.log(logging.ERROR, message)
        self.set_state(Failed(name="TimedOut", message=message, data=exc))
        self._raised = exc

    def handle_crash(self, exc: BaseException) -> None:
        state = exception_to_crashed_state(exc)
        self.log(logging.ERROR, _msgs.CRASH_DETECTED.format(message=state.message))
        self.set_state(state)
        self._raised = exc

    def result(self, raise_on_failure: bool = True) -> Any:
        if self._return is not _NOTSET:
            return self._return
        if self._raised is not _NOTSET:
            if raise_on_failure:
                raise self._raised
            return self._raised
        return self.state.result(raise_on_failure=raise_on_failure)


def run_task(
    task: Task[..., Any],
    bound: inspect.BoundArguments,
    wait_for: list[Any] | None,
    return_type: ReturnType,
) -> Any:
    """A direct task call: submit, then block until it is done."""
    run = TaskRun(task, bound, wait_for)
    s = run.session
    s.scheduler.spawn(run.job())
    s.scheduler.run_until(run.done)
    return run.state if return_type == "state" else run.result()


# -- flow runs ------------------------------------------------------------------------


class FlowRun(Run):
    kind = "flow"

    def __init__(self, flow: Flow[..., Any], parameters: dict[str, Any]) -> None:
        s = session()
        setup_logging()
        ctx = context.current()
        self.flow = flow
        self.parameters = parameters
        self.parent = ctx.run if ctx else None
        self.flow_run = self
        self.children: list[TaskRun] = []
        self._raised: BaseException | Any = _NOTSET
        super().__init__(s, self._make_name(s), flow.name, self.parent.id if self.parent else None)

    def _make_name(self, s: Session) -> str:
        template = self.flow.flow_run_name
        if template is None:
            return names.flow_run_name(s.rng)
        if callable(template):
            return str(template())
        return template.format(**self.parameters)

    def run(self, bound: inspect.BoundArguments, return_type: ReturnType) -> Any:
        s = self.session
        attempts = 0
        log_prints = bool(self.flow.log_prints)
        while True:
            attempts += 1
            if attempts == 1:
                self.set_state(Running())
            template = _msgs.BEGINNING_SUBFLOW_RUN if self.parent else _msgs.BEGINNING_FLOW_RUN
            self.log(logging.INFO, template.format(run_name=self.name, flow_name=self.flow.name))
            leave = context.enter(context.RunContext(self, log_prints))
            started = time.perf_counter()
            try:
                try:
                    value = self.flow.fn(*bound.args, **bound.kwargs)
                finally:
                    self._wait_for_children()
                elapsed = time.perf_counter() - started
                timeout = self.flow.timeout_seconds
                if timeout is not None and elapsed > timeout:
                    raise FlowRunTimeoutError(_msgs.SCOPE_TIMED_OUT.format(timeout=float(timeout)))
            except TimeoutError as exc:
                leave()
                if self.handle_timeout(exc, attempts):
                    continue
            except Exception as exc:
                self.log(logging.ERROR, _msgs.FLOW_ENCOUNTERED_EXCEPTION.format(exc=exc), exc=exc)
                leave()
                if self.handle_exception(exc, attempts):
                    continue
            except BaseException as exc:
                leave()
                self.handle_crash(exc)
                self.log_finished()
                raise
            else:
                leave()
                self.set_state(return_value_to_state(value))
            break
        self.log_finished()
        if return_type == "state":
            return self.state
        if self._raised is not _NOTSET:
            raise self._raised
        return self.state.result()

    def _wait_for_children(self) -> None:
        """Futures nobody awaited are awaited before the flow finishes, as in Prefect."""
        self.session.scheduler.run_until(lambda: all(t.done() for t in self.children))

    def _retry(self, attempts: int, proposed: State) -> bool:
        retries = self.flow.retries or 0
        if attempts > retries:
            return False
        delay = float(self.flow.retry_delay_seconds or 0)
        self.set_state(
            AwaitingRetry(scheduled_time=_stamp(self.session) + timedelta(seconds=delay))
        )
        self.log(logging.INFO, _msgs.FLOW_RETRY.format(proposed=proposed.name))
        self.session.clock.sleep(delay)
        self.set_state(Running())
        return True

    def handle_exception(self, exc: Exception, attempts: int) -> bool:
        failed = exception_to_failed_state(exc, _msgs.FLOW_FAILED_PREFIX)
        if self._retry(attempts, failed):
            return True
        self.set_state(failed)
        self._raised = exc
        return False

    def handle_timeout(self, exc: TimeoutError, attempts: int) -> bool:
        if isinstance(exc, FlowRunTimeoutError):
            message = _msgs.FLOW_TIMEOUT.format(timeout=self.flow.timeout_seconds)
        else:
            message = _msgs.FLOW_TIMEOUT_FROM_TASK.format(exc=exc)
        self.log(logging.ERROR, message)
        timed_out = Failed(name="TimedOut", message=message, data=exc)
        if self._retry(attempts, timed_out):
            return True
        self.set_state(timed_out)
        self._raised = exc
        return False

    def handle_crash(self, exc: BaseException) -> None:
        state = exception_to_crashed_state(exc)
        self.log(logging.ERROR, _msgs.CRASH_DETECTED.format(message=state.message))
        self.set_state(state)
        self._raised = exc


def run_flow(flow: Flow[..., Any], bound: inspect.BoundArguments, return_type: ReturnType) -> Any:
    run = FlowRun(flow, dict(bound.arguments))
    return run.run(bound, return_type)


__all__ = ["FlowRun", "TaskRun", "run_flow", "run_task", "StateType"]
