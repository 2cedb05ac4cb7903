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
import sys
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from . import _msgs, current_run, names
from .client.schemas.objects import FlowRun as FlowRunRecord
from .run_events import RunCreated, StateChanged
from .engine import COMPLETED, PAUSED, RUNNING, SCHEDULED, ReturnType, Run, Steps, drive, drive_async
from .cache_policies import hash_objects
from .futures import all_done, resolve_futures_to_states
from .hooks import call_hooks, select_hooks
from .loggers import emit_logger_log, setup_logging
from .scheduler import CALL, Limit, Outcome, Sleep
from .task_engine import crash_unstarted
from .session import Session, session
from .store import RunRecord, jsonable
from .states import (
    TERMINAL_STATES,
    AwaitingRetry,
    Failed,
    Running,
    State,
    TimedOut,
    exception_to_failed_state,
    return_value_to_state,
)
from .exceptions import Pause
from .timeouts import AsyncTimeout, Timeout
from .validation import Error, parameter_type_error, validate_parameters

if TYPE_CHECKING:
    from .flows import Flow
    from .task_engine import TaskRun

class FlowRunTimeoutError(TimeoutError):
    """A flow ran past its `timeout_seconds`; Prefect defines it in ``prefect.flow_engine`` too."""


FlowRunTimeoutError.__module__ = "prefect.flow_engine"

# Prefect's loggers for what it logs before a flow run's context exists.
ENGINE_LOGGER = "prefect.engine"
FLOWS_LOGGER = "prefect.flows"


class SubflowTracker(Run):
    """The task run Prefect adds to a parent flow run for each subflow call.

    Named ``{flow name}-{n}`` (n counts calls of that flow within the parent),
    it logs nothing and takes every state its subflow run takes.
    """

    kind = "task"

    def __init__(self, s: Session, parent: FlowRun, flow: Flow[Any, Any]) -> None:
        self.flow_run_id = parent.id
        self.log_prints = False
        self.parameters = {}
        self.flow = flow
        flow_name = flow.name
        n = parent.subflow_counts.get(flow_name, 0)
        parent.subflow_counts[flow_name] = n + 1
        self.counted_name = f"{flow_name}-{n}"
        self._begin(s, flow_name, None, parent.id, tracks="subflow")

    def _describe(self, event: RunCreated) -> None:
        # As Prefect keys the task run it adds: the flow function's name and a hash of its code.
        fn = self.flow.fn
        event.task_key = f"{fn.__qualname__.split('.')[-1]}-{(hash_objects(fn.__code__.co_code.hex()) or 'unknown')[:8]}"
        event.version = self.flow.version

    def _default_name(self, s: Session) -> str:
        return self.counted_name


def mirror_state(s: Session, task_run_id: str, state: State) -> None:
    """Give the task run that tracks a deployment subflow in its parent the state its flow run took (Prefect's
    server does this for a run started by run_deployment in a flow)."""
    tracker = s.store.find(task_run_id)
    if tracker is None:
        return
    s.emit(StateChanged(task_run_id, State(
        state.type, state.name, state.message, state.timestamp, None, state.scheduled_time,
        task_run_id, "task", tracker.flow_run_id,
    )))  # fmt: skip


class FlowRun(Run):
    kind = "flow"
    unwraps_returned_states = True

    def __init__(self, flow: Flow[Any, Any], parameters: dict[str, Any], adopt: RunRecord | None = None) -> None:
        """A run of `flow`; with `adopt`, the run the server made for it (a deployment's run, which a served
        process runs: outside the caller's context, with the run's own tags and name)."""
        s = session()
        setup_logging()
        ctx = current_run.current() if adopt is None else None
        self.flow = flow
        # Checked and converted against the annotations before the run starts (see validation.py).
        self.invalid: list[Error] = []
        if flow.should_validate_parameters:
            validated, self.invalid = validate_parameters(flow.fn, parameters)
            if not self.invalid:
                parameters = validated
        self.parameters = parameters
        self.tags = set(current_run.current_tags()) if adopt is None else set(adopt.tags)
        # A deployment run started from a flow (run_deployment) is that flow's subflow, though run elsewhere.
        self.parent_task_run_id = adopt.parent_task_run_id if adopt is not None else None
        self.parent = ctx.run if ctx else None
        self.on_worker_thread = self.parent is not None and self.parent.on_worker_thread
        self.flow_run = self
        self.log_prints = bool(flow.log_prints)
        self.children: list[TaskRun] = []
        self.subflow_counts: dict[str, int] = {}
        max_workers = flow.task_runner._max_workers
        self.limit = Limit(max_workers) if max_workers < sys.maxsize else None
        parent_flow = self.parent.flow_run if self.parent is not None else None
        self.tracker = SubflowTracker(s, parent_flow, flow) if parent_flow is not None else None
        # Prefect names a run from its template once it starts: a run that never starts gets a generated name.
        template = None if self.invalid else flow.flow_run_name
        if adopt is None:
            self._begin(s, flow.name, template, self.parent.id if self.parent else None)
            return
        self._adopt(s, adopt)
        adopt.version = flow.version  # the flow's version, reported by the process that runs it, as Prefect's engine does
        if template is not None:  # the flow's flow_run_name renames the run when it starts, as in Prefect
            adopt.name = self.name = self._custom_name(flow.name, template)

    def _default_name(self, s: Session) -> str:
        return names.flow_run_name(s.rng)

    def _describe(self, event: RunCreated) -> None:
        event.parameters = jsonable(self.parameters)
        event.tags = tuple(sorted(self.tags))
        event.version = self.flow.version
        if self.tracker is not None:
            event.parent_task_run_id = self.tracker.id

    def set_state(self, state: State) -> State:
        if self.session.store.pauses and self.state.type is PAUSED:
            state = self._after_pause(state)
        state = super().set_state(state)
        if self.tracker is not None:  # the parent's tracking task run follows along
            self.tracker.set_state(state)
        elif self.parent_task_run_id is not None:  # a deployment subflow's: the server copies its states there
            mirror_state(self.session, self.parent_task_run_id, state)
        return state

    def _after_pause(self, proposed: State) -> State:
        """Prefect's server rule for a paused run whose pause ran out: whatever is proposed, it fails, named after
        the proposed state (``The flow was failed and never resumed.``)."""
        pause = self.session.store.pauses.get(self.id)
        record = self.session.store.find(self.id)
        if pause is None or pause.timeout is None or record is None or record.state is None:
            return proposed
        if not record.state.is_paused() or self.session.now() < pause.timeout:
            return proposed
        return Failed(message=_msgs.NEVER_RESUMED.format(state=proposed.name.lower()))

    def call(self) -> Outcome:
        """One attempt: call the flow's function in the run's context, within its timeout."""
        leave = self.enter()
        try:
            with Timeout(self.flow.timeout_seconds, FlowRunTimeoutError, self.session.clock, not self.on_worker_thread):
                return Outcome(self.flow.fn(*self._args, **self._kwargs))
        except BaseException as exc:  # the steps decide what it means
            return Outcome(error=exc)
        finally:
            leave()

    async def call_async(self) -> Outcome:
        """One attempt of an ``async def`` flow: await it in the run's context, within its timeout."""
        leave = self.enter()
        try:
            async with AsyncTimeout(self.flow.timeout_seconds, FlowRunTimeoutError):
                return Outcome(await self.flow.fn(*self._args, **self._kwargs))
        except BaseException as exc:  # the steps decide what it means
            return Outcome(error=exc)
        finally:
            leave()

    def call_hooks(self, handling: BaseException | None = None, first: bool = False) -> None:
        """The flow's hooks for the state it is in (Prefect's ``call_hooks``).

        Prefect calls the first on_running hooks before the run's context exists,
        so they log as ``prefect.engine``; on_crashed hooks run outside it too.
        The others run in the flow run's context.
        """
        state = self.state
        hooks = select_hooks(state, self.flow.hooks)
        if not hooks:
            return
        # Prefect's engine holds the flow run as it read it before the run (re)started running.
        record = FlowRunRecord.of(self, stale=state.is_running())
        if first:
            log: Any = partial(emit_logger_log, ENGINE_LOGGER)
        else:
            log = self.log
        leave = self.enter() if not first and not state.is_crashed() else None
        try:
            call_hooks(hooks, (self.flow, record, state), log, handling)
        finally:
            if leave is not None:
                leave()

    def set_final(self, state: State, handling: BaseException | None = None) -> None:
        """Enter a final state and call its hooks."""
        self.set_state(state)
        self.call_hooks(handling)

    def steps(self) -> Steps:
        if self.invalid:
            self.fail_validation()
            return
        self._args, self._kwargs = self.flow.split_parameters(self.parameters)
        self.set_state(Running())
        self.call_hooks(first=True)
        try:
            while True:
                subflow = self.parent is not None or self.parent_task_run_id is not None
                template = _msgs.BEGINNING_SUBFLOW_RUN if subflow else _msgs.BEGINNING_FLOW_RUN
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
                elif isinstance(error, Pause):  # suspended: the run leaves, to be scheduled again when resumed
                    self.log_finished()
                    emit_logger_log(ENGINE_LOGGER, logging.INFO, _msgs.ENGINE_PAUSED.format(flow_run_id=self.id))
                    return
                else:
                    raise error  # a crash: KeyboardInterrupt, SystemExit, ...
                if self.state.type is SCHEDULED:  # AwaitingRetry: wait, then run again
                    yield Sleep(float(self.flow.retry_delay_seconds or 0))
                    self.set_state(Running())
                    self.call_hooks()
                self._wait_for_children()  # the task runner's exit
                if self.state.type is not RUNNING:  # Running again means: retry
                    break
        except BaseException as exc:
            if self.state.type in TERMINAL_STATES or isinstance(exc, GeneratorExit):
                raise
            self.handle_crash(exc)
            self.call_hooks(handling=exc)
            self.log_finished()
            raise
        self.log_finished()

    def fail_validation(self) -> None:
        """Parameters that do not fit the annotations: the run fails before it starts."""
        errors = self.invalid
        exc = parameter_type_error(errors)
        flows_log = _msgs.PARAMETER_VALIDATION_FAILED.format(
            flow_name=self.flow.name, errors=[e.as_dict() for e in errors], parameters=self.parameters
        )
        emit_logger_log(FLOWS_LOGGER, logging.ERROR, flows_log)
        emit_logger_log(ENGINE_LOGGER, logging.ERROR, f"{_msgs.VALIDATION_FAILED_PREFIX} {exc}")
        self.set_state(exception_to_failed_state(exc, _msgs.VALIDATION_FAILED_PREFIX))
        self.call_hooks(handling=exc, first=True)
        self._raised = exc
        emit_logger_log(ENGINE_LOGGER, self._finished_level(), _msgs.FINISHED_IN_STATE.format(state=self.state))

    def _finished_level(self) -> int:
        # An async flow's end is ERROR unless it completed; a sync flow's is always INFO (Prefect's own asymmetry).
        return logging.ERROR if self.flow.isasync and self.state.type is not COMPLETED else logging.INFO

    def log_finished(self) -> None:
        self.log(self._finished_level(), _msgs.FINISHED_IN_STATE.format(state=self.state))

    def run(self, return_type: ReturnType) -> Any:
        drive(self.steps(), self.call, self.session.scheduler.sleep)
        return self.state if return_type == "state" else self.result()

    async def run_async(self, return_type: ReturnType) -> Any:
        await drive_async(self.steps(), self.call_async, self.session)
        return self.state if return_type == "state" else self.result()

    def _wait_for_children(self) -> None:
        """The task runner's exit: the flow waits for the runs it submitted.

        An async flow's task runner cancels the runs that have not started
        (they end Crashed); a sync flow's lets them all finish (see PORT.yaml).
        """
        children = self.children
        if self.flow.isasync:
            for child in children:
                if child.submitted and not child.steps_begun and not child.done():
                    crash_unstarted(child)
        done = all_done(children)
        if not done():
            self.session.scheduler.run_until(done, inline=[c.job_ for c in children if c.job_ is not None])

    # -- handlers, after Prefect's FlowRunEngine ---------------------------------------------
    def handle_success(self, value: Any) -> None:
        resolved = resolve_futures_to_states(value)
        self.set_final(return_value_to_state(resolved))
        self._return = resolved

    def _propose_failure(self, failed: State, handling: BaseException | None = None) -> bool:
        """Set a failed state, or AwaitingRetry while retries remain (the steps then run again).

        Prefect's server makes this decision (its RetryFailedFlows rule); the
        engine then logs what it was told and runs the flow again.
        """
        if self.run_count > self.flow.retries:
            self.set_final(failed, handling)
            return False
        delay = float(self.flow.retry_delay_seconds or 0)
        # Prefect's server answers the proposed failure with AwaitingRetry, keeping its message.
        retry = AwaitingRetry(scheduled_time=self.now() + timedelta(seconds=delay), message=failed.message, data=failed.data)
        state = self.set_state(retry)
        self.log(logging.INFO, _msgs.FLOW_RETRY.format(state=state.name, proposed=failed.name))
        return True

    def handle_exception(self, exc: Exception) -> None:
        if not self._propose_failure(exception_to_failed_state(exc, _msgs.FLOW_FAILED_PREFIX), exc):
            self._raised = exc  # only a failure that ends the run is raised to the caller

    def handle_timeout(self, exc: TimeoutError) -> None:
        if isinstance(exc, FlowRunTimeoutError):
            message = _msgs.FLOW_TIMEOUT.format(timeout=self.flow.timeout_seconds)
        else:
            message = _msgs.FLOW_TIMEOUT_FROM_TASK.format(exc=exc)
        self.log(logging.ERROR, message)
        if not self._propose_failure(TimedOut(message=message, data=exc), exc):
            self._raised = exc


def run_flow(flow: Flow[Any, Any], parameters: dict[str, Any], return_type: ReturnType) -> Any:
    return FlowRun(flow, parameters).run(return_type)


async def run_flow_async(flow: Flow[Any, Any], parameters: dict[str, Any], return_type: ReturnType) -> Any:
    """An ``async def`` flow, awaited (Prefect's name, as the coroutine shows)."""
    return await FlowRun(flow, parameters).run_async(return_type)


__all__ = ["FlowRun", "FlowRunTimeoutError", "SubflowTracker", "run_flow", "run_flow_async"]
