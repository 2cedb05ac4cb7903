"""A lesson's YAML front matter: read it, check each key, and name the line of any mistake.

::

    ---
    title: Retries                      # required: the lesson's title
    order: 3                            # required: its place in the course (a whole number)
    summary: Make a flaky task succeed. # one sentence for the course index (a warning if missing)
    objectives:                         # what the learner will be able to do
      - Add retries to a task
    ---

mdit-py-plugins' `front_matter_plugin` finds the block (so body line numbers
stay those of the file); this module reads it with PyYAML's composer, which
keeps each key's line, and checks it against `FIELDS`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it.token import Token

from .errors import BuildError


@dataclass(frozen=True)
class Field:
    kind: str  # "text", "number" or "list of text"
    required: bool
    help: str


FIELDS: dict[str, Field] = {
    "title": Field("text", True, "the lesson's title"),
    "order": Field("number", True, "the lesson's place in the course, e.g. 3"),
    "summary": Field("text", False, "one sentence for the course index"),
    "objectives": Field("list of text", False, "what the learner will be able to do"),
}
EXAMPLE = "a '---' line, then 'title: ...' and 'order: N' lines, then a closing '---' line"


def _matches(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str) and bool(value.strip())
    if kind == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


@dataclass
class FrontMatter:
    meta: dict[str, Any]
    lines: dict[str, int]  # key -> its line in the file
    warnings: list[str]


def read_front_matter(tokens: list[Token], text: str, path: str) -> FrontMatter:
    """The checked front matter of a parsed lesson, and any warnings; BuildError if it is wrong."""
    first = tokens[0] if tokens else None
    if first is None or first.type != "front_matter":
        if text.startswith("---"):
            raise BuildError(path, 1, "the front matter has no closing '---' line")
        raise BuildError(path, 1, f"a lesson starts with YAML front matter: {EXAMPLE}")
    assert first.map is not None
    first_line = first.map[0] + 2  # the line after the opening '---'
    try:
        node = yaml.compose(first.content, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(first.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and first_line + context_mark.line != line:
            problem += f" ({context} that starts on line {first_line + context_mark.line})"
        raise BuildError(path, line, f"malformed front matter: {problem}") from None
    if not isinstance(node, yaml.MappingNode) or not isinstance(meta, dict):
        raise BuildError(path, first_line, "the front matter must be 'key: value' lines, such as 'title: Retries'")

    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in lines:
            raise BuildError(path, line, f"'{key}:' is given twice in the front matter (first on line {lines[key]})")
        lines[key] = line

    for key, value in meta.items():
        key = str(key)
        field = FIELDS.get(key)
        if field is None:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}:'?" if close else f"known: {', '.join(FIELDS)}"
            raise BuildError(path, lines[key], f"unknown front matter key '{key}:' ({hint})")
        if not _matches(field.kind, value):
            raise BuildError(path, lines[key], f"'{key}:' must be {_article(field.kind)}: {field.help}")
    for key, field in FIELDS.items():
        if field.required and key not in meta:
            raise BuildError(path, first_line, f"the front matter needs '{key}:' ({field.help})")

    warnings = []
    if "summary" not in meta:
        warnings.append(f"{path}:{first_line}: no 'summary:' in the front matter; the course index shows none")
    return FrontMatter(meta, lines, warnings)


def _article(kind: str) -> str:
    return {"text": "some text", "number": "a whole number", "list of text": "a list of text lines"}[kind]
