"""The CLI's console: where Prefect's commands print, wrapped at the terminal's width as rich wraps them.

Prefect's CLI prints everything through one rich ``Console`` (``prefect.cli._app.console``),
made with ``soft_wrap=False``: a message longer than the terminal is word-wrapped at
its width, and a line of a table or panel is cut to it. A few calls pass
``soft_wrap=True`` (log lines, JSON, ``variable get``): those lines are printed whole.
Messages are rich markup (`from_markup`). Usage errors go to stderr in a
panel titled "Error", as cyclopts prints them.
"""

from __future__ import annotations

from typing import TextIO

from ._renderables import Options, Panel, Renderable, Text, from_markup, render_lines


class Console:
    """Prints text and renderables to `file`, `width` cells wide."""

    def __init__(self, file: TextIO, width: int) -> None:
        self.file = file
        self.width = width

    def print(self, value: str | Renderable = "", *, soft_wrap: bool = False, markup: bool = True) -> None:
        if isinstance(value, str):
            plain = from_markup(value) if markup else value
            if soft_wrap:
                self._write([line.expandtabs(8) for line in plain.split("\n")])
                return
            value = Text(plain)
        self._write(render_lines(value, Options(self.width), pad=False))

    def error_panel(self, message: str) -> None:
        """A usage error, as cyclopts prints it: a panel titled "Error" as wide as the terminal."""
        self.print(Panel(Text(message), title="Error", title_align="left"))

    def _write(self, lines: list[str]) -> None:
        self.file.write("".join(line + "\n" for line in lines))


__all__ = ["Console"]
