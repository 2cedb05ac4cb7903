"""One small markdown-it plugin: fenced directives that name files in demo/.

Authors write::

    ```{runnable} pipeline.py
    :title: The pipeline
    ```

The fence's info string names the directive and its argument; ``:key: value``
lines in its body are options (a key may repeat, e.g. ``:hint:``). The plugin
only parses and validates; what a directive becomes is decided by the
`render` callback that build.py passes in. Other fences are highlighted with
Pygments at build time, except bare ``python`` fences, which are refused:
every Python block in a lesson must be runnable or marked as real-Prefect code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import BuildError
from .highlight import highlight_code

# Each directive and the options it accepts.
DIRECTIVES: dict[str, frozenset[str]] = {
    "runnable": frozenset({"title"}),
    "exercise": frozenset({"title", "check", "solution", "hint"}),
    "prefect-code": frozenset({"title"}),
    "file": frozenset({"title", "lang"}),
}
REQUIRED: dict[str, frozenset[str]] = {"exercise": frozenset({"check", "solution"})}
PYTHON_LANGS = frozenset({"python", "py", "python3", "pycon"})

_INFO = re.compile(r"^\{(?P<name>[a-z-]+)\}\s*(?P<arg>\S*)\s*$")
_OPTION = re.compile(r"^:(?P<key>[a-z-]+):\s*(?P<value>.*)$")


@dataclass
class Directive:
    name: str
    argument: str
    line: int
    options: dict[str, list[str]] = field(default_factory=dict)

    def option(self, key: str, default: str | None = None) -> str | None:
        values = self.options.get(key)
        return values[-1] if values else default


def parse_directive(info: str, body: str, path: str, line: int) -> Directive:
    """Parse ``{name} argument`` and the ``:key: value`` lines, or raise BuildError."""
    match = _INFO.match(info.strip())
    if not match:
        raise BuildError(path, line, f"cannot read the directive '{info.strip()}'; write e.g. ```{{runnable}} pipeline.py")
    name, argument = match["name"], match["arg"]
    if name not in DIRECTIVES:
        known = ", ".join(sorted(DIRECTIVES))
        raise BuildError(path, line, f"unknown directive '{{{name}}}' (known: {known})")
    if not argument:
        raise BuildError(path, line, f"'{{{name}}}' needs a file name, e.g. ```{{{name}}} pipeline.py")
    directive = Directive(name, argument, line)
    for offset, text in enumerate(body.splitlines(), start=1):
        if not text.strip():
            continue
        option = _OPTION.match(text.strip())
        if not option:
            raise BuildError(path, line + offset, f"'{{{name}}}' takes only ':key: value' option lines; got '{text.strip()}'")
        key = option["key"]
        if key not in DIRECTIVES[name]:
            allowed = ", ".join(sorted(DIRECTIVES[name]))
            raise BuildError(path, line + offset, f"unknown option ':{key}:' for '{{{name}}}' (allowed: {allowed})")
        directive.options.setdefault(key, []).append(option["value"].strip())
    missing = REQUIRED.get(name, frozenset()) - directive.options.keys()
    if missing:
        raise BuildError(path, line, f"'{{{name}}}' needs the option(s) {', '.join(':' + m + ':' for m in sorted(missing))}")
    return directive


Render = Callable[[Directive, dict[str, Any]], str]


def directives_plugin(md: MarkdownIt, render: Render) -> None:
    """Render ``{name}`` fences through `render`; highlight the others."""

    def render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        info = token.info.strip()
        line = (token.map[0] + 1 + env.get("line_offset", 0)) if token.map else 0
        path = env.get("path", "<markdown>")
        if info.startswith("{"):
            return render(parse_directive(info, token.content, path, line), env)
        lang = info.split()[0] if info else ""
        if lang.lower() in PYTHON_LANGS:
            raise BuildError(
                path,
                line,
                "a Python block must be ```{runnable} FILE, ```{exercise} FILE or ```{prefect-code} FILE "
                "(the code lives in demo/, so it is tested)",
            )
        return highlight_code(token.content, lang)

    md.add_render_rule("fence", render_fence)
