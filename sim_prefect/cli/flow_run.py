"""``prefect flow-run`` (Prefect's ``prefect/cli/flow_run.py``): list, inspect, follow, cancel and delete flow runs.

Each command reads and writes the session's server through the client, as
Prefect's do: ``ls`` asks for the runs by expected start time (newest first,
at most ``--limit``) and prints them newest created first, with when they ran
or will run in words; ``logs`` prints every log line of the run under the
flow run's name (a task run's lines too), as the API keeps them; ``cancel``
proposes ``Cancelling`` and the server decides (a scheduled run is cancelled
at once). ``retry`` and ``execute`` need Prefect's runner processes and fail
loudly.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..client.schemas.filters import (
    FlowFilter, FlowFilterId, FlowFilterName, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateName,
    FlowRunFilterStateType, LogFilter, LogFilterFlowRunId,
)  # fmt: skip
from ..client.schemas.responses import SetStateStatus
from ..client.schemas.sorting import FlowRunSort, LogSort
from ..exceptions import ObjectNotFound, not_imitated
from ..states import State, StateType
from ..types._datetime import DateTime, human_friendly_diff
from . import _msgs
from ._app import Command, Group, Param
from ._models import dump, flow_run_model, log_model, pretty
from ._pretty import Pretty
from ._renderables import escape
from ._table import Table
from ._utilities import Context, check_output, exit_with_error, exit_with_success, json_output
from .flow_runs_watching import watch_flow_run

LOGGER = "prefect.cli.flow_run"
DEFAULT_NUM_LOGS = 20
# The names `--state` takes in any case (flow_run.py's prefect_state_names).
STATE_NAMES = {name.upper(): name for name in (
    "Scheduled", "Pending", "Running", "Completed", "Failed", "Cancelled", "Crashed", "Paused", "Cancelling",
    "Suspended", "AwaitingRetry", "Retrying", "Late",
)}  # fmt: skip


def _read(ctx: Context, id: uuid.UUID) -> Any:
    try:
        return ctx.client.read_flow_run(id)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.FLOW_RUN_NOT_FOUND.format(id=id))


def inspect(ctx: Context, *, id: uuid.UUID, web: bool, output: str | None) -> None:
    as_json = check_output(ctx, output)
    flow_run = _read(ctx, id)
    if web:
        raise not_imitated("prefect flow-run inspect --web", _msgs.NO_BROWSER)
    model = flow_run_model(flow_run)
    if as_json:
        ctx.console.print(json_output(dump(model)), soft_wrap=True)
    else:
        ctx.console.print(Pretty(pretty(model)))


def ls(ctx: Context, *, flow_name: list[str] | None, limit: int, state: list[str] | None,
       state_type: list[str] | None, output: str | None) -> None:  # fmt: skip
    as_json = check_output(ctx, output)
    state_filter: dict[str, Any] = {}
    if state:
        names = []
        for name in state:
            official = STATE_NAMES.get(name.upper())
            if official is None:
                ctx.warn(LOGGER, _msgs.UNOFFICIAL_STATE.format(name=name))
            names.append(official or name)
        state_filter["name"] = FlowRunFilterStateName(any_=names)
    if state_type:
        upper = [t.upper() for t in state_type]
        if not all(t in StateType.__members__ for t in upper):
            exit_with_error(ctx, _msgs.INVALID_STATE_TYPE.format(options=", ".join(StateType.__members__)))
        state_filter["type"] = FlowRunFilterStateType(any_=[StateType[t] for t in upper])
    client = ctx.client
    flow_runs = client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=flow_name)) if flow_name else None,
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(**state_filter)) if state_filter else None,
        limit=limit, sort=FlowRunSort.EXPECTED_START_TIME_DESC,
    )  # fmt: skip
    flows = {f.id: f for f in client.read_flows(flow_filter=FlowFilter(id=FlowFilterId(any_=[r.flow_id for r in flow_runs])))}
    if not flow_runs:
        if as_json:
            ctx.console.print("[]")
            return
        exit_with_success(ctx, _msgs.NO_FLOW_RUNS)
    if as_json:
        ctx.console.print(json_output([dump(flow_run_model(r)) for r in flow_runs]), soft_wrap=True)
        return
    table = Table(title="Flow Runs")
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Flow", no_wrap=True)
    table.add_column("Name", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("When", no_wrap=True)
    now = DateTime.at(ctx.now())
    for run in sorted(flow_runs, key=lambda r: r.created, reverse=True):
        when = run.state.scheduled_time if run.state.is_scheduled() else run.state.timestamp
        table.add_row(str(run.id), str(flows[run.flow_id].name), str(run.name), str(run.state.type.value),
                      human_friendly_diff(when, now=now))  # fmt: skip
    ctx.console.print(table)


def delete(ctx: Context, *, id: uuid.UUID) -> None:
    try:
        if ctx.interactive and not ctx.confirm(_msgs.FLOW_RUN_DELETE_CONFIRM.format(id=id), default=False):
            exit_with_error(ctx, _msgs.DELETION_ABORTED)
        ctx.client.delete_flow_run(id)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.FLOW_RUN_NOT_FOUND.format(id=id))
    exit_with_success(ctx, _msgs.FLOW_RUN_DELETED.format(id=id))


def cancel(ctx: Context, *, id: uuid.UUID) -> None:
    try:
        result = ctx.client.set_flow_run_state(id, State(StateType.CANCELLING, "Cancelling"))
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.FLOW_RUN_NOT_FOUND.format(id=id))
    if result.status == SetStateStatus.ABORT:
        exit_with_error(ctx, _msgs.NOT_CANCELLED.format(id=id, reason=result.details.reason))
    exit_with_success(ctx, _msgs.CANCELLED.format(id=id))


def logs(ctx: Context, *, id: uuid.UUID, head: bool, num_logs: int | None, reverse: bool, tail: bool,
         output: str | None) -> None:  # fmt: skip
    as_json = check_output(ctx, output)
    if head and tail:
        exit_with_error(ctx, _msgs.HEAD_AND_TAIL)
    wanted = (num_logs or DEFAULT_NUM_LOGS) if head or tail or num_logs else None
    flow_run = _read(ctx, id)
    sort = LogSort.TIMESTAMP_DESC if reverse or tail else LogSort.TIMESTAMP_ASC
    lines = ctx.client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[id])), limit=None, sort=sort)
    # The server gives at most a page at a time; Prefect's CLI reads page after page until it has what it wants.
    lines = _all_pages(ctx, id, sort, lines)
    if wanted is not None:
        lines = lines[:wanted]
    if tail and not reverse:
        lines = list(reversed(lines))
    if as_json:
        ctx.console.print(json_output([dump(log_model(line)) for line in lines]), soft_wrap=True)
        return
    for line in lines:
        timestamp = f"{line.timestamp:%Y-%m-%d %H:%M:%S.%f}"[:-3]
        level = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}.get(line.level, f"Level {line.level}")
        text = _msgs.LOG_LINE.format(timestamp=timestamp, level=level, name=flow_run.name, message=escape(line.message))
        ctx.console.print(text, soft_wrap=True)


def _all_pages(ctx: Context, id: uuid.UUID, sort: LogSort, first: list[Any]) -> list[Any]:
    lines = list(first)
    page = len(first)
    while page and len(lines) % page == 0:
        more = ctx.client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[id])), offset=len(lines), sort=sort)
        if not more:
            break
        lines += more
    return lines


def watch(ctx: Context, *, id: uuid.UUID, timeout: int | None) -> None:
    flow_run = _read(ctx, id)
    state = flow_run.state
    if state is not None and state.is_final():
        if state.is_completed():
            exit_with_success(ctx, _msgs.ALREADY_FINISHED.format(state=state.name))
        exit_with_error(ctx, _msgs.ALREADY_FINISHED_BADLY.format(state=state.name))
    finished = watch_flow_run(ctx, str(id), timeout=timeout)
    report_finished(ctx, finished.state)


def report_finished(ctx: Context, state: State | None) -> None:
    """How a watch ends: the run's final state, and the exit status that goes with it."""
    if state is None:
        exit_with_error(ctx, _msgs.UNKNOWN_FINAL_STATE)
    if state.is_completed():
        exit_with_success(ctx, _msgs.FINISHED.format(state=state.name))
    exit_with_error(ctx, _msgs.FINISHED_BADLY.format(state=state.name))


_ID = Param("id", "--id", type="UUID", positional=True, required=True)
_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)

GROUP = Group("flow-run", _msgs.FLOW_RUN_HELP, aliases=("flow-runs",), entries=(
    Command("inspect", _msgs.FLOW_RUN_INSPECT_HELP, handler=inspect, params=(
        _ID, Param("web", "--web", type="bool", default=False, help=_msgs.HELP_WEB, show_default=True), _OUTPUT,
    )),
    Command("ls", _msgs.FLOW_RUN_LS_HELP, handler=ls, params=(
        Param("flow_name", "--flow-name", many=True, help=_msgs.HELP_FLOW_NAME),
        Param("limit", "--limit", type="int", default=15, help=_msgs.HELP_FLOW_RUN_LIMIT, show_default=True),
        Param("state", "--state", many=True, help=_msgs.HELP_STATE),
        Param("state_type", "--state-type", many=True, help=_msgs.HELP_STATE_TYPE),
        _OUTPUT,
    )),
    Command("delete", _msgs.FLOW_RUN_DELETE_HELP, handler=delete, params=(_ID,)),
    Command("cancel", _msgs.FLOW_RUN_CANCEL_HELP, handler=cancel, params=(_ID,)),
    Command("retry", _msgs.FLOW_RUN_RETRY_HELP, description=_msgs.FLOW_RUN_RETRY_DESCRIPTION, params=(
        Param("id_or_name", "--id-or-name", positional=True, required=True),
        Param("entrypoint", "--entrypoint", ("-e",), help=_msgs.HELP_ENTRYPOINT),
    )),
    Command("logs", _msgs.FLOW_RUN_LOGS_HELP, handler=logs, params=(
        _ID,
        Param("head", "--head", ("-h",), type="bool", default=False, help=_msgs.HELP_HEAD, show_default=True),
        Param("num_logs", "--num-logs", ("-n",), type="int", help=_msgs.HELP_NUM_LOGS),
        Param("reverse", "--reverse", ("-r",), type="bool", default=False, help=_msgs.HELP_REVERSE, show_default=True),
        Param("tail", "--tail", ("-t",), type="bool", default=False, help=_msgs.HELP_TAIL, show_default=True),
        _OUTPUT,
    )),
    Command("watch", _msgs.FLOW_RUN_WATCH_HELP, handler=watch, params=(
        _ID, Param("timeout", "--timeout", type="int", help=_msgs.HELP_WATCH_TIMEOUT),
    )),
    Command("execute", _msgs.FLOW_RUN_EXECUTE_HELP, params=(Param("id", "--id", type="UUID", positional=True),)),
))  # fmt: skip

__all__ = ["GROUP", "report_finished"]
