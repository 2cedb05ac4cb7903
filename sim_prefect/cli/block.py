"""``prefect block`` (Prefect's ``prefect/cli/block.py``): the blocks saved on the server.

``ls`` lists the saved blocks by slug (``secret/api-key``); its JSON form would
show each block's schema, which sim_prefect does not keep. The other block
commands need what the page has no use for (registering block types from
modules, Prefect's UI, the server's catalogue of every block type Prefect
ships) and fail loudly.
"""

from __future__ import annotations

from ..exceptions import not_imitated
from . import _msgs
from ._app import Command, Group, Param
from ._table import Table
from ._utilities import Context, check_output

def ls(ctx: Context, *, output: str | None) -> None:
    if check_output(ctx, output):
        raise not_imitated("prefect block ls --output json", _msgs.NO_BLOCK_SCHEMAS)
    blocks = ctx.client.read_block_documents()
    table = Table(title=_msgs.BLOCKS_TITLE, caption=_msgs.BLOCKS_CAPTION)
    for header in ("ID", "Type", "Name", "Slug"):
        table.add_column(header, no_wrap=True)
    for block in sorted(blocks, key=lambda b: f"{getattr(b.block_type, 'slug', '')}/{b.name}"):
        slug = getattr(block.block_type, "slug", "")
        table.add_row(str(block.id), getattr(block.block_type, "name", ""), str(block.name), f"{slug}/{block.name}")
    ctx.console.print(table)


_OUTPUT = Param("output", "--output", ("-o",), help=_msgs.HELP_OUTPUT)

TYPE_GROUP = Group("type", _msgs.BLOCK_TYPE_HELP, aliases=("types",), entries=(
    Command("ls", _msgs.BLOCK_TYPE_LS_HELP, params=(_OUTPUT,)),
    Command("inspect", _msgs.BLOCK_TYPE_INSPECT_HELP, params=None),
    Command("delete", _msgs.BLOCK_TYPE_DELETE_HELP, params=None),
))  # fmt: skip

GROUP = Group("block", _msgs.BLOCK_HELP, aliases=("blocks",), entries=(
    TYPE_GROUP,
    Command("register", _msgs.BLOCK_REGISTER_HELP, params=None),
    Command("ls", _msgs.BLOCK_LS_HELP, handler=ls, params=(_OUTPUT,)),
    Command("delete", _msgs.BLOCK_DELETE_HELP, params=None),
    Command("create", _msgs.BLOCK_CREATE_HELP, params=None),
    Command("inspect", _msgs.BLOCK_INSPECT_HELP, params=None),
))  # fmt: skip

__all__ = ["GROUP"]
