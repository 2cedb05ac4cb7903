"""Code highlighting at build time (Pygments), so reading code needs no JavaScript.

Highlighting is the slowest part of rendering a page (Pygments compiles its
lexers' patterns on first use), so results are cached by content: in memory,
and, given a `BuildCache`, on disk between builds. Pygments is imported only
when something is not in the cache.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .cache import BuildCache, key_of

if TYPE_CHECKING:
    from pygments.lexer import Lexer

_PLAIN = Markup('<div class="highlight"><pre><code>{}</code></pre></div>\n')
PLAIN_LANGS = frozenset({"", "text", "txt", "plain", "output"})
# The files lessons show, by name; Pygments' own search by file name compiles a
# pattern for every lexer it has (~0.2 s), so it is only the fallback.
BY_SUFFIX = {
    ".py": "python", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".sh": "bash",
    ".cfg": "ini", ".ini": "ini", ".md": "markdown", ".js": "javascript", ".html": "html", ".sql": "sql",
    ".txt": "text", ".log": "text", ".csv": "text",
}
BY_NAME = {"Makefile": "make", "Dockerfile": "docker"}
LIGHT_STYLE, DARK_STYLE = "friendly", "monokai"


@lru_cache(maxsize=1)
def tool_key() -> str:
    """What the highlighted HTML depends on besides the code: this module and Pygments' version."""
    import pygments  # the package alone; its lexers load on demand

    return key_of(Path(__file__).read_bytes(), pygments.__version__)


@lru_cache(maxsize=1)
def _aliases() -> frozenset[str]:
    """Every language name Pygments knows, read from its table without loading a lexer
    (or scanning installed plugins, which is what makes an unknown name slow to refuse)."""
    from pygments.lexers._mapping import LEXERS

    return frozenset(alias for _, _, aliases, _, _ in LEXERS.values() for alias in aliases)


@lru_cache(maxsize=64)
def _lexer(lang: str) -> Lexer | None:
    if lang not in _aliases():
        return None
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(lang)


@lru_cache(maxsize=64)
def _lexer_for_file(filename: str) -> Lexer | None:
    """By file name only; guessing from the content would import every lexer Pygments has (~0.3 s)."""
    from pygments.lexers import get_lexer_for_filename
    from pygments.util import ClassNotFound

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
    return lang.lower() in PLAIN_LANGS or lang.lower() in _aliases()


@lru_cache(maxsize=1024)
def _highlight(code: str, lang: str, filename: str) -> str:
    lexer: Any = None
    if lang and lang.lower() not in PLAIN_LANGS:
        lexer = _lexer(lang.lower())
    elif filename and not lang:
        lexer = _lexer_for_file(filename)
    if lexer is None:
        return str(_PLAIN.format(code))
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    return str(highlight(code, lexer, HtmlFormatter(cssclass="highlight", wrapcode=True)))


def highlight_code(code: str, lang: str = "", filename: str = "", cache: BuildCache | None = None) -> str:
    """HTML for a code block; plain text and unknown languages are shown escaped."""
    if cache is None:
        return _highlight(code, lang, filename)
    key = key_of(tool_key(), code, lang, filename)
    return cache.get_text("highlight", key, lambda: _highlight(code, lang, filename))


def pygments_css(cache: BuildCache | None = None) -> str:
    """Light and dark token colours, the dark set scoped to prefers-color-scheme."""

    def make() -> str:
        from pygments.formatters import HtmlFormatter

        # Pygments' get_style_defs has no type annotations.
        light = str(HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
        dark = str(HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
        return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"

    return cache.get_text("css", key_of(tool_key()), make) if cache else make()
