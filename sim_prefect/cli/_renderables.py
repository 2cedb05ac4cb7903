"""What Prefect's CLI prints, as rich lays it out: text, padding, groups, panels and boxes.

Every renderable here answers two questions, as rich's do: how wide it can be
(`measure`: the narrowest and the widest it prints, in cells) and what lines it
prints in a given width (`render`). Tables (`_table.py`) and the pretty
printer (`_pretty.py`) are renderables too; the console (`_console.py`) prints
them. Only plain text comes out: Prefect's colours are rich's styling, which
the page's terminal does not show.

Strings printed by the CLI are rich *markup*: ``[bold]x[/]`` prints ``x``,
and so does anything in square brackets that starts like a style
(``[true, null]`` vanishes too, as it does under Prefect). `from_markup` turns
such a string into the plain text rich prints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from ._text import Justify, Overflow, cell_len, measure, set_cell_size, truncate, wrap

# -- markup -------------------------------------------------------------------------------

_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")  # rich's markup tags, after any backslashes


def from_markup(markup: str) -> str:
    """The text rich prints for `markup`: tags dropped, ``\\[`` kept as ``[`` (rich's ``markup.render``)."""
    if "[" not in markup:
        return markup
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        full, escapes, _tag = match.groups()
        start, end = match.span()
        if start > position:
            out.append(markup[position:start].replace("\\[", "["))
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            out.append("\\" * backslashes)
            if escaped:
                out.append(full[len(escapes) :])
    if position < len(markup):
        out.append(markup[position:].replace("\\[", "["))
    return "".join(out)


def escape(text: str) -> str:
    """`text` with its square brackets escaped, so markup prints it as it is (rich's ``markup.escape``)."""
    text = re.sub(r"(\\*)(\[[a-z#/@][^[]*?])", lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", text)
    return text + "\\" if text.endswith("\\") and not text.endswith("\\\\") else text


# -- the protocol -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What a renderable is rendered into: a width, and the defaults its container gives (a table's column)."""

    width: int
    justify: Justify | None = None
    overflow: Overflow | None = None
    no_wrap: bool = False

    def with_width(self, width: int) -> Options:
        return replace(self, width=width)


class Renderable(Protocol):
    def measure(self, width: int) -> tuple[int, int]:
        """The narrowest and widest this prints, given at most `width` cells."""
        ...

    def render(self, options: Options) -> list[str]:
        """The lines this prints in `options.width` cells (not yet padded to the width)."""
        ...


def measure_of(renderable: Renderable, width: int) -> tuple[int, int]:
    """A renderable's measurement, normalised and capped at `width` (rich's ``Measurement.get``)."""
    if width < 1:
        return 0, 0
    low, high = renderable.measure(width)
    low, high = _normalized(low, high)
    low, high = min(low, width), min(high, width)
    if high < 1:
        return 0, 0
    return _normalized(low, high)


def _normalized(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def render_lines(renderable: Renderable, options: Options, pad: bool = True) -> list[str]:
    """The lines of `renderable`, each cut to the width (and padded to it with `pad`): rich's ``render_lines``."""
    if options.width < 1:
        return []
    lines = renderable.render(options)
    return [set_cell_size(line, options.width) if pad else truncate(line, options.width, "crop") for line in lines]


def shape(lines: list[str], width: int, height: int) -> list[str]:
    """`lines` made exactly `width` cells wide and `height` lines tall (rich's ``Segment.set_shape``)."""
    blank = " " * width
    shaped = [set_cell_size(line, width) for line in lines[:height]]
    return shaped + [blank] * (height - len(shaped))


# -- text, padding and groups ------------------------------------------------------------------


@dataclass
class Text:
    """Plain text, wrapped to the width it is printed in (rich's ``Text``)."""

    plain: str
    justify: Justify | None = None
    overflow: Overflow | None = None
    no_wrap: bool | None = None

    def measure(self, width: int) -> tuple[int, int]:
        return measure(self.plain)

    def render(self, options: Options) -> list[str]:
        return wrap(
            self.plain,
            options.width,
            justify=self.justify or options.justify or "default",
            overflow=self.overflow or options.overflow or "fold",
            no_wrap=self.no_wrap if self.no_wrap is not None else options.no_wrap,
        )


def as_renderable(value: str | Renderable) -> Renderable:
    """A string printed by the CLI becomes the text of its markup; a renderable stays as it is."""
    return Text(from_markup(value)) if isinstance(value, str) else value


@dataclass
class Padding:
    """Space around a renderable: (top, right, bottom, left) cells; it fills the width it is given."""

    renderable: Renderable
    top: int = 0
    right: int = 0
    bottom: int = 0
    left: int = 0

    def measure(self, width: int) -> tuple[int, int]:
        extra = self.left + self.right
        if width - extra < 1:
            return width, width
        low, high = measure_of(self.renderable, width)
        return min(low + extra, width), min(high + extra, width)

    def render(self, options: Options) -> list[str]:
        width = options.width
        lines = render_lines(self.renderable, options.with_width(width - self.left - self.right))
        blank = [" " * width]
        body = [" " * self.left + line + " " * self.right for line in lines]
        return blank * self.top + body + blank * self.bottom


@dataclass
class Group:
    """Renderables one under the other (rich's ``Group``)."""

    renderables: Sequence[Renderable]

    def measure(self, width: int) -> tuple[int, int]:
        sizes = [measure_of(r, width) for r in self.renderables]
        if not sizes:
            return 0, 0
        return max(low for low, _ in sizes), max(high for _, high in sizes)

    def render(self, options: Options) -> list[str]:
        return [line for r in self.renderables for line in render_lines(r, options)]


# -- boxes and panels ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """The characters a table or panel is drawn with: rich's box, row by row (4 characters each)."""

    top: str  # left, horizontal, divider, right
    head: str  # left, (space), vertical, right
    head_row: str  # the line under the header
    mid: str
    row: str  # the line between rows (show_lines)
    foot_row: str
    foot: str
    bottom: str

    def top_line(self, widths: Sequence[int]) -> str:
        return self.top[0] + self.top[2].join(self.top[1] * w for w in widths) + self.top[3]

    def bottom_line(self, widths: Sequence[int]) -> str:
        return self.bottom[0] + self.bottom[2].join(self.bottom[1] * w for w in widths) + self.bottom[3]

    def rule(self, widths: Sequence[int], level: Literal["head", "row"], edge: bool = True) -> str:
        chars = self.head_row if level == "head" else self.row
        left, horizontal, cross, right = chars[0], chars[1], chars[2], chars[3]
        inner = cross.join(horizontal * w for w in widths)
        return f"{left}{inner}{right}" if edge else inner


def _box(rows: str) -> Box:
    return Box(*rows.split("\n")[:8])


ROUNDED = _box("╭─┬╮\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n╰─┴╯")
SQUARE = _box("┌─┬┐\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘")
HEAVY_HEAD = _box("┏━┳┓\n┃ ┃┃\n┡━╇┩\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘")
PLAIN_HEADED = {HEAVY_HEAD: SQUARE}  # the box a table without a header uses instead


@dataclass
class Panel:
    """A renderable in a rounded box, with a title in its top line (rich's ``Panel``, padding (0, 1))."""

    renderable: Renderable
    title: str | None = None
    expand: bool = True
    box: Box = ROUNDED
    title_align: Literal["left", "center"] = "center"

    def measure(self, width: int) -> tuple[int, int]:
        sizes = [measure_of(r, width - 4) for r in self._contents()]
        widest = max((high for _, high in sizes), default=0) + 4
        return widest, widest

    def _contents(self) -> list[Renderable]:
        return [self.renderable, Text(self._title())] if self.title else [self.renderable]

    def _title(self) -> str:
        return f" {self.title} "

    def render(self, options: Options) -> list[str]:
        width = options.width
        inner: Renderable = Padding(self.renderable, 0, 1, 0, 1)
        child = width - 2 if self.expand else measure_of(inner, width - 2)[1]
        if self.title is not None:
            child = min(width - 2, max(child, cell_len(self._title()) + 2))
        width = child + 2
        lines = render_lines(inner, options.with_width(child))
        box = self.box
        if self.title is None or width <= 4:
            top = box.top_line([width - 2])
        else:
            title = truncate(self._title(), width - 4, "crop")
            space = width - 4 - cell_len(title)
            before = space // 2 if self.title_align == "center" else 0
            line = box.top[1] * before + title + box.top[1] * (space - before)
            top = box.top[0] + box.top[1] + line + box.top[1] + box.top[3]
        side_left, side_right = box.head[0], box.head[3]
        return [top, *(side_left + line + side_right for line in lines), box.bottom_line([width - 2])]


__all__ = [
    "HEAVY_HEAD", "PLAIN_HEADED", "ROUNDED", "SQUARE", "Box", "Group", "Options", "Padding", "Panel", "Renderable",
    "Text", "as_renderable", "escape", "from_markup", "measure_of", "render_lines", "shape",
]  # fmt: skip
