"""Serving deployments (``prefect.runner``): the `Runner`, and what ``flow.serve()`` and ``serve()`` do with it.

A `Runner` holds deployments (``add_flow``, ``add_deployment``: each applied
to the session's server, which schedules its runs) and, once started, polls
for their runs every ``PREFECT_RUNNER_POLL_FREQUENCY`` seconds (10), as
Prefect's does: a run due within ``prefetch_seconds`` (10) goes Pending, then
Submitting, and runs at its scheduled time, Running onwards, in this process
(Prefect starts a process for it; see PORT.yaml). At most ``limit`` runs
(``PREFECT_RUNNER_PROCESS_LIMIT``, 5) run at once; the rest wait, logged as
"N scheduled runs skipped (at capacity)".

The poll is a job on the session's scheduler, and each run another, so a run
triggered meanwhile (by ``run_deployment`` in a flow being served, by the page)
is picked up while other runs wait. The serving loop itself waits on the
session's clock until it is told to stop (serve_controls.py): Ctrl-C
(KeyboardInterrupt), the page's Stop, or a limit set on the session. Then, as
Prefect's runner, it pauses its deployments (their runs scheduled ahead are
deleted) and logs so; ``flow.serve()`` logs "Received KeyboardInterrupt,
shutting down..." and returns. A run still under way then is crashed, as
Prefect's are by the interrupt signal.

As in Prefect 3.9.1, the runner logs nothing when it picks up, starts or
finishes a run: only the run's own lines appear.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import uuid
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _msgs
from ..annotations import NotSet
from ..current_run import in_async_context
from ..deployments.runner import RunnerDeployment, refuse_workers
from ..exceptions import SignatureMismatchError, TerminationSignal, not_imitated
from ..flow_engine import FlowRun
from ..loggers import emit_logger_log
from ..runtime.environment import ui_url
from ..scheduler import CALL, Job, Outcome, Sleep
from ..server import deployments as server
from ..server.flow_runs import take_state
from ..session import Session, colour_system, session
from ..states import Crashed, State, StateType, exception_to_crashed_state
from ..store import RunRecord

if TYPE_CHECKING:
    from ..flows import Flow

RUNNER_LOGGER = "prefect.runner"
EXECUTOR_LOGGER = "prefect.runner.flow_run_executor"
PROPOSER_LOGGER = "prefect.runner.state_proposer"
FLOWS_LOGGER = "prefect.flows"


def _setting(name: str, default: float) -> float:
    """A number from a PREFECT_RUNNER_* setting (Prefect's default when unset)."""
    value = os.environ.get(name)
    return float(value) if value else default


class Runner:
    """Runs the flow runs of the deployments it serves (``prefect.runner.Runner``)."""

    def __init__(
        self,
        name: str | None = None,
        query_seconds: float | None = None,
        prefetch_seconds: float = 10,
        heartbeat_seconds: float | None = None,
        limit: int | None | type[NotSet] = NotSet,
        pause_on_shutdown: bool = True,
        webserver: bool = False,
    ) -> None:
        if name and ("/" in name or "%" in name):
            raise ValueError(_msgs.RUNNER_NAME_INVALID)
        if webserver:
            raise not_imitated("the runner's webserver", "webserver=True")
        if heartbeat_seconds is not None:
            raise not_imitated("flow run heartbeats from a runner", f"heartbeat_seconds={heartbeat_seconds!r}")
        self.name = name or f"runner-{uuid.UUID(session().new_id())}"
        self.query_seconds = query_seconds or _setting("PREFECT_RUNNER_POLL_FREQUENCY", 10)
        self.prefetch_seconds = prefetch_seconds
        self.limit: int | None = int(_setting("PREFECT_RUNNER_PROCESS_LIMIT", 5)) if limit is NotSet else limit  # type: ignore[assignment]
        self.pause_on_shutdown = pause_on_shutdown
        self.started = False
        self.stopping = False
        self._flows: dict[str, Flow[Any, Any]] = {}  # by deployment id
        self._deployment_ids: list[str] = []
        self._in_flight: dict[str, Job] = {}  # run id -> its job
        self._runs: dict[str, FlowRun] = {}  # run id -> its engine, once started
        self._loaded_from: dict[str, str] = {}  # deployment id -> the path its flow's code is loaded from

    def __repr__(self) -> str:
        return f"Runner(name={self.name!r})"

    # -- what it serves ------------------------------------------------------------------------
    def add_deployment(self, deployment: RunnerDeployment) -> uuid.UUID:
        """Apply the deployment to the server; its runs are run by this runner once it starts."""
        deployment_id: uuid.UUID = deployment.apply(_sync=True)
        if deployment._flow is not None:
            self._flows[str(deployment_id)] = deployment._flow
            self._loaded_from[str(deployment_id)] = deployment._path or "."
        if str(deployment_id) not in self._deployment_ids:
            self._deployment_ids.append(str(deployment_id))
        return deployment_id

    async def aadd_deployment(self, deployment: RunnerDeployment) -> uuid.UUID:
        return self.add_deployment(deployment)

    def add_flow(self, flow: Flow[Any, Any], name: str | None = None, **options: Any) -> uuid.UUID:
        """Make a deployment of `flow` (``flow.to_deployment``'s options) and serve it."""
        deployment = flow.to_deployment(name=self.name if name is None else name, **options)
        deployment.work_pool_name = deployment.work_queue_name = None
        deployment_id = self.add_deployment(deployment)
        # Prefect's runner keeps a flow it was given and runs it as it is; a deployment's flow it loads from its path.
        self._loaded_from.pop(str(deployment_id), None)
        return deployment_id

    async def aadd_flow(self, flow: Flow[Any, Any], name: str | None = None, **options: Any) -> uuid.UUID:
        return self.add_flow(flow, name, **options)

    # -- serving -----------------------------------------------------------------------------------
    async def start(self, run_once: bool = False, webserver: bool | None = None) -> None:
        """Serve until told to stop (Ctrl-C, the page's Stop, a limit on the session)."""
        if webserver:
            raise not_imitated("the runner's webserver", "start(webserver=True)")
        self.serve_until_stopped(run_once)

    def serve_until_stopped(self, run_once: bool = False) -> None:
        """The serving loop (see the module's docstring); KeyboardInterrupt when it was told to stop."""
        s = session()
        controls = s.serving
        served = set(self._deployment_ids)
        controls.serving_deployments |= served
        self.started = True
        poller = Job(self._poll_steps(s, once=run_once))
        s.scheduler.spawn(poller)
        interrupted: BaseException | None = None
        try:
            if run_once:
                s.scheduler.run_until(lambda: poller.finished and not self._in_flight)
                return
            controls.announce("serving", {"deployments": self._names(s), "endless": controls.endless()})
            with controls.paced(s.clock, for_a_person=controls.endless()):
                while not controls.stopping(s.now()):
                    s.scheduler.run_until(lambda: controls.stopping(s.now()), controls.next_look(s.clock))
            interrupted = KeyboardInterrupt()
        except (KeyboardInterrupt, TerminationSignal) as exc:
            interrupted = exc
        finally:
            s.scheduler.cancel(poller)
            controls.serving_deployments -= served
            self.started = False
            if interrupted is not None:
                self._crash_in_flight(s)
            if self.pause_on_shutdown:
                self._pause_deployments(s)
            if not run_once:
                controls.announce("stopped", {})
        if interrupted is not None:
            raise interrupted

    def _names(self, s: Session) -> list[str]:
        """The served deployments' full names, ``flow/deployment``."""
        found = [s.store.deployments.get(i) for i in self._deployment_ids]
        return [d.full_name for d in found if d is not None]

    def stop(self) -> None:
        """Stop serving (at the loop's next look), as Ctrl-C would."""
        self.stopping = True
        session().serving.stop()

    async def astop(self) -> None:
        self.stop()

    def _pause_deployments(self, s: Session) -> None:
        emit_logger_log(RUNNER_LOGGER, logging.INFO, _msgs.PAUSING_DEPLOYMENTS)
        for deployment_id in self._deployment_ids:
            deployment = s.store.deployments.get(deployment_id)
            if deployment is not None:
                server.pause(s, deployment)
        emit_logger_log(RUNNER_LOGGER, logging.INFO, _msgs.DEPLOYMENTS_PAUSED)

    # -- the poll ------------------------------------------------------------------------------------
    def _poll_steps(self, s: Session, once: bool) -> Generator[Sleep, Any, None]:
        while True:
            self._poll(s)
            if once:
                return
            yield Sleep(self.query_seconds)

    def _poll(self, s: Session) -> None:
        """Prefect's scheduled-run poller: the runs due soon, in order, as many as the limit allows."""
        server.catch_up(s)
        now = s.now()
        for deployment_id in self._deployment_ids:
            deployment = s.store.deployments.get(deployment_id)
            if deployment is not None:
                deployment.last_polled = now
        due = []
        for record in s.store.runs:
            state = record.state
            if (record.kind != "flow" or record.deployment_id not in self._flows or state is None
                    or state.type is not StateType.SCHEDULED or record.run_id in self._in_flight):  # fmt: skip
                continue
            when = state.scheduled_time.timestamp() if state.scheduled_time is not None else record.created
            if when <= now + self.prefetch_seconds:
                due.append((when, record))
        due.sort(key=lambda pair: pair[0])
        skipped = 0
        for when, record in due:
            if self.limit is not None and len(self._in_flight) >= self.limit:
                skipped += 1
                continue
            self._submit(s, record, when)
        if skipped:
            emit_logger_log(RUNNER_LOGGER, logging.INFO, _msgs.AT_CAPACITY.format(count=skipped))

    def _submit(self, s: Session, record: RunRecord, when: float) -> None:
        take_state(s, record, State(StateType.PENDING, "Pending"))
        take_state(s, record, State(StateType.PENDING, "Submitting"))

        def once() -> Generator[Any, Any, None]:
            yield CALL

        job = Job(once(), call=lambda: self._execute(s, record))
        self._in_flight[record.run_id] = job
        # Prefect's server holds the run's Running back until its scheduled time.
        s.scheduler.spawn(job, max(0.0, when - s.now()))

    # -- one run -------------------------------------------------------------------------------------
    def _execute(self, s: Session, record: RunRecord) -> Outcome:
        """Run the flow run to its end, here (Prefect: in a process of its own)."""
        try:
            flow = self._flows[record.deployment_id or ""]
            expected = list(flow.shape.signature.parameters)
            if any(name not in expected for name in record.parameters):
                self._process_failed(s, record, SignatureMismatchError.from_bad_params(expected, list(record.parameters)))
                return Outcome()
            parameters = flow.shape.bind((), dict(record.parameters))  # the flow's defaults, in its order
            run = FlowRun(flow, parameters, adopt=record)
            self._runs[record.run_id] = run
            path = self._loaded_from.get(record.deployment_id or "")
            if path is not None:
                run.log(logging.INFO, _msgs.DOWNLOADING_FLOW_CODE.format(path=path))
            if flow.isasync:
                asyncio.run(run.run_async("state"))
            else:
                run.run("state")
            return Outcome()
        except BaseException as exc:  # the run crashed (its engine logged it): the process would exit
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return Outcome(error=exc)
        finally:
            self._in_flight.pop(record.run_id, None)
            self._runs.pop(record.run_id, None)
            s.serving.runs_served += 1
            s.serving.announce("served", {"flow_run_id": record.run_id})

    def _process_failed(self, s: Session, record: RunRecord, exc: BaseException) -> None:
        """The run's process exited with status 1 before the flow began: Prefect's lines, and Crashed."""
        emit_logger_log("prefect.engine", logging.ERROR, _msgs.ENGINE_UNEXPECTED_EXIT.format(flow_run_id=record.run_id), exc)
        message = _msgs.PROCESS_EXITED.format(code=1, explanation=_msgs.GENERAL_ERROR)
        emit_logger_log(EXECUTOR_LOGGER, logging.ERROR, message)
        emit_logger_log(EXECUTOR_LOGGER, logging.INFO, _msgs.GENERAL_ERROR_RESOLUTION)
        take_state(s, record, Crashed(message=message))
        emit_logger_log(PROPOSER_LOGGER, logging.INFO, _msgs.REPORTED_CRASHED.format(flow_run_id=record.run_id, message=message))

    def _crash_in_flight(self, s: Session) -> None:
        """Runs still under way when serving stops end Crashed, as Ctrl-C crashes Prefect's run processes."""
        for run_id, job in list(self._in_flight.items()):
            s.scheduler.cancel(job)
            record = s.store.find(run_id)
            if record is None or record.state is None or record.state.is_final():
                continue
            crashed = exception_to_crashed_state(KeyboardInterrupt())
            run = self._runs.get(run_id)
            if run is not None and job.started:
                run.log(logging.ERROR, _msgs.CRASH_DETECTED.format(message=crashed.message))
                state = run.set_state(crashed)
                run.log(logging.INFO, _msgs.FINISHED_IN_STATE.format(state=state))
            elif record.state.type is StateType.PENDING:
                take_state(s, record, crashed)  # submitted, not started: its process never began
        self._in_flight.clear()


# -- flow.serve(), serve(), aserve() --------------------------------------------------------------------


def _styled(text: str, code: str, colours: object) -> str:
    if colours is False or colours is True or not text:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def _print_lines(lines: list[tuple[str, str]]) -> None:
    """Print lines to stdout as rich's console does (tabs as 8 spaces; colours on a terminal)."""
    colours = colour_system(sys.stdout)
    out = "".join(_styled(text.expandtabs(8), code, colours) + "\n" for text, code in lines)
    sys.stdout.write(out)
    sys.stdout.flush()


def print_flow_start(flow_name: str, name: str, deployment_id: uuid.UUID) -> None:
    """``flow.serve``'s start message."""
    lines = [
        (_msgs.SERVE_FLOW_TOP.format(flow_name=flow_name), "32"), ("", ""), (_msgs.SERVE_FLOW_HOW, ""), ("", ""),
        (_msgs.SERVE_FLOW_COMMAND.format(flow_name=flow_name, name=name), "34"), ("", ""),
    ]  # fmt: skip
    ui = ui_url()
    if ui:
        lines += [(_msgs.SERVE_FLOW_UI.format(ui_url=ui, deployment_id=deployment_id), ""), ("", "")]
    _print_lines(lines)


def print_serve_start(deployments: tuple[RunnerDeployment, ...]) -> None:
    """``serve(*deployments)``'s start message: its table of deployments, as rich draws it."""
    names = [f"{d.flow_name}/{d.name}" for d in deployments]
    width = max((len(n) for n in names), default=0) + 2
    lines = [(_msgs.SERVE_MANY_TOP, "32"), ("", ""), (_msgs.SERVE_MANY_TABLE_TITLE, "3"), ("┌" + "─" * width + "┐", "")]
    colours = colour_system(sys.stdout)
    lines += [(f"│ {_styled(n, '34', colours)}{' ' * (width - len(n) - 1)}│", "") for n in names]
    lines += [("└" + "─" * width + "┘", ""), ("", ""), (_msgs.SERVE_MANY_HOW, ""), ("", ""),
              (_msgs.SERVE_MANY_COMMAND, "34"), ("", "")]  # fmt: skip
    ui = ui_url()
    if ui:
        lines += [(_msgs.SERVE_MANY_UI.format(ui_url=ui), ""), ("", "")]
    _print_lines(lines)


def serve_flow(
    flow: Flow[Any, Any],
    name: str | None = None,
    *,
    global_limit: Any = None,
    pause_on_shutdown: bool = True,
    print_starting_message: bool = True,
    limit: int | None = None,
    webserver: bool = False,
    **options: Any,
) -> None:
    """``flow.serve(...)``: a deployment of the flow, served until told to stop (then it returns)."""
    if global_limit is not None:
        raise not_imitated("deployment concurrency limits", f"serve(global_limit={global_limit!r})")
    if not name:
        name = flow.name
    elif Path(name).is_file():
        name = Path(name).stem
    runner = Runner(name=name, pause_on_shutdown=pause_on_shutdown, limit=limit, webserver=webserver)
    deployment_id = runner.add_flow(flow, name=name, **options)
    if print_starting_message:
        print_flow_start(flow.name, name, deployment_id)
    try:
        runner.serve_until_stopped()
    except (KeyboardInterrupt, TerminationSignal) as exc:
        emit_logger_log(FLOWS_LOGGER, logging.INFO, _msgs.SHUTTING_DOWN.format(signal=type(exc).__name__))


def _runner_for(deployments: tuple[RunnerDeployment, ...], pause_on_shutdown: bool, limit: int | None,
                **kwargs: Any) -> Runner:  # fmt: skip
    runner = Runner(pause_on_shutdown=pause_on_shutdown, limit=limit, **kwargs)
    for deployment in deployments:
        if deployment.work_pool_name:
            warnings.warn(_msgs.SERVE_WORK_POOL_IGNORED.format(name=deployment.name), UserWarning, stacklevel=3)
            deployment.work_pool_name = None
        runner.add_deployment(deployment)
    return runner


def serve(
    *args: RunnerDeployment,
    pause_on_shutdown: bool = True,
    print_starting_message: bool = True,
    limit: int | None = None,
    **kwargs: Any,
) -> None:
    """``prefect.serve``: serve several deployments (``flow.to_deployment(...)``) until told to stop."""
    if in_async_context():
        raise RuntimeError(_msgs.SERVE_IN_ASYNC)
    runner = _runner_for(args, pause_on_shutdown, limit, **kwargs)
    if print_starting_message:
        print_serve_start(args)
    try:
        runner.serve_until_stopped()
    except (KeyboardInterrupt, TerminationSignal) as exc:
        emit_logger_log(FLOWS_LOGGER, logging.INFO, _msgs.SHUTTING_DOWN.format(signal=type(exc).__name__))


async def aserve(
    *args: RunnerDeployment,
    pause_on_shutdown: bool = True,
    print_starting_message: bool = True,
    limit: int | None = None,
    **kwargs: Any,
) -> None:
    """``prefect.aserve``: `serve` from async code. As in Prefect, a KeyboardInterrupt is not caught here."""
    runner = _runner_for(args, pause_on_shutdown, limit, **kwargs)
    if print_starting_message:
        print_serve_start(args)
    await runner.start()


def deploy_flow(flow: Flow[Any, Any], *args: Any, **kwargs: Any) -> Any:
    """``flow.deploy(...)``: to a work pool, for a worker; not imitated (deployments/runner.py says why)."""
    refuse_workers("flow.deploy()")


Runner.__module__ = "prefect.runner.runner"

__all__ = ["Runner", "aserve", "deploy_flow", "print_flow_start", "print_serve_start", "serve", "serve_flow"]
