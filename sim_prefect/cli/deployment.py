"""``prefect deployment`` (Prefect's ``prefect/cli/deployment.py``): list, inspect and run deployments.

``run`` creates a flow run of a deployment, scheduled now (or ``--start-in`` /
``--start-at``), its parameters the deployment's with ``--params`` and then
``--param`` over them; the client asks the session's server for it, as
Prefect's does, and whatever serves the deployment in the session picks it up. With ``--watch`` the command
follows it until it ends; if nothing serves it, it stays Scheduled and the
watch waits, as Prefect's does.

``--start-in`` and ``--start-at`` take the phrases Prefect's help shows
(``5 minutes``, ``1 hour``, ``5:30pm``, ``2022-08-01 17:30``); Prefect reads
any phrase dateparser understands, and a phrase sim_prefect cannot read but
that names a time fails loudly.
"""

from __future__ import annotations

import datetime
import json
import re
import textwrap
import uuid
import warnings
from typing import Any

from ..client.schemas.responses import DeploymentResponse
from ..exceptions import ObjectNotFound, PrefectHTTPStatusError, not_imitated
from ..runtime.environment import ui_url
from ..states import Scheduled
from ..types._datetime import DateTime, human_friendly_diff
from . import _msgs
from ._app import Command, Group, Param
from ._pretty import Pretty
from ._table import Table
from ._utilities import Context, check_output, exit_with_error, json_output
from .flow_run import report_finished
from .flow_runs_watching import watch_flow_run

READY_WITHIN = 60.0  # a served deployment is READY while its process polled within the last minute


def _iso(moment: Any) -> str | None:
    """A time as pydantic's JSON gives it (``...Z`` in UTC)."""
    if moment is None:
        return None
    when: datetime.datetime = moment if isinstance(moment, datetime.datetime) else DateTime.at(float(moment))
    return when.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _schedule_json(schedule: dict[str, Any]) -> dict[str, Any]:
    data = dict(schedule)
    if isinstance(data.get("anchor_date"), str):
        data["anchor_date"] = _iso(datetime.datetime.fromisoformat(data["anchor_date"]))
    return data


def deployment_json(ctx: Context, d: DeploymentResponse) -> dict[str, Any]:
    """Prefect's DeploymentResponse, as ``model_dump(mode="json")`` gives it (what sim_prefect's server does not
    keep, versions' details, pull steps, documents and who made it, as Prefect's shows it for a served flow)."""
    schedules = [{
        "id": entry.get("id"), "created": _iso(entry.get("created")),
        "updated": _iso(entry.get("updated", entry.get("created"))), "deployment_id": str(d.id),
        "schedule": _schedule_json(entry["schedule"]), "active": entry.get("active", True),
        "max_scheduled_runs": entry.get("max_scheduled_runs"), "parameters": dict(entry.get("parameters") or {}),
        "slug": entry.get("slug"),
    } for entry in d.schedules]  # fmt: skip
    polled = d.last_polled
    ready = polled is not None and ctx.now() - polled.timestamp() < READY_WITHIN
    return {
        "id": str(d.id), "created": _iso(d.created), "updated": _iso(d.updated), "name": d.name, "version": d.version,
        "version_id": None, "version_info": None, "branch": None, "base": None, "root": None,
        "description": d.description, "flow_id": str(d.flow_id), "concurrency_limit": d.concurrency_limit,
        "global_concurrency_limit": None, "concurrency_options": None, "paused": d.paused, "schedules": schedules,
        "job_variables": dict(d.job_variables), "parameters": dict(d.parameters), "pull_steps": [],
        "tags": list(d.tags), "labels": {"prefect.flow.id": str(d.flow_id)}, "work_queue_name": d.work_queue_name,
        "last_polled": _iso(polled), "parameter_openapi_schema": d.parameter_openapi_schema, "path": d.path,
        "entrypoint": d.entrypoint, "storage_document_id": None, "infrastructure_document_id": None,
        "created_by": None, "updated_by": None, "work_queue_id": None,
        "enforce_parameter_schema": d.enforce_parameter_schema, "work_pool_name": d.work_pool_name,
        "status": "READY" if ready else "NOT_READY",
    }  # fmt: skip


def _by_name(ctx: Context, name: str) -> DeploymentResponse:
    try:
        return ctx.client.read_deployment_by_name(name)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.DEPLOYMENT_NOT_FOUND.format(name=name))


def inspect(ctx: Context, *, name: str, output: str | None) -> None:
    as_json = check_output(ctx, output)
    if "/" not in name:
        exit_with_error(ctx, _msgs.INVALID_DEPLOYMENT_NAME)
    data = deployment_json(ctx, _by_name(ctx, name))
    data["automations"] = []
    if as_json:
        ctx.console.print(json_output(data), soft_wrap=True)
    else:
        ctx.console.print(Pretty(data))


def ls(ctx: Context, *, flow_name: list[str] | None, by_created: bool, output: str | None) -> None:
    as_json = check_output(ctx, output)
    client = ctx.client
    flows = {flow.id: flow.name for flow in client.read_flows()}
    # Prefect asks the server for the deployments of these flows; the same ones, picked here.
    deployments = [d for d in client.read_deployments() if not flow_name or flows.get(d.flow_id) in flow_name]
    if as_json:
        ctx.console.print(json_output([deployment_json(ctx, d) for d in deployments]), soft_wrap=True)
        return
    table = Table(title="Deployments", expand=True)
    table.add_column("Name", no_wrap=True, ratio=40)
    table.add_column("ID", no_wrap=True, ratio=40)
    table.add_column("Work Pool", no_wrap=True, ratio=20, overflow="crop")
    if by_created:
        ordered = sorted(deployments, key=lambda d: ctx.now() - d.created.timestamp())
    else:
        ordered = sorted(deployments, key=lambda d: (flows[d.flow_id], d.name))
    for d in ordered:
        table.add_row(f"{flows[d.flow_id]}/[bold]{d.name}[/]", str(d.id), d.work_pool_name or "")
    ctx.console.print(table)


# -- deployment run ---------------------------------------------------------------------------------------


def _json_value(value: str) -> Any:
    """A ``key=value`` value: JSON, or the text itself when it is not JSON (Prefect's load_json_key_values)."""
    try:
        return json.loads(value)
    except ValueError as exc:
        if ("Extra data" in str(exc) or "Expecting value" in str(exc)) and '"' not in value:
            return _json_value(f'"{value}"')
        raise


def _key_values(ctx: Context, specs: list[str], what: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for spec in specs:
        key, _, value = spec.partition("=")
        try:
            parsed[key] = _json_value(value)
        except ValueError as exc:
            exit_with_error(ctx, _msgs.BAD_KEY_VALUE_JSON.format(what=what, key=key, value=textwrap.indent(value, "\t"),
                                                                  error=exc))  # fmt: skip
    return parsed


_UNITS = {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400, "week": 604800}
_IN = re.compile(r"^\s*(?:in\s+)?((?:\d+(?:\.\d+)?\s*[a-z]+\s*(?:,|and)?\s*)+)$", re.I)
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.I)
_AT_TIME = re.compile(r"^\s*(?:at\s+)?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?\s*$", re.I)
_AT_DATE = re.compile(r"^\s*(?:at\s+)?(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$", re.I)
# Words dateparser knows: a phrase with one of them (or a digit) may be a time sim_prefect cannot read.
_TIME_WORDS = re.compile(
    r"\d|\b(now|today|tomorrow|yesterday|next|last|ago|noon|midnight|am|pm|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|"
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b", re.I,
)  # fmt: skip


def parse_start(text: str, now: datetime.datetime) -> datetime.datetime | None:
    """When ``in 10 minutes`` or ``at 5:30pm`` is, from `now` (None: not a time at all); the forms Prefect's
    help shows, read as dateparser reads them (a time already passed today is tomorrow's)."""
    body = text.strip()
    lowered = body.lower()
    if lowered.startswith("in "):
        match = _IN.match(body)
        if match:
            seconds = 0.0
            for amount, unit in _PART.findall(match.group(1)):
                unit = unit.lower().rstrip("s") or unit.lower()
                if unit not in _UNITS:
                    break
                seconds += float(amount) * _UNITS[unit]
            else:
                return now + datetime.timedelta(seconds=seconds)
    elif lowered.startswith("at "):
        date = _AT_DATE.match(body)
        if date:
            y, mo, d, h, mi, s = (int(g) if g else 0 for g in date.groups())
            return datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.timezone.utc)
        clock = _AT_TIME.match(body)
        if clock:
            hour, minute, second = (int(g) if g else 0 for g in clock.groups()[:3])
            meridiem = (clock.group(4) or "").lower()
            if meridiem == "pm" and hour < 12:
                hour += 12
            elif meridiem == "am" and hour == 12:
                hour = 0
            if hour < 24 and minute < 60 and second < 60:
                moment = now.replace(hour=hour, minute=minute, second=second, microsecond=0)
                return moment if moment >= now else moment + datetime.timedelta(days=1)
    if _TIME_WORDS.search(body.split(" ", 1)[1] if " " in body else body):
        raise not_imitated("dateparser's reading of start times", f"{text!r}: {_msgs.START_FORMS}")
    return None


def run(ctx: Context, *, name: str | None, deployment_id: str | None, job_variables: list[str] | None,
        params: list[str] | None, multiparams: str | None, start_in: str | None, start_at: str | None,
        tags: list[str] | None, watch: bool, watch_interval: int | None, watch_timeout: int | None,
        flow_run_name: str | None) -> None:  # fmt: skip
    now = DateTime.at(ctx.now())
    multi: dict[str, Any] = {}
    if multiparams:
        if multiparams == "-":
            multiparams = ctx.stdin.read() if ctx.stdin is not None else ""
            if not multiparams:
                exit_with_error(ctx, _msgs.NO_STDIN)
        try:
            multi = json.loads(multiparams)
        except ValueError as exc:
            exit_with_error(ctx, _msgs.BAD_PARAMS_JSON.format(error=exc))
    cli_params = _key_values(ctx, params or [], "parameter")
    conflicts = set(cli_params).intersection(multi)
    if conflicts:
        ctx.console.print(_msgs.PARAM_CONFLICT.format(keys=conflicts))
    parameters = {**multi, **cli_params}
    job_vars = _key_values(ctx, job_variables or [], "job variable")
    if start_in and start_at:
        exit_with_error(ctx, _msgs.START_BOTH)
    if start_in is None and start_at is None:
        scheduled, when = now, " (now)"
    else:
        raw = "in " + start_in if start_in else "at " + str(start_at)
        parsed = parse_start(raw, now)
        if parsed is None:
            exit_with_error(ctx, _msgs.START_UNPARSEABLE.format(text=raw))
        scheduled = DateTime.at(parsed.timestamp())
        when = " (" + human_friendly_diff(scheduled, now=now) + ")"
    client = ctx.client
    deployment = _deployment(ctx, name, deployment_id)
    flow = client.read_flow(deployment.flow_id)
    schema = deployment.parameter_openapi_schema
    available = list(schema.get("properties", {})) if schema else []
    unknown = [key for key in parameters if key not in set(available)]
    if unknown:
        listed = (_msgs.AVAILABLE_PARAMETERS.format(keys=", ".join(repr(p) for p in available))
                  if available else _msgs.NO_PARAMETERS)  # fmt: skip
        exit_with_error(ctx, _msgs.UNKNOWN_PARAMETERS.format(keys=", ".join(repr(k) for k in unknown), available=listed))
    if flow_run_name:
        try:
            flow_run_name = flow_run_name.format(**{**(deployment.parameters or {}), **parameters})
        except KeyError as exc:
            exit_with_error(ctx, _msgs.RUN_NAME_MISSING.format(key=exc.args[0]))
        except Exception as exc:
            exit_with_error(ctx, _msgs.RUN_NAME_FAILED.format(error=exc))
    ctx.console.print(_msgs.CREATING_FLOW_RUN.format(flow=flow.name, deployment=deployment.name))
    try:
        flow_run = client.create_flow_run_from_deployment(
            deployment.id, parameters=parameters, state=Scheduled(scheduled_time=scheduled), tags=tags,
            job_variables=job_vars, name=flow_run_name,
        )  # fmt: skip
    except PrefectHTTPStatusError as exc:
        if not exc.detail:
            raise
        exit_with_error(ctx, exc.detail)
    base = ui_url()
    url = _msgs.FLOW_RUN_URL.format(ui=base, id=flow_run.id) if base else _msgs.NO_DASHBOARD
    shown = scheduled.astimezone()
    ctx.console.print(_msgs.CREATED_FLOW_RUN.format(name=flow_run.name))
    ctx.console.print(_msgs.CREATED_FLOW_RUN_TREE.format(
        id=flow_run.id, parameters=flow_run.parameters, job_variables=flow_run.job_variables,
        scheduled=f"{shown:%Y-%m-%d %H:%M:%S} {shown.tzname()}{when}", url=url,
    ), soft_wrap=True)  # fmt: skip
    if watch:
        if watch_interval is not None:
            warnings.warn(_msgs.WATCH_INTERVAL_DEPRECATED, DeprecationWarning, stacklevel=2)  # shown as Prefect's is
        finished = watch_flow_run(ctx, str(flow_run.id), timeout=watch_timeout)
        report_finished(ctx, finished.state)


def _deployment(ctx: Context, name: str | None, deployment_id: str | None) -> DeploymentResponse:
    """The deployment named, or with that id (Prefect's _get_deployment)."""
    if name is None and deployment_id is not None:
        try:
            uuid.UUID(deployment_id)
        except ValueError:
            exit_with_error(ctx, _msgs.INVALID_DEPLOYMENT_ID.format(id=deployment_id))
        try:
            return ctx.client.read_deployment(deployment_id)
        except ObjectNotFound:
            exit_with_error(ctx, _msgs.DEPLOYMENT_NOT_FOUND.format(name=deployment_id))
    if name is not None and deployment_id is None:
        try:  # as Prefect's client reads the name (its ValueError, chained, ends the command with a traceback)
            _flow, _deployment_name = name.split("/")
        except ValueError as exc:
            raise ValueError(_msgs.INVALID_NAME_FORMAT.format(name=name)) from exc
        return _by_name(ctx, name)
    if name is None:
        exit_with_error(ctx, _msgs.NAME_OR_ID)
    exit_with_error(ctx, _msgs.ONLY_NAME_OR_ID)


_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)
_NAME = Param("name", "--name", positional=True, help=_msgs.HELP_DEPLOYMENT_NAME)

SCHEDULE_GROUP = Group("schedule", _msgs.SCHEDULE_HELP, entries=tuple(
    Command(name, help, params=None) for name, help in _msgs.SCHEDULE_COMMANDS
))  # fmt: skip

GROUP = Group("deployment", _msgs.DEPLOYMENT_HELP, aliases=("deployments",), entries=(
    SCHEDULE_GROUP,
    Command("inspect", _msgs.DEPLOYMENT_INSPECT_HELP, handler=inspect, params=(
        Param("name", "--name", positional=True, required=True), _OUTPUT,
    )),
    Command("ls", _msgs.DEPLOYMENT_LS_HELP, handler=ls, params=(
        Param("flow_name", "--flow_name", positional=True, many=True, help=_msgs.HELP_FLOW_NAMES),
        Param("by_created", "--by-created", type="bool", default=False, help=_msgs.HELP_BY_CREATED, show_default=True),
        _OUTPUT,
    )),
    Command("run", _msgs.DEPLOYMENT_RUN_HELP, handler=run, description=_msgs.DEPLOYMENT_RUN_DESCRIPTION, params=(
        _NAME,
        Param("deployment_id", "--id", help=_msgs.HELP_DEPLOYMENT_ID),
        Param("job_variables", "--job-variable", many=True, help=_msgs.HELP_JOB_VARIABLE),
        Param("params", "--param", ("-p",), many=True, help=_msgs.HELP_PARAM),
        Param("multiparams", "--params", help=_msgs.HELP_PARAMS, leading_hyphen=True),
        Param("start_in", "--start-in", help=_msgs.HELP_START_IN),
        Param("start_at", "--start-at", help=_msgs.HELP_START_AT),
        Param("tags", "--tag", many=True, help=_msgs.HELP_RUN_TAG),
        Param("watch", "--watch", type="bool", default=False, help=_msgs.HELP_WATCH, show_default=True),
        Param("watch_interval", "--watch-interval", type="int", help=_msgs.HELP_WATCH_INTERVAL),
        Param("watch_timeout", "--watch-timeout", type="int", help=_msgs.HELP_RUN_WATCH_TIMEOUT),
        Param("flow_run_name", "--flow-run-name", help=_msgs.HELP_FLOW_RUN_NAME),
    )),
    Command("delete", _msgs.DEPLOYMENT_DELETE_HELP, params=(
        _NAME, Param("deployment_id", "--id", type="UUID", help=_msgs.HELP_DEPLOYMENT_ID),
        Param("all", "--all", type="bool", default=False, help=_msgs.HELP_DELETE_ALL, show_default=True),
    )),
))  # fmt: skip

__all__ = ["GROUP", "deployment_json", "parse_start"]
