"""One small markdown-it plugin: fenced directives that name files in ``demo/``.

Authors write::

    ```{runnable} pipeline.py
    :title: The pipeline
    ```

The fence's info string names the directive and its argument; ``:key: value``
lines in its body are its options (``:hint:`` may repeat). After the block
parser has run, the plugin's one core rule turns each such fence into a
``directive`` token whose ``meta["directive"]`` is the parsed `Directive`, and
refuses, with the file and line, an unknown directive or option and a bare
Python fence (every Python block in a lesson is a file in ``demo/``, so it is
tested). Its one render rule hands the `Directive` to the `render` callback the
build passes in, which decides what it becomes on the page. The plugin itself
reads no files, so it is tested with plain-text fixtures
(``tests/build/fixtures/directives.md``).

The markdown-it ``env`` must carry ``path`` (used in error messages); line
numbers are those of the parsed text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import BuildError

if TYPE_CHECKING:  # markdown-it is imported only when a page is parsed (pages.py)
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

# Each directive and the options it accepts.
DIRECTIVES: dict[str, frozenset[str]] = {
    "runnable": frozenset({"title", "expected", "runner"}),
    "exercise": frozenset({"title", "expected", "check", "solution", "hint", "runner", "fixed"}),
    "prefect-code": frozenset({"title"}),
    "file": frozenset({"title", "lang"}),
}
REQUIRED: dict[str, frozenset[str]] = {"exercise": frozenset({"check", "solution"})}
REPEATABLE = frozenset({"hint", "fixed"})
# What ``:runner:`` may say: how a Run runs the file (python, as a script; pytest, as a test module).
RUNNERS = ("python", "pytest")
PYTHON_LANGS = frozenset({"python", "py", "python3", "pycon"})

_INFO = re.compile(r"^\{(?P<name>[^}\s]*)\}\s*(?P<arg>\S*)\s*(?P<rest>.*)$")
_OPTION = re.compile(r"^:(?P<key>[A-Za-z][\w-]*):(?:\s+(?P<value>.*))?$")


@dataclass
class Directive:
    name: str
    argument: str
    line: int
    options: dict[str, list[str]] = field(default_factory=dict)

    def option(self, key: str, default: str | None = None) -> str | None:
        values = self.options.get(key)
        return values[-1] if values else default


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(choices))}"


def parse_directive(info: str, body: str, path: str, line: int) -> Directive:
    """Parse ``{name} argument`` and the ``:key: value`` lines, or raise BuildError."""
    match = _INFO.match(info.strip())
    if not match:
        raise BuildError(path, line, f"cannot read '{info.strip()}'; write e.g. ```{{runnable}} pipeline.py")
    name, argument = match["name"], match["arg"]
    if name not in DIRECTIVES:
        raise BuildError(path, line, f"unknown directive '{{{name}}}' ({_suggest(name, list(DIRECTIVES))})")
    if not argument:
        raise BuildError(path, line, f"'{{{name}}}' needs a file in demo/, e.g. ```{{{name}}} pipeline.py")
    if match["rest"]:
        raise BuildError(path, line, f"'{{{name}}}' takes one file name; got '{argument} {match['rest']}'")
    directive = Directive(name, argument, line)
    for offset, text in enumerate(body.splitlines(), start=1):
        if not text.strip():
            continue
        option = _OPTION.match(text.strip())
        if not option:
            raise BuildError(
                path, line + offset, f"'{{{name}}}' takes only ':key: value' option lines; got '{text.strip()}'"
            )
        key, value = option["key"], (option["value"] or "").strip()
        if key not in DIRECTIVES[name]:
            raise BuildError(
                path, line + offset, f"unknown option ':{key}:' for '{{{name}}}' ({_suggest(key, list(DIRECTIVES[name]))})"
            )
        if not value:
            raise BuildError(path, line + offset, f"option ':{key}:' of '{{{name}}}' needs a value")
        if key in directive.options and key not in REPEATABLE:
            raise BuildError(path, line + offset, f"option ':{key}:' is given twice for '{{{name}}}'")
        directive.options.setdefault(key, []).append(value)
    missing = REQUIRED.get(name, frozenset()) - directive.options.keys()
    if missing:
        needed = ", ".join(f":{m}:" for m in sorted(missing))
        raise BuildError(path, line, f"'{{{name}}}' needs the option(s) {needed}")
    return directive


Render = Callable[[Directive, dict[str, Any]], str]


def directives_plugin(md: MarkdownIt, render: Render, refuse_langs: frozenset[str] = PYTHON_LANGS) -> None:
    """Turn ``{name}`` fences into `directive` tokens rendered by `render`; refuse `refuse_langs` fences."""

    def directives(state: StateCore) -> None:
        path = state.env.get("path", "<markdown>")
        for token in state.tokens:
            if token.type != "fence":
                continue
            line = token.map[0] + 1 if token.map else 0
            info = token.info.strip()
            if info.startswith("{"):
                token.type = "directive"
                token.meta["directive"] = parse_directive(info, token.content, path, line)
            elif info and info.split()[0].lower() in refuse_langs:
                raise BuildError(
                    path,
                    line,
                    f"a bare ```{info.split()[0]} block is not tested; put the code in demo/ and write "
                    "```{runnable} FILE, ```{exercise} FILE or ```{prefect-code} FILE",
                )

    def render_directive(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        return render(tokens[idx].meta["directive"], env)

    md.core.ruler.after("block", "directives", directives)
    md.add_render_rule("directive", render_directive)
