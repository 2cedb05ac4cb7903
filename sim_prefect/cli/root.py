"""The ``prefect`` command's tree: every top-level command, in the order Prefect registers them.

The groups sim_prefect imitates come from their modules (flow_run.py,
deployment.py, ...). Every other command is listed, so that ``prefect --help``
and cyclopts' "Available commands" read as Prefect's, and fails loudly when
run (`root` builds them without a handler).
"""

from __future__ import annotations

from . import _msgs
from ._app import Command, Group
from .block import GROUP as BLOCK
from .concurrency_limit import GROUP as CONCURRENCY_LIMIT
from .deployment import GROUP as DEPLOYMENT
from .flow_run import GROUP as FLOW_RUN
from .global_concurrency_limit import GROUP as GLOBAL_CONCURRENCY_LIMIT
from .variable import GROUP as VARIABLE
from .version import COMMAND as VERSION

_IMITATED: dict[str, Command | Group] = {
    entry.name: entry
    for entry in (FLOW_RUN, DEPLOYMENT, VARIABLE, BLOCK, CONCURRENCY_LIMIT, GLOBAL_CONCURRENCY_LIMIT, VERSION)
}


def _entry(name: str, aliases: tuple[str, ...], help: str) -> Command | Group:
    return _IMITATED.get(name) or Command(name, help, aliases=aliases, params=None)


ROOT = Group(
    "prefect", _msgs.ROOT_HELP, show_help_row=True,
    entries=tuple(_entry(name, aliases, help) for name, aliases, help in _msgs.ROOT_COMMANDS),
)  # fmt: skip

__all__ = ["ROOT"]
