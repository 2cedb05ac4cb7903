"""Text in a terminal's cells: how wide a string is, and how rich wraps, cuts and pads it.

Prefect's CLI prints through rich, and rich decides where every line breaks.
This module does what the CLI's output needs of rich's ``Text``: a string's
width in terminal cells (`cell_len`), rich's greedy word wrap (`wrap`: a
word and the spaces after it move to the next line when the word itself does
not fit; a word longer than the line is folded or cut), and how a line too
long for its width is cut (`truncate`: with an ellipsis, or cropped).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Overflow = Literal["fold", "crop", "ellipsis"]
Justify = Literal["default", "left", "center", "right"]

_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as rich's wrap sees words
_TRAILING_SPACE = re.compile(r"\s+$")


def char_width(ch: str) -> int:
    """Cells one character takes: two for East Asian wide ones, none for combining marks."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def set_cell_size(text: str, width: int) -> str:
    """`text` cut or padded with spaces to exactly `width` cells (a wide character cut in half becomes a space)."""
    length = cell_len(text)
    if length == width:
        return text
    if length < width:
        return text + " " * (width - length)
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def chop_cells(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` cells (how a word longer than the line is folded; a wide character
    that does not fit even an empty line starts a new one, leaving an empty piece, as rich's does)."""
    if all(char_width(ch) == 1 for ch in text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    pieces: list[str] = []
    used = start = 0
    for i, ch in enumerate(text):
        w = char_width(ch)
        if used + w > width:
            pieces.append(text[start:i])
            start, used = i, 0
        used += w
    if used:
        pieces.append(text[start:])
    return pieces


def truncate(text: str, width: int, overflow: Overflow = "fold", pad: bool = False) -> str:
    """`text` no wider than `width`: cut, with an ellipsis for ``"ellipsis"``; padded to `width` if `pad`."""
    length = cell_len(text)
    if length > width:
        text = set_cell_size(text, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(text, width)
    elif pad and length < width:
        text += " " * (width - length)
    return text


def _break_points(text: str, width: int, fold: bool) -> list[int]:
    """Where rich breaks one line of `text` to fit `width` cells (its ``divide_line``)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            if fold:
                pieces = chop_cells(word, width)
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _strip_end(line: str, width: int) -> str:
    """Drop the spaces at the end of a wrapped line that go past `width` (rich keeps those that fit)."""
    excess = cell_len(line) - width
    if excess > 0:
        match = _TRAILING_SPACE.search(line)
        if match is not None:
            line = line[: len(line) - min(len(match.group(0)), excess)]
    return line


def _justify(line: str, width: int, justify: Justify, overflow: Overflow) -> str:
    if justify == "left":
        return truncate(line, width, overflow, pad=True)
    if justify in ("center", "right"):
        line = truncate(line.rstrip(), width, overflow)
        space = width - cell_len(line)
        left = space // 2 if justify == "center" else space
        return " " * left + line + " " * (space - left)
    return line


def wrap(
    text: str,
    width: int,
    *,
    justify: Justify = "default",
    overflow: Overflow = "fold",
    no_wrap: bool = False,
) -> list[str]:
    """`text` as rich prints it in `width` cells: each of its lines word-wrapped (or, with `no_wrap`, kept whole),
    justified, and cut to the width by `overflow` (a word longer than a line is folded only with ``"fold"``)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        raw = raw.expandtabs(8)
        if no_wrap:
            pieces = [raw]
        else:
            points = _break_points(raw, width, fold=overflow == "fold")
            bounds = [0, *points, len(raw)]
            pieces = [_strip_end(raw[a:b], width) for a, b in zip(bounds, bounds[1:])]
        for piece in pieces:
            lines.append(truncate(_justify(piece, width, justify, overflow), width, overflow))
    return lines


def measure(text: str) -> tuple[int, int]:
    """The narrowest and widest `text` can be printed: its longest word, and its longest line."""
    lines = text.splitlines()
    widest = max((cell_len(line) for line in lines), default=0)
    words = text.split()
    narrowest = max((cell_len(word) for word in words), default=widest)
    return narrowest, widest


__all__ = ["Justify", "Overflow", "cell_len", "chop_cells", "measure", "set_cell_size", "truncate", "wrap"]
