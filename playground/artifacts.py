"""Artifacts as the page shows them: data for elements, never HTML.

Prefect's UI renders an artifact's markdown, draws its table, and shows a link
or a progress bar. The page does the same under a Run's output, from the views
made here: each is plain data (blocks of text runs, cells, a number) that
web/artifacts.js turns into elements with ``textContent``. Learner text can
therefore never become markup, and a link is kept only when it is an http(s)
or mailto address (anything else stays text). Images are not loaded: the page
sends no request off its origin, so an image artifact shows its address.

The markdown covered is what artifacts are written with: headings,
paragraphs, bullet and numbered lists, fenced code, block quotes, rules, pipe
tables, and **bold**, *emphasis*, ``code`` and [links](https://...) inside
text. Anything else shows as the text it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sim_prefect.run_events import ArtifactCreated, ArtifactUpdated

View = dict[str, Any]
Inline = list[list[Any]]  # [text, mark, href]: mark is "", "strong", "em", "code" or "a"

_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*|__(?P<strong2>.+?)__"
    r"|\*(?P<em>[^*]+)\*|(?<![\w])_(?P<em2>[^_]+)_(?![\w])"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def view(event: ArtifactCreated | ArtifactUpdated) -> View:
    """The page's view of an artifact event (an update carries only what changed)."""
    if isinstance(event, ArtifactUpdated):
        return {"type": "artifact", "id": event.artifact_id, "kind": "progress", "update": True,
                "value": float(event.data), "description": event.description}  # fmt: skip
    shown: View = {"type": "artifact", "id": event.artifact_id, "kind": event.type, "key": event.key,
                   "description": event.description}  # fmt: skip
    if event.type == "markdown":
        shown["blocks"] = markdown(str(event.data))
    elif event.type == "table":
        shown.update(table(event.data))
    elif event.type == "progress":
        shown["value"] = float(event.data)
    elif event.type == "image":
        shown["url"] = str(event.data)
    return shown


# -- markdown -----------------------------------------------------------------------------


def inline(text: str) -> Inline:
    """Text runs with their marks; a link keeps its address only if it is safe to open."""
    runs: Inline = []
    at = 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            runs.append([text[at : match.start()], "", None])
        groups = match.groupdict()
        if groups["code"] is not None:
            runs.append([groups["code"], "code", None])
        elif groups["label"] is not None:
            href = groups["href"]
            runs.append([groups["label"], "a", href] if _SAFE_LINK.match(href) else [match[0], "", None])
        elif groups["strong"] is not None or groups["strong2"] is not None:
            runs.append([groups["strong"] or groups["strong2"], "strong", None])
        else:
            runs.append([groups["em"] or groups["em2"], "em", None])
        at = match.end()
    if at < len(text):
        runs.append([text[at:], "", None])
    return runs


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def markdown(text: str) -> list[View]:
    """Blocks: {"tag": "h1".."h6" | "p" | "blockquote", "inline"}, {"tag": "ul" | "ol", "items"},
    {"tag": "pre", "text"}, {"tag": "table", "head", "rows"}, {"tag": "hr"}."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[View] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append({"tag": "p", "inline": inline(" ".join(s.strip() for s in paragraph))})
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            end_paragraph()
            fence, body = stripped[:3], []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            blocks.append({"tag": "pre", "text": "\n".join(body)})
        elif not stripped:
            end_paragraph()
        elif heading := _HEADING.match(line):
            end_paragraph()
            blocks.append({"tag": f"h{len(heading[1])}", "inline": inline(heading[2])})
        elif _RULE.match(line):
            end_paragraph()
            blocks.append({"tag": "hr"})
        elif "|" in line and i + 1 < len(lines) and _TABLE_DIVIDER.match(lines[i + 1]):
            end_paragraph()
            head = [inline(cell) for cell in _cells(line)]
            rows = []
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append([inline(cell) for cell in _cells(lines[i])])
                i += 1
            blocks.append({"tag": "table", "head": head, "rows": rows})
            continue
        elif (bullet := _BULLET.match(line)) or _NUMBERED.match(line):
            end_paragraph()
            pattern = _BULLET if bullet else _NUMBERED
            items = []
            while i < len(lines) and (item := pattern.match(lines[i])):
                items.append(inline(item[1]))
                i += 1
            blocks.append({"tag": "ul" if bullet else "ol", "items": items})
            continue
        elif stripped.startswith(">"):
            end_paragraph()
            quoted = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quoted.append(lines[i].strip()[1:].strip())
                i += 1
            blocks.append({"tag": "blockquote", "inline": inline(" ".join(quoted))})
            continue
        else:
            paragraph.append(line)
        i += 1
    end_paragraph()
    return blocks


# -- tables -------------------------------------------------------------------------------


def table(data: Any) -> View:
    """Columns and rows of text, from the shapes Prefect accepts: a list of dicts, a dict of lists, a list of lists."""
    if isinstance(data, str):  # Prefect keeps a table as JSON
        try:
            data = json.loads(data)
        except ValueError:
            return {"columns": [], "rows": [[data]]}
    if isinstance(data, dict):
        columns = [str(c) for c in data]
        length = max((len(v) for v in data.values() if isinstance(v, (list, tuple))), default=0)
        rows = [[_cell(v[n]) if isinstance(v, (list, tuple)) and n < len(v) else "" for v in data.values()] for n in range(length)]
        return {"columns": columns, "rows": rows}
    records = list(data) if isinstance(data, (list, tuple)) else []
    if records and all(isinstance(r, dict) for r in records):
        columns = []
        for record in records:
            columns += [str(c) for c in record if str(c) not in columns]
        return {"columns": columns, "rows": [[_cell(r.get(c, "")) for c in columns] for r in records]}
    rows = [[_cell(v) for v in (r if isinstance(r, (list, tuple)) else [r])] for r in records]
    return {"columns": [], "rows": rows}


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


__all__ = ["inline", "markdown", "table", "view"]
