"""Pretty reprs as rich prints them: what fits stays on one line, the rest opens up, four spaces deeper.

``prefect flow-run inspect`` and the other ``inspect`` commands print rich's
``Pretty(obj)``: the object's repr, broken over lines only where a line would
be wider than the console. Rich builds a tree of the repr (containers and
models are nodes; everything else is a leaf, its ``repr()``), prints it on one
line, and then, from the top, opens each line that is too wide: its opening
brace stays, each child gets a line of its own, indented by four, and the
closing brace a line after them. A leaf too wide even alone stays whole; the
console then wraps it like any text.

`Fields` stands for an object that rich shows through its ``__rich_repr__``
(Prefect's API models): a class name and the fields worth showing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ._renderables import Options
from ._text import cell_len, measure, wrap


@dataclass
class Fields:
    """An object shown as ``Name(key=value, ...)``: the fields are already chosen (defaults left out)."""

    name: str
    fields: list[tuple[str, Any]]


@dataclass
class _Node:
    key_repr: str = ""
    value_repr: str = ""
    open_brace: str = ""
    close_brace: str = ""
    empty: str = ""
    last: bool = False
    is_tuple: bool = False
    children: list[_Node] | None = None
    key_separator: str = ": "

    def tokens(self) -> Iterator[str]:
        if self.key_repr:
            yield self.key_repr
            yield self.key_separator
        if self.value_repr:
            yield self.value_repr
        elif self.children is not None:
            if self.children:
                yield self.open_brace
                if self.is_tuple and len(self.children) == 1:
                    yield from self.children[0].tokens()
                    yield ","
                else:
                    for child in self.children:
                        yield from child.tokens()
                        if not child.last:
                            yield ", "
                yield self.close_brace
            else:
                yield self.empty

    def fits(self, start: int, width: int) -> bool:
        total = start
        for token in self.tokens():
            total += cell_len(token)
            if total > width:
                return False
        return True

    def __str__(self) -> str:
        return "".join(self.tokens())


@dataclass
class _Line:
    node: _Node | None = None
    text: str = ""
    suffix: str = ""
    whitespace: str = ""
    expanded: bool = False
    last: bool = False

    @property
    def expandable(self) -> bool:
        return bool(self.node is not None and self.node.children)

    def fits(self, width: int) -> bool:
        assert self.node is not None
        return self.node.fits(len(self.whitespace) + cell_len(self.text) + cell_len(self.suffix), width)

    def expand(self, indent: int) -> list[_Line]:
        node = self.node
        assert node is not None and node.children
        opening = f"{node.key_repr}{node.key_separator}{node.open_brace}" if node.key_repr else node.open_brace
        lines = [_Line(text=opening, whitespace=self.whitespace, expanded=True)]
        inner = self.whitespace + " " * indent
        one = node.is_tuple and len(node.children) == 1
        for n, child in enumerate(node.children):
            last = n == len(node.children) - 1
            lines.append(_Line(node=child, whitespace=inner, suffix="," if one else ", ", last=last and not one))
        lines.append(_Line(text=node.close_brace, whitespace=self.whitespace, suffix=self.suffix, last=self.last))
        return lines

    def __str__(self) -> str:
        body = f"{self.whitespace}{self.text}{self.node if self.node is not None else ''}"
        return body if self.last else body + self.suffix.rstrip()


_BRACES: dict[type, tuple[str, str, str]] = {
    dict: ("{", "}", "{}"), list: ("[", "]", "[]"), tuple: ("(", ")", "()"), set: ("{", "}", "set()"),
}


def _tree(value: Any, root: bool = False) -> _Node:
    if isinstance(value, Fields):
        if not value.fields:
            return _Node(value_repr=f"{value.name}()", children=[], last=root)
        children = []
        for n, (key, child) in enumerate(value.fields):
            node = _tree(child)
            node.key_repr, node.key_separator, node.last = key, "=", n == len(value.fields) - 1
            children.append(node)
        return _Node(open_brace=f"{value.name}(", close_brace=")", children=children, last=root)
    kind = type(value)
    if kind in _BRACES:
        open_brace, close_brace, empty = _BRACES[kind]
        if not value:
            return _Node(empty=empty, children=[], last=root, is_tuple=kind is tuple)
        items: list[tuple[Any, Any]] = list(value.items()) if kind is dict else [(None, v) for v in value]
        children = []
        for n, (key, child) in enumerate(items):
            node = _tree(child)
            if kind is dict:
                node.key_repr = repr(key)
            node.last = n == len(items) - 1
            children.append(node)
        return _Node(open_brace=open_brace, close_brace=close_brace, children=children, last=root, is_tuple=kind is tuple)
    return _Node(value_repr=repr(value), last=root)


def pretty_repr(value: Any, max_width: int, indent: int = 4) -> str:
    """`value`'s repr, opened up line by line wherever it is wider than `max_width` (rich's ``pretty_repr``)."""
    lines = [_Line(node=_tree(value, root=True))]
    n = 0
    while n < len(lines):
        line = lines[n]
        if line.expandable and not line.expanded and not line.fits(max_width):
            lines[n : n + 1] = line.expand(indent)
        n += 1
    return "\n".join(str(line) for line in lines)


@dataclass
class Pretty:
    """A renderable: `value` pretty-printed to the width it is given, long lines then wrapped as text."""

    value: Any
    _cache: dict[int, str] = field(default_factory=dict, repr=False)

    def _text(self, width: int) -> str:
        if width not in self._cache:
            self._cache[width] = pretty_repr(self.value, width)
        return self._cache[width]

    def measure(self, width: int) -> tuple[int, int]:
        return measure(self._text(width))

    def render(self, options: Options) -> list[str]:
        return wrap(self._text(options.width), options.width, justify=options.justify or "default",
                    overflow=options.overflow or "fold", no_wrap=options.no_wrap)  # fmt: skip


__all__ = ["Fields", "Pretty", "pretty_repr"]
