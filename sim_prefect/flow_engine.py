"""Flow runs, after Prefect's ``flow_engine.py``.

A flow run moves to Running, logs its beginning, calls the flow's function,
waits for the task runs it submitted and nobody awaited, and takes its final
state from what the function returned or raised. A failure is *proposed*: while
retries are left, Prefect's server answers with AwaitingRetry and the flow runs
again. A flow called inside another flow is a subflow, tracked in the parent by
a task run of its own (`SubflowTracker`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import _msgs, context, names
from .engine import FINAL, NOTSET, RUNNING, SCHEDULED, ReturnType, Run, Steps, drive
from .exceptions import FlowRunTimeoutError
from .loggers import setup_logging
from .scheduler import CALL, Outcome, Sleep
from .session import Session, session
from .states import (
    AwaitingRetry,
    Running,
    State,
    TimedOut,
    exception_to_failed_state,
    return_value_to_state,
)
from .timeouts import Timeout

if TYPE_CHECKING:
    from .flows import Flow
    from .task_engine import TaskRun


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

    def __init__(self, flow: Flow[Any, Any], parameters: dict[str, Any]) -> None:
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
        self._raised: Any = NOTSET
        self._return: Any = NOTSET
        self._args: tuple[Any, ...] = ()
        self._kwargs: dict[str, Any] = {}
        parent_flow = self.parent.flow_run if self.parent is not None else None
        self.tracker = SubflowTracker(s, parent_flow, flow.name) if parent_flow is not None else None
        self._begin(s, self._make_name(s), flow.name, self.parent.id if self.parent else None)

    def _make_name(self, s: Session) -> str:
        template = self.flow.flow_run_name
        if template is None:
            return names.flow_run_name(s.rng)
        if callable(template):
            self.name, self.id = self.flow.name, ""  # readable while the callable runs
        leave = self.enter()
        try:
            return names.resolve_custom_run_name("flow", template, self.parameters)
        finally:
            leave()

    def enter(self) -> Any:
        """Make this run the current one; returns the function that undoes it."""
        return context.enter(context.RunContext(self, self.log_prints))

    def set_state(self, state: State) -> State:
        state = super().set_state(state)
        if self.tracker is not None:  # the parent's tracking task run follows along
            self.tracker.set_state(state)
        return state

    def call(self) -> Outcome:
        """One attempt: call the flow's function in the run's context, within its timeout."""
        leave = self.enter()
        try:
            with Timeout(self.flow.timeout_seconds, FlowRunTimeoutError, self.session.clock):
                return Outcome(self.flow.fn(*self._args, **self._kwargs))
        except BaseException as exc:  # the steps decide what it means
            return Outcome(error=exc)
        finally:
            leave()

    def steps(self) -> Steps:
        self.set_state(Running())
        try:
            while True:
                template = _msgs.BEGINNING_SUBFLOW_RUN if self.parent else _msgs.BEGINNING_FLOW_RUN
                self.log(logging.INFO, template.format(run_name=self.name, flow_name=self.flow.name))
                outcome = yield CALL
                assert outcome is not None
                error = outcome.error
                if error is None:
                    self.handle_success(outcome.value)
                elif isinstance(error, TimeoutError):
                    self.handle_timeout(error)
                elif isinstance(error, Exception):
                    self.log(logging.ERROR, _msgs.FLOW_ENCOUNTERED_EXCEPTION.format(exc=error), exc=error)
                    self.handle_exception(error)
                else:
                    raise error  # a crash: KeyboardInterrupt, SystemExit, ...
                if self.state.type is SCHEDULED:  # AwaitingRetry: wait, then run again
                    yield Sleep(float(self.flow.retry_delay_seconds or 0))
                    self.set_state(Running())
                self._wait_for_children()  # the task runner's exit: un-awaited futures finish
                if self.state.type is not RUNNING:  # Running again means: retry
                    break
        except BaseException as exc:
            if self.state.type in FINAL or isinstance(exc, GeneratorExit):
                raise
            self.handle_crash(exc)
            self.log_finished()
            raise
        self.log_finished()

    def run(self, args: tuple[Any, ...], kwargs: dict[str, Any], return_type: ReturnType) -> Any:
        self._args, self._kwargs = args, kwargs
        drive(self.steps(), self.call, self.session.clock.sleep)
        if return_type == "state":
            return self.state
        return self.result()

    def result(self) -> Any:
        if self._return is not NOTSET and not isinstance(self._return, State):
            return self._return
        if self._raised is not NOTSET:
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
        """Set a failed state, or AwaitingRetry while retries remain (the steps then run again).

        Prefect's server makes this decision (its RetryFailedFlows rule); the
        engine then logs what it was told and runs the flow again.
        """
        if self.run_count > self.flow.retries:
            self.set_state(failed)
            return False
        delay = float(self.flow.retry_delay_seconds or 0)
        # Prefect's server answers the proposed failure with AwaitingRetry, keeping its message.
        retry = AwaitingRetry(scheduled_time=self.now() + timedelta(seconds=delay), message=failed.message, data=failed.data)
        state = self.set_state(retry)
        self.log(logging.INFO, _msgs.FLOW_RETRY.format(state=state.name, proposed=failed.name))
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
        if not self._propose_failure(TimedOut(message=message, data=exc)):
            self._raised = exc


def run_flow(flow: Flow[Any, Any], parameters: dict[str, Any], return_type: ReturnType) -> Any:
    run = FlowRun(flow, parameters)
    args, kwargs = flow.split_parameters(parameters)
    return run.run(args, kwargs, return_type)


__all__ = ["FlowRun", "SubflowTracker", "run_flow"]
