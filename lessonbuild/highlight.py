"""Code highlighting at build time (Pygments), so reading code needs no JavaScript.

Highlighting is the slowest part of rendering a page, and the same demo is
highlighted again on every rebuild under ``--serve``, so results are cached by
content.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)
_PLAIN = Markup('<div class="highlight"><pre><code>{}</code></pre></div>\n')
PLAIN_LANGS = frozenset({"", "text", "txt", "plain", "output"})


@lru_cache(maxsize=64)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


# The files lessons show, by name; Pygments' own search by file name compiles a
# pattern for every lexer it has (~0.2 s), so it is only the fallback.
BY_SUFFIX = {
    ".py": "python", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".sh": "bash",
    ".cfg": "ini", ".ini": "ini", ".md": "markdown", ".js": "javascript", ".html": "html", ".sql": "sql",
    ".txt": "text", ".log": "text", ".csv": "text",
}
BY_NAME = {"Makefile": "make", "Dockerfile": "docker"}


@lru_cache(maxsize=64)
def _lexer_for_file(filename: str) -> Lexer | None:
    """By file name only; guessing from the content would import every lexer Pygments has (~0.3 s)."""
    name = filename.rsplit("/", 1)[-1]
    lang = BY_NAME.get(name) or BY_SUFFIX.get("." + name.rsplit(".", 1)[-1] if "." in name else "")
    if lang == "text":
        return None
    if lang:
        return _lexer(lang)
    try:
        return get_lexer_for_filename(name)
    except ClassNotFound:
        return None


def known_language(lang: str) -> bool:
    """Can Pygments highlight `lang` (or is it plain text on purpose)?"""
    return lang.lower() in PLAIN_LANGS or _lexer(lang.lower()) is not None


@lru_cache(maxsize=512)
def highlight_code(code: str, lang: str = "", filename: str = "") -> str:
    """HTML for a code block; plain text and unknown languages are shown escaped."""
    lexer: Lexer | None = None
    if lang and lang.lower() not in PLAIN_LANGS:
        lexer = _lexer(lang.lower())
    elif filename and not lang:
        lexer = _lexer_for_file(filename)
    if lexer is None:
        return str(_PLAIN.format(code))
    return str(Markup(highlight(code, lexer, _FORMATTER)))


@lru_cache(maxsize=1)
def pygments_css() -> str:
    """Light and dark token colours, the dark set scoped to prefers-color-scheme."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
