"""``prefect variable`` (Prefect's ``prefect/cli/variable.py``): set, read, list and unset variables.

A value typed on the command line is read as JSON when it is JSON (``42``,
``{"a": 1}``), and kept as text otherwise, as Prefect's CLI does. ``get``
prints the value as JSON; ``ls`` lists the variables by name, each value as
JSON (read as rich markup, so ``[true, null]`` vanishes, as under Prefect).
"""

from __future__ import annotations

import json
from typing import Any

from ..client.schemas.actions import VariableCreate, VariableUpdate
from ..exceptions import ObjectNotFound
from ..types._datetime import DateTime, human_friendly_diff
from . import _msgs
from ._app import Command, Group, Param
from ._models import dump, pretty, simple_model
from ._pretty import Pretty
from ._table import Table
from ._utilities import Context, check_output, exit_with_error, exit_with_success, json_output

_FIELDS = ("id", "created", "updated", "name", "value", "tags")


def _parse_value(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def ls(ctx: Context, *, limit: int, output: str | None) -> None:
    as_json = check_output(ctx, output)
    variables = ctx.client.read_variables(limit=limit)
    if as_json:
        ctx.console.print(json_output([dump(simple_model("Variable", v, _FIELDS)) for v in variables]), soft_wrap=True,
                          markup=False)  # fmt: skip
        return
    table = Table(title=_msgs.VARIABLES_TITLE, caption=_msgs.VARIABLES_CAPTION)
    table.add_column("Name", no_wrap=True)
    table.add_column("Value", no_wrap=True, max_width=50)
    table.add_column("Created", no_wrap=True)
    table.add_column("Updated", no_wrap=True)
    now = DateTime.at(ctx.now())
    for variable in sorted(variables, key=lambda v: f"{v.name}"):
        table.add_row(variable.name, json.dumps(variable.value), human_friendly_diff(variable.created, now=now),
                      human_friendly_diff(variable.updated, now=now))  # fmt: skip
    ctx.console.print(table)


def inspect(ctx: Context, *, name: str, output: str | None) -> None:
    as_json = check_output(ctx, output)
    variable = ctx.client.read_variable_by_name(name)
    if not variable:
        exit_with_error(ctx, _msgs.VARIABLE_NOT_FOUND.format(name=name))
    model = simple_model("Variable", variable, _FIELDS)
    if as_json:
        ctx.console.print(json_output(dump(model)), soft_wrap=True, markup=False)
    else:
        ctx.console.print(Pretty(pretty(model)))


def get(ctx: Context, *, name: str) -> None:
    variable = ctx.client.read_variable_by_name(name)
    if not variable:
        exit_with_error(ctx, _msgs.VARIABLE_NOT_FOUND.format(name=name))
    ctx.console.print(json.dumps(variable.value), soft_wrap=True, markup=False)


def set_(ctx: Context, *, name: str, value: str, overwrite: bool, tag: list[str] | None) -> None:
    client = ctx.client
    variable = client.read_variable_by_name(name)
    fields = {"name": name, "value": _parse_value(value), "tags": tag or []}
    if variable:
        if not overwrite:
            exit_with_error(ctx, _msgs.VARIABLE_EXISTS.format(name=name))
        client.update_variable(VariableUpdate(**fields))
    else:
        client.create_variable(VariableCreate(**fields))
    exit_with_success(ctx, _msgs.VARIABLE_SET.format(name=name))


def unset(ctx: Context, *, name: str) -> None:
    try:
        if ctx.interactive and not ctx.confirm(_msgs.VARIABLE_UNSET_CONFIRM.format(name=name)):
            exit_with_error(ctx, _msgs.VARIABLE_UNSET_ABORTED)
        ctx.client.delete_variable_by_name(name)
    except ObjectNotFound:
        exit_with_error(ctx, _msgs.VARIABLE_NOT_FOUND.format(name=name))
    exit_with_success(ctx, _msgs.VARIABLE_UNSET.format(name=name))


_NAME = Param("name", "--name", positional=True, required=True)
_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)

GROUP = Group("variable", _msgs.VARIABLE_HELP, entries=(
    Command("ls", _msgs.VARIABLE_LS_HELP, handler=ls, params=(
        Param("limit", "--limit", type="int", default=100, help=_msgs.HELP_VARIABLE_LIMIT, show_default=True), _OUTPUT,
    )),
    Command("inspect", _msgs.VARIABLE_INSPECT_HELP, handler=inspect, params=(_NAME, _OUTPUT)),
    Command("get", _msgs.VARIABLE_GET_HELP, handler=get, params=(_NAME,)),
    Command("set", _msgs.VARIABLE_SET_HELP, handler=set_, description=_msgs.VARIABLE_SET_DESCRIPTION, params=(
        _NAME, Param("value", "--value", positional=True, required=True),
        Param("overwrite", "--overwrite", type="bool", default=False, help=_msgs.HELP_OVERWRITE, show_default=True),
        Param("tag", "--tag", many=True, help=_msgs.HELP_VARIABLE_TAG),
    )),
    Command("unset", _msgs.VARIABLE_UNSET_HELP, handler=unset, params=(_NAME,)),
    Command("delete", _msgs.VARIABLE_UNSET_HELP, handler=unset, params=(_NAME,)),
))  # fmt: skip

__all__ = ["GROUP"]
