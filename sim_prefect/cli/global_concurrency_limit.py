"""``prefect global-concurrency-limit`` / ``prefect gcl`` (Prefect's ``prefect/cli/global_concurrency_limit.py``).

Global limits are the named limits ``concurrency("name")`` and ``rate_limit("name")``
take slots from: a size, the slots taken, and how fast taken slots decay.
Tag limits are among them, named ``tag:<tag>``. Each command goes through the
client, so the limits' rules (a limit of at least 0, a unique name) are the
server's and the models'.
"""

from __future__ import annotations

from pathlib import Path

from ..client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from ..exceptions import ObjectNotFound
from ..models import ValidationError
from ..types._datetime import DateTime, human_friendly_diff
from . import _msgs
from ._app import Command, Group, Param
from ._models import dump, pretty, simple_model
from ._pretty import Pretty
from ._table import Table
from ._utilities import Context, check_output, exit_with_error, exit_with_success, json_output

_FIELDS = ("id", "created", "updated", "active", "name", "limit", "active_slots", "slot_decay_per_second")
_DEFAULTS = {"active": True, "slot_decay_per_second": 2.0}  # GlobalConcurrencyLimitResponse's defaults


def _model(limit: object) -> object:
    return simple_model("GlobalConcurrencyLimitResponse", limit, _FIELDS, _DEFAULTS)


def ls(ctx: Context, *, output: str | None) -> None:
    as_json = check_output(ctx, output)
    limits = ctx.client.read_global_concurrency_limits(limit=100, offset=0)
    if not limits and not as_json:
        exit_with_success(ctx, _msgs.NO_GCLS)
    if as_json:
        ctx.console.print(json_output([dump(_model(limit)) for limit in limits]), soft_wrap=True)
        return
    table = Table(title=_msgs.GCL_TITLE, caption=_msgs.GCL_CAPTION)
    table.add_column("ID", justify="right", no_wrap=True, overflow="fold")
    table.add_column("Name", no_wrap=True, overflow="fold")
    for header in ("Active", "Limit", "Active Slots", "Slot Decay Per Second", "Created", "Updated"):
        table.add_column(header, no_wrap=True)
    now = DateTime.at(ctx.now())
    for limit in sorted(limits, key=lambda x: f"{x.name}"):
        table.add_row(str(limit.id), limit.name, str(limit.active), str(limit.limit), str(limit.active_slots),
                      str(limit.slot_decay_per_second), limit.created.isoformat(),
                      human_friendly_diff(limit.updated, now=now))  # fmt: skip
    ctx.console.print(table)


def _read(ctx: Context, name: str) -> object:
    try:
        return ctx.client.read_global_concurrency_limit_by_name(name)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.GCL_NOT_FOUND.format(name=name))


def inspect(ctx: Context, *, name: str, output: str | None, file_path: str | None) -> None:
    as_json = check_output(ctx, output)
    if file_path and not output:
        exit_with_error(ctx, _msgs.GCL_FILE_NEEDS_OUTPUT)
    limit = _read(ctx, name)
    if not as_json:
        ctx.console.print(Pretty(pretty(_model(limit))))
        return
    text = json_output(dump(_model(limit)))
    if not file_path:
        ctx.console.print(text, soft_wrap=True)
        return
    Path(file_path).write_text(text)
    exit_with_success(ctx, _msgs.GCL_WRITTEN.format(name=name, path=file_path))


def delete(ctx: Context, *, name: str) -> None:
    limit = _read(ctx, name)
    if ctx.interactive and not ctx.confirm(_msgs.GCL_DELETE_CONFIRM.format(name=limit.name), default=False):  # type: ignore[attr-defined]
        exit_with_error(ctx, _msgs.DELETION_ABORTED)
    try:
        ctx.client.delete_global_concurrency_limit_by_name(name)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.GCL_NOT_FOUND.format(name=name))
    exit_with_success(ctx, _msgs.GCL_DELETED.format(name=name))


def _switch(ctx: Context, name: str, active: bool) -> None:
    limit = _read(ctx, name)
    if limit.active == active:  # type: ignore[attr-defined]
        exit_with_error(ctx, _msgs.GCL_ALREADY.format(name=name, what="enabled" if active else "disabled"))
    ctx.client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active=active))
    exit_with_success(ctx, (_msgs.GCL_ENABLED if active else _msgs.GCL_DISABLED).format(name=name))


def enable(ctx: Context, *, name: str) -> None:
    _switch(ctx, name, True)


def disable(ctx: Context, *, name: str) -> None:
    _switch(ctx, name, False)


def update(ctx: Context, *, name: str, enable: bool | None, disable: bool | None, limit: int | None,
           active_slots: int | None, slot_decay_per_second: float | None) -> None:  # fmt: skip
    if enable and disable:
        exit_with_error(ctx, _msgs.GCL_BOTH)
    changes: dict[str, object] = {}
    if enable:
        changes["active"] = True
    if disable:
        changes["active"] = False
    for key, value in (("limit", limit), ("active_slots", active_slots), ("slot_decay_per_second", slot_decay_per_second)):
        if value is not None:
            changes[key] = value
    if not changes:
        exit_with_error(ctx, _msgs.GCL_NO_UPDATE)
    try:
        changed = GlobalConcurrencyLimitUpdate(**changes)
    except ValidationError as exc:
        exit_with_error(ctx, _msgs.GCL_INVALID.format(error=exc))
    try:
        ctx.client.update_global_concurrency_limit(name, changed)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.GCL_NOT_FOUND.format(name=name))
    exit_with_success(ctx, _msgs.GCL_UPDATED.format(name=name))


def create(ctx: Context, *, name: str, limit: int, disable: bool | None, active_slots: int | None,
           slot_decay_per_second: float | None) -> None:  # fmt: skip
    client = ctx.client
    try:
        client.read_global_concurrency_limit_by_name(name)
    except ObjectNotFound:
        pass
    else:
        exit_with_error(ctx, _msgs.GCL_EXISTS.format(name=name))
    try:
        action = GlobalConcurrencyLimitCreate(name=name, limit=limit, active=not disable, active_slots=active_slots,
                                              slot_decay_per_second=slot_decay_per_second)  # fmt: skip
    except ValidationError as exc:
        exit_with_error(ctx, _msgs.GCL_INVALID.format(error=exc))
    limit_id = client.create_global_concurrency_limit(action)
    exit_with_success(ctx, _msgs.GCL_CREATED.format(name=name, id=limit_id))


_NAME = Param("name", "--name", positional=True, required=True)
_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)
_DECAY = "--slot-decay-per-second"

GROUP = Group("global-concurrency-limit", _msgs.GCL_HELP, aliases=("gcl",), entries=(
    Command("ls", _msgs.GCL_LS_HELP, handler=ls, params=(_OUTPUT,)),
    Command("inspect", _msgs.GCL_INSPECT_HELP, handler=inspect, params=(
        _NAME, _OUTPUT, Param("file_path", "--file", ("-f",), type="Path", help=_msgs.HELP_GCL_FILE),
    )),
    Command("delete", _msgs.GCL_DELETE_HELP, handler=delete, params=(_NAME,)),
    Command("enable", _msgs.GCL_ENABLE_HELP, handler=enable, params=(_NAME,)),
    Command("disable", _msgs.GCL_DISABLE_HELP, handler=disable, params=(_NAME,)),
    Command("update", _msgs.GCL_UPDATE_HELP, handler=update, params=(
        _NAME,
        Param("enable", "--enable", type="bool", help=_msgs.HELP_GCL_ENABLE),
        Param("disable", "--disable", type="bool", help=_msgs.HELP_GCL_DISABLE),
        Param("limit", "--limit", ("-l",), type="int", help=_msgs.HELP_GCL_LIMIT),
        Param("active_slots", "--active-slots", type="int", help=_msgs.HELP_GCL_ACTIVE_SLOTS),
        Param("slot_decay_per_second", _DECAY, type="float", help=_msgs.HELP_GCL_DECAY),
    )),
    Command("create", _msgs.GCL_CREATE_HELP, handler=create, params=(
        _NAME,
        Param("limit", "--limit", ("-l",), type="int", required=True, help=_msgs.HELP_GCL_LIMIT),
        Param("disable", "--disable", type="bool", help=_msgs.HELP_GCL_CREATE_DISABLE),
        Param("active_slots", "--active-slots", type="int", default=0, help=_msgs.HELP_GCL_ACTIVE_SLOTS,
              show_default=True),
        Param("slot_decay_per_second", _DECAY, type="float", default=0.0, help=_msgs.HELP_GCL_DECAY,
              show_default=True),
    )),
))  # fmt: skip

__all__ = ["GROUP"]
