"""ANSI colour codes in printed text, made into segments the page can show safely.

Programs (Prefect with FORCE_COLOR, rich, a learner's own ``"\\x1b[31m"``) colour
a terminal with SGR escape codes. The page shows text only, never HTML, so the
codes become segments: ``[text, style]`` pairs, where the style names CSS
classes (``ansi-bold ansi-fg-red``). The 16 standard colours keep their names;
256-colour and true-colour codes are shown as the nearest of the 16. A
hyperlink (OSC 8) keeps its text; every other escape sequence (cursor moves,
clearing the screen) is dropped.
"""

from __future__ import annotations

import re
from typing import Any

ESCAPE = re.compile(r"\x1b(?:\[([0-9;:]*)([A-Za-z])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
# The xterm palette's first 16 colours, to find the nearest for 256-colour and RGB codes.
_BASE = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255),
]  # fmt: skip


def _rgb_of_256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return _BASE[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return levels[n // 36], levels[n // 6 % 6], levels[n % 6]
    grey = 8 + (n - 232) * 10
    return grey, grey, grey


def _nearest(rgb: tuple[int, int, int]) -> int:
    return min(range(16), key=lambda i: sum((a - b) ** 2 for a, b in zip(_BASE[i], rgb)))


def _colour_name(index: int) -> str:
    return ("bright-" if index >= 8 else "") + NAMES[index % 8]


class Style:
    """The SGR state: bold, dim, italic, underline, and the two colours."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.bold = self.dim = self.italic = self.underline = False
        self.fg: str | None = None
        self.bg: str | None = None

    def apply(self, params: str) -> None:
        codes = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48) and i + 1 < len(codes):  # 256-colour or RGB
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour, i = _colour_name(_nearest(_rgb_of_256(codes[i + 2]))), i + 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour, i = _colour_name(_nearest((codes[i + 2], codes[i + 3], codes[i + 4]))), i + 4
                else:
                    colour = None
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            elif code == 0:
                self.reset()
            elif code == 1:
                self.bold = True
            elif code == 2:
                self.dim = True
            elif code == 3:
                self.italic = True
            elif code == 4:
                self.underline = True
            elif code == 22:
                self.bold = self.dim = False
            elif code == 23:
                self.italic = False
            elif code == 24:
                self.underline = False
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.fg = _colour_name(code - 30 if code < 90 else code - 90 + 8)
            elif code == 39:
                self.fg = None
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.bg = _colour_name(code - 40 if code < 100 else code - 100 + 8)
            elif code == 49:
                self.bg = None
            i += 1

    def classes(self) -> str | None:
        names = [n for n, on in (("bold", self.bold), ("dim", self.dim), ("italic", self.italic),
                                 ("underline", self.underline)) if on]  # fmt: skip
        if self.fg:
            names.append(f"fg-{self.fg}")
        if self.bg:
            names.append(f"bg-{self.bg}")
        return " ".join(f"ansi-{n}" for n in names) or None


def segments(text: str, style: Style | None = None) -> list[list[Any]]:
    """`text` without escape codes, as ``[text, classes]`` runs (classes None for plain text).

    `style` carries the colours from one write to the next of the same stream.
    """
    out: list[list[Any]] = []
    style = style or Style()
    pos = 0
    for match in ESCAPE.finditer(text):
        if match.start() > pos:
            out.append([text[pos : match.start()], style.classes()])
        if match.group(2) == "m":
            style.apply(match.group(1) or "")
        pos = match.end()
    if pos < len(text):
        out.append([text[pos:], style.classes()])
    return out


def message(kind: str, text: str, style: Style) -> dict[str, Any]:
    """A stdout or stderr message; with segments when it is coloured."""
    if "\x1b" not in text and style.classes() is None:
        return {"type": kind, "text": text}
    parts = segments(text, style)
    return {"type": kind, "text": "".join(t for t, _ in parts), "segments": parts}


__all__ = ["Style", "message", "segments"]
