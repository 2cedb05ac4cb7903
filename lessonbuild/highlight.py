"""Code highlighting at build time (Pygments), so reading code needs no JavaScript."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, guess_lexer_for_filename
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


@lru_cache(maxsize=64)
def _lexer(lang: str):  # type: ignore[no-untyped-def]
    return get_lexer_by_name(lang)


def highlight_code(code: str, lang: str = "", filename: str = "") -> str:
    """HTML for a code block; unknown languages are shown as escaped text."""
    try:
        if lang:
            lexer = _lexer(lang)
        elif filename:
            lexer = guess_lexer_for_filename(filename, code)
        else:
            raise ClassNotFound
    except ClassNotFound:
        return str(Markup('<div class="highlight"><pre><code>{}</code></pre></div>').format(code))
    return str(Markup(highlight(code, lexer, _FORMATTER)))


def pygments_css() -> str:
    """Light and dark token colours, the dark set scoped to prefers-color-scheme."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


__all__ = ["highlight_code", "pygments_css", "escape"]
