"""Tables as rich draws them: how wide each column is, where cells wrap or are cut, and the box around them.

Prefect's CLI lists runs, deployments, variables, limits and blocks in rich
``Table``\\ s, and its help pages are tables too (without a box). The layout
follows rich's rules, which decide every truncation the learner sees:

- each column is as wide as its widest cell (header included) plus padding,
  within its ``max_width``; with ``expand`` the columns share the whole width
  by their ``ratio``;
- a table too wide for the console first narrows its widest wrapping columns
  towards the next widest, then, as a last resort, every column evenly, and
  measures its cells again at those widths;
- a cell wraps, or (``no_wrap``) is cut with an ellipsis (``overflow``);
- the title and caption are centred over the table.

The ratio arithmetic rounds halves to even, as Python's ``round`` (and rich) do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import Literal

from ._renderables import (
    HEAVY_HEAD, PLAIN_HEADED, Box, Options, Padding, Renderable, Text, as_renderable, from_markup, measure_of, render_lines,
    shape,
)  # fmt: skip
from ._text import Justify, Overflow

Vertical = Literal["top", "middle", "bottom"]


@dataclass
class Column:
    header: str = ""
    justify: Justify = "left"
    no_wrap: bool = False
    overflow: Overflow = "ellipsis"
    width: int | None = None
    min_width: int | None = None
    max_width: int | None = None
    ratio: int | None = None
    vertical: Vertical = "top"
    cells: list[Renderable] = field(default_factory=list)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            taken = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _ratio_distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    if minimums:
        ratios = [r if m else 0 for r, m in zip(ratios, minimums)]
    total_ratio = sum(ratios)
    remaining = total
    out = []
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios)):
        given = max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        out.append(given)
        total_ratio -= ratio
        remaining -= given
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Narrow the widest wrapping columns, step by step, until the table fits (or nothing more can wrap)."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, can in zip(widths, wrapable) if can)
            second = max(w if can and w != widest else 0 for w, can in zip(widths, wrapable))
            difference = widest - second
            ratios = [1 if (w == widest and can) else 0 for w, can in zip(widths, wrapable)]
            if not any(ratios) or not difference:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


@dataclass
class Table:
    """Rows of cells under a header, in a box (rich's ``Table``; HEAVY_HEAD, padding (0, 1), by default)."""

    title: str | None = None
    caption: str | None = None
    box: Box | None = HEAVY_HEAD
    show_header: bool = True
    show_edge: bool = True
    show_lines: bool = False
    expand: bool = False
    padding: tuple[int, int, int, int] = (0, 1, 0, 1)  # top, right, bottom, left
    pad_edge: bool = True
    width: int | None = None
    columns: list[Column] = field(default_factory=list)
    row_count: int = 0
    section_ends: set[int] = field(default_factory=set)  # rows after which a line is drawn

    def add_column(self, header: str = "", **options: object) -> None:
        self.columns.append(Column(header, **options))  # type: ignore[arg-type]

    def add_row(self, *cells: str | Renderable, end_section: bool = False) -> None:
        for column, cell in zip(self.columns, [*cells, *[""] * (len(self.columns) - len(cells))]):
            column.cells.append(as_renderable(cell))
        if end_section:
            self.section_ends.add(self.row_count)
        self.row_count += 1

    # -- sizes --------------------------------------------------------------------------------
    @property
    def _extra_width(self) -> int:
        if self.box is None:
            return 0
        return (2 if self.show_edge else 0) + len(self.columns) - 1

    def _padding_width(self, index: int) -> int:
        _, right, _, left = self.padding
        if not self.pad_edge:
            left = 0 if index == 0 else left
            right = 0 if index == len(self.columns) - 1 else right
        return left + right

    def _cells(self, index: int) -> list[Renderable]:
        """A column's cells (its header first), each in its padding."""
        column = self.columns[index]
        raw: list[Renderable] = ([as_renderable(column.header)] if self.show_header else []) + column.cells
        top, right, bottom, left = self.padding
        if not any(self.padding):
            return raw
        padded: list[Renderable] = []
        for row, cell in enumerate(raw):
            t, r, b, le = top, right, bottom, left
            if not self.pad_edge:
                le = 0 if index == 0 else le
                r = 0 if index == len(self.columns) - 1 else r
                t = 0 if row == 0 else t
                b = 0 if row == len(raw) - 1 else b
            padded.append(Padding(cell, t, r, b, le))
        return padded

    def _measure_column(self, index: int, width: int) -> tuple[int, int]:
        if width < 1:
            return 0, 0
        column = self.columns[index]
        padding = self._padding_width(index)
        if column.width is not None:
            fixed = column.width + padding
            return min(fixed, width), min(fixed, width)
        sizes = [measure_of(cell, width) for cell in self._cells(index)]
        low = max((s[0] for s in sizes), default=1)
        high = max((s[1] for s in sizes), default=width)
        low, high = min(low, width), min(high, width)
        if column.min_width is not None:
            floor = column.min_width + padding
            low, high = max(low, floor), max(high, floor)
        if column.max_width is not None:
            cap = column.max_width + padding
            low, high = min(low, cap), min(high, cap)
        return low, high

    def column_widths(self, max_width: int) -> list[int]:
        """Each column's width, padding included, borders not, for a table at most `max_width` wide inside."""
        columns = self.columns
        ranges = [self._measure_column(i, max_width) for i in range(len(columns))]
        widths = [high or 1 for _, high in ranges]
        if self.expand:
            ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
            if any(ratios):
                fixed = [0 if c.ratio is not None else high for (_, high), c in zip(ranges, columns)]
                minimums = [(c.width or 1) + self._padding_width(i) for i, c in enumerate(columns) if c.ratio is not None]
                flexible = iter(_ratio_distribute(max_width - sum(fixed), ratios, minimums))
                widths = [fixed[i] + next(flexible) if c.ratio is not None else widths[i] for i, c in enumerate(columns)]
        table_width = sum(widths)
        if table_width > max_width:
            widths = _collapse(widths, [c.width is None and not c.no_wrap for c in columns], max_width)
            table_width = sum(widths)
            if table_width > max_width:
                widths = _ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
                table_width = sum(widths)
            widths = [self._measure_column(i, w)[1] or 0 for i, w in enumerate(widths)]
        if table_width < max_width and self.expand:
            widths = [w + extra for w, extra in zip(widths, _ratio_distribute(max_width - table_width, widths))]
        return widths

    # -- the renderable ------------------------------------------------------------------------
    def measure(self, width: int) -> tuple[int, int]:
        max_width = self.width if self.width is not None else width
        if max_width < 0:
            return 0, 0
        extra = self._extra_width
        inner = sum(self.column_widths(max_width - extra))
        sizes = [self._measure_column(i, inner) for i in range(len(self.columns))]
        low = sum(s[0] for s in sizes) + extra
        high = sum(s[1] for s in sizes) + extra if self.width is None else self.width
        return low, high

    def render(self, options: Options) -> list[str]:
        if not self.columns:
            return [""]
        max_width = self.width if self.width is not None else options.width
        widths = self.column_widths(max_width - self._extra_width)
        table_width = sum(widths) + self._extra_width
        lines: list[str] = []
        if self.title:
            lines += render_lines(Text(from_markup(self.title), justify="center"), options.with_width(table_width))
        lines += self._body(widths)
        if self.caption:
            lines += render_lines(Text(from_markup(self.caption), justify="center"), options.with_width(table_width))
        return lines

    def _body(self, widths: Sequence[int]) -> list[str]:
        box = self.box
        if box is not None and not self.show_header:
            box = PLAIN_HEADED.get(box, box)
        columns = self.columns
        cells_by_column = [self._cells(i) for i in range(len(columns))]
        rows = list(zip(*cells_by_column)) if cells_by_column else []
        out: list[str] = []
        if box is not None and self.show_edge:
            out.append(box.top_line(widths))
        for index, row in enumerate(rows):
            header = index == 0 and self.show_header
            rendered = [
                render_lines(cell, Options(width, column.justify, column.overflow, column.no_wrap))
                for cell, width, column in zip(row, widths, columns)
            ]
            height = max((len(lines) for lines in rendered), default=1) or 1
            shaped = []
            for lines, width, column in zip(rendered, widths, columns):
                vertical = "bottom" if header else column.vertical
                blank = " " * width
                gap = height - len(lines)
                if vertical == "bottom":
                    lines = [blank] * gap + lines
                elif vertical == "middle":
                    lines = [blank] * (gap // 2) + lines + [blank] * (gap - gap // 2)
                shaped.append(shape(lines, width, height))
            last = index == len(rows) - 1
            if box is not None:
                row_box = box.head if index == 0 else (box.foot if last else box.mid)
                left, divider, right = row_box[0], row_box[2], row_box[3]
                for n in range(height):
                    middle = divider.join(cell[n] for cell in shaped)
                    out.append(f"{left}{middle}{right}" if self.show_edge else middle)
            else:
                out += ["".join(cell[n] for cell in shaped) for n in range(height)]
            if box is not None and header:
                out.append(box.rule(widths, "head", self.show_edge))
            body_row = index - (1 if self.show_header else 0)
            if box is not None and (self.show_lines or body_row in self.section_ends) and not last and not header:
                out.append(box.rule(widths, "row", self.show_edge))
        if box is not None and self.show_edge:
            out.append(box.bottom_line(widths))
        return out


__all__ = ["Column", "Table"]
