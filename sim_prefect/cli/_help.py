"""Help pages as cyclopts prints them for Prefect: usage, description, and panels of commands or parameters.

Layout (cyclopts 5.5.2's default formatter, at any width):

- ``Usage: prefect <command> ...``: required options with their value, then
  ``[OPTIONS]``, the positional parameters, and ``[ARGS]`` for optional ones;
- the command's description. When it has paragraphs after its first line (the
  docstring rendered as Markdown), every line but the very last is padded to
  the full width;
- panels as wide as the terminal: "Commands" (sorted, aliases in brackets)
  or "Parameters" (in signature order, with a ``*`` column when one is
  required), then "Session Parameters". In each, names take at most 35% of the
  width (longer ones wrap with a two-space indent) and descriptions wrap in
  the rest.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from . import _msgs
from ._app import SESSION_PARAMS, Command, Group, Param
from ._console import Console
from ._renderables import Group as Stack
from ._renderables import Panel, Text
from ._table import Table
from ._text import wrap


class _Unmeasured(Text):
    """A description cell: cyclopts' InlineText has no measure, so rich gives it the whole width."""

    def measure(self, width: int) -> tuple[int, int]:
        return 0, width


def _wrap_label(text: str, width: int) -> str:
    """A parameter's names in at most `width` cells: words wrapped with a two-space indent, a word too long cut
    (before a ``.`` where it has one), never at hyphens."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line.strip() else line + word
        if len(candidate) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line)
            line = "  "
        while len(line) + len(word) > width:
            available = width - len(line)
            cut = word.rfind(".", 1, available + 1)
            if cut <= 0:
                cut = max(available, 1)
            lines.append(line + word[:cut])
            line, word = "  ", word[cut:]
        line += word
    lines.append(line)
    return "\n".join(lines)


def _panel(title: str, rows: list[list[str]], columns: list[dict[str, Any]]) -> Panel:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), pad_edge=False)
    for column in columns:
        table.add_column(**column)
    for row in rows:
        table.add_row(*row[:-1], _Unmeasured(row[-1]))
    return Panel(Stack([table]), title=title, title_align="left")


def _command_panel(group: Group, width: int) -> Panel:
    name_width = math.ceil(width * 0.35)
    rows = []
    for entry in sorted(group.entries, key=lambda e: e.name):
        label = f"{entry.name} ({', '.join(entry.aliases)})" if entry.aliases else entry.name
        wrapped = textwrap.wrap(label, name_width, subsequent_indent="  ", break_on_hyphens=False, tabsize=4)
        rows.append(["\n".join(wrapped), entry.help])
    if group.show_help_row:
        rows.append(["--help", _msgs.HELP_HELP])
    return _panel("Commands", rows, [{"max_width": name_width}, {"overflow": "fold"}])


def _param_panel(title: str, params: tuple[Param, ...], width: int) -> Panel:
    name_width = math.ceil(width * 0.35)
    required = any(p.required for p in params)
    rows = []
    for param in params:
        row = [_wrap_label(param.display(), name_width), param.description()]
        rows.append((["*" if param.required else ""] if required else []) + row)
    columns: list[dict[str, Any]] = [{"max_width": name_width}, {"overflow": "fold"}]
    if required:
        columns.insert(0, {"width": 1})
    return _panel(title, rows, columns)


def usage(path: list[str], target: Command | Group) -> str:
    parts = ["Usage: prefect", *path]
    if isinstance(target, Group):
        return " ".join([*parts, "COMMAND", "[OPTIONS]"])
    params = target.params or ()
    for p in params:
        if p.required and not p.positional:
            parts.append(f"{p.flag} {p.display().split()[-1]}")
    parts.append("[OPTIONS]")
    parts += [p.label for p in params if p.positional and p.required]
    if any(p.positional and not p.required for p in params):
        parts.append("[ARGS]")
    return " ".join(parts)


def _description(target: Command | Group, width: int) -> list[str]:
    paragraphs = [target.help, *(target.description if isinstance(target, Command) else ())]
    if len(paragraphs) == 1:
        return wrap(paragraphs[0], width)
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines += wrap(paragraph, width, justify="left")
    lines[-1] = lines[-1].rstrip()
    return lines


def print_help(console: Console, path: list[str], target: Command | Group) -> None:
    """The help page of a command or group (`path` as typed, aliases kept)."""
    width = console.width
    console.print(usage(path, target), markup=False)
    console.print(markup=False)
    for line in _description(target, width):
        console.print(line, markup=False, soft_wrap=True)
    console.print(markup=False)
    if isinstance(target, Group):
        console.print(_command_panel(target, width))
    elif target.params:
        console.print(_param_panel("Parameters", target.params, width))
    console.print(_param_panel("Session Parameters", SESSION_PARAMS, width))


__all__ = ["print_help", "usage"]
