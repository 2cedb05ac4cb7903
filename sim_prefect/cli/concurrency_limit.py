"""``prefect concurrency-limit`` (Prefect's ``prefect/cli/concurrency_limit.py``): limits on tagged task runs.

A tag's limit caps how many task runs with that tag run at once. Since
Prefect 3.4.19 the server keeps it as a global limit named ``tag:<tag>``
(``prefect gcl ls`` lists it too); these commands show it as the first API did:
its tag, its limit, and the task runs holding its slots. Creating a limit for
a tag that has one changes its size.
"""

from __future__ import annotations

from ..exceptions import ObjectNotFound
from ..types._datetime import DateTime, human_friendly_diff
from . import _msgs
from ._app import Command, Group, Param
from ._models import dump, simple_model
from ._pretty import Pretty
from ._renderables import Group as Stack
from ._renderables import Panel
from ._table import Table
from ._utilities import Context, check_output, exit_with_error, exit_with_success, json_output

_FIELDS = ("id", "created", "updated", "tag", "concurrency_limit", "active_slots")


def create(ctx: Context, *, tag: str, concurrency_limit: int) -> None:
    client = ctx.client
    client.create_concurrency_limit(tag=tag, concurrency_limit=concurrency_limit)
    client.read_concurrency_limit_by_tag(tag)
    ctx.console.print(_msgs.CL_CREATED.format(tag=tag, limit=concurrency_limit))


def inspect(ctx: Context, *, tag: str, output: str | None) -> None:
    as_json = check_output(ctx, output)
    try:
        result = ctx.client.read_concurrency_limit_by_tag(tag)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.CL_NOT_FOUND.format(tag=tag))
    if as_json:
        ctx.console.print(json_output(dump(simple_model("ConcurrencyLimit", result, _FIELDS))), soft_wrap=True)
        return
    holders = Table()
    holders.add_column(_msgs.CL_ACTIVE_IDS, no_wrap=True)
    for run_id in sorted(result.active_slots):
        holders.add_row(str(run_id))
    limit = Table(title=_msgs.CL_ID_TITLE.format(id=result.id))
    for header in ("Tag", "Concurrency Limit", "Created", "Updated"):
        limit.add_column(header, no_wrap=True)
    now = DateTime.at(ctx.now())
    limit.add_row(str(result.tag), str(result.concurrency_limit),
                  Pretty(human_friendly_diff(result.created, now=now) if result.created else ""),
                  Pretty(human_friendly_diff(result.updated, now=now) if result.updated else ""))  # fmt: skip
    ctx.console.print(Panel(Stack([limit, holders]), expand=False))


def ls(ctx: Context, *, limit: int, offset: int, output: str | None) -> None:
    as_json = check_output(ctx, output)
    limits = ctx.client.read_concurrency_limits(limit=limit, offset=offset)
    ordered = sorted(limits, key=lambda c: c.updated or c.created or "", reverse=True)
    if not ordered:
        if as_json:
            ctx.console.print("[]")
            return
        exit_with_success(ctx, _msgs.NO_CONCURRENCY_LIMITS)
    if as_json:
        ctx.console.print(json_output([dump(simple_model("ConcurrencyLimit", c, _FIELDS)) for c in ordered]),
                          soft_wrap=True)  # fmt: skip
        return
    table = Table(title=_msgs.CL_TITLE, caption=_msgs.CL_CAPTION)
    table.add_column("Tag", no_wrap=True)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Concurrency Limit", no_wrap=True)
    table.add_column("Active Task Runs", no_wrap=True)
    for cl in ordered:
        table.add_row(str(cl.tag), str(cl.id), str(cl.concurrency_limit), str(len(cl.active_slots)))
    ctx.console.print(table)


def reset(ctx: Context, *, tag: str) -> None:
    try:
        ctx.client.reset_concurrency_limit_by_tag(tag)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.CL_NOT_FOUND.format(tag=tag))
    exit_with_success(ctx, _msgs.CL_RESET.format(tag=tag))


def delete(ctx: Context, *, tag: str) -> None:
    try:
        if ctx.interactive and not ctx.confirm(_msgs.CL_DELETE_CONFIRM.format(tag=tag), default=False):
            exit_with_error(ctx, _msgs.DELETION_ABORTED)
        ctx.client.delete_concurrency_limit_by_tag(tag)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.CL_NOT_FOUND.format(tag=tag))
    exit_with_success(ctx, _msgs.CL_DELETED.format(tag=tag))


_TAG = Param("tag", "--tag", positional=True, required=True)
_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)

GROUP = Group("concurrency-limit", _msgs.CONCURRENCY_LIMIT_HELP, aliases=("concurrency-limits",), entries=(
    Command("create", _msgs.CL_CREATE_HELP, handler=create, params=(
        _TAG, Param("concurrency_limit", "--concurrency-limit", type="int", positional=True, required=True),
    )),
    Command("inspect", _msgs.CL_INSPECT_HELP, handler=inspect, params=(_TAG, _OUTPUT)),
    Command("ls", _msgs.CL_LS_HELP, handler=ls, params=(
        Param("limit", "--limit", type="int", default=15, help=_msgs.HELP_CL_LIMIT, show_default=True),
        Param("offset", "--offset", type="int", default=0, help=_msgs.HELP_OFFSET, show_default=True),
        _OUTPUT,
    )),
    Command("reset", _msgs.CL_RESET_HELP, handler=reset, params=(_TAG,)),
    Command("delete", _msgs.CL_DELETE_HELP, handler=delete, params=(_TAG,)),
))  # fmt: skip

__all__ = ["GROUP"]
