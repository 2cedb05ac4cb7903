"""The Markdown dialect of a lesson: CommonMark with tables, plus a few plugins.

- YAML front matter (mdit-py-plugins' ``front_matter``; read by `frontmatter.py`);
- heading anchors on ``##`` and ``###`` (``anchors``), which also feed the table
  of contents; ``{#an-id}`` on the line before a heading fixes its anchor
  (``attrs_block``; only ``#id`` and ``.class`` are accepted);
- ``::: note``, ``::: tip`` and ``::: warning`` boxes (``container``), with an
  optional title after the name;
- the runnable blocks (`directives.directives_plugin`);
- other fences highlighted by Pygments at build time;
- links to ``other-lesson.md#anchor`` rewritten to the built page, and every
  link recorded with its line so the link check can name it.

Per-page results are left in the markdown-it ``env``: ``toc``, ``links`` and
``warnings``; an optional ``cache`` (a `BuildCache`) keeps highlighted code between builds.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .directives import Render, directives_plugin
from .errors import BuildError
from .highlight import highlight_code, known_language
from .pages import Link

ADMONITIONS = ("note", "tip", "warning")
TOC_LEVELS = ("h2", "h3")
ALLOWED_ATTRS = frozenset({"id", "class"})


def make_markdown(render: Render) -> MarkdownIt:
    """A parser for lessons; `render` turns each runnable block into HTML."""
    md = MarkdownIt("commonmark", {"typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(front_matter_plugin)
    md.use(attrs_block_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slug, permalink=True, permalinkSymbol="#")
    for name in ADMONITIONS:
        md.use(container_plugin, name, render=_admonition(name))
    md.use(directives_plugin, render=render)
    md.core.ruler.after("attr", "only_id_and_class", _only_id_and_class)  # after attrs_block moves {…} onto its block
    md.core.ruler.push("csp_safe_html", _csp_safe_html)
    md.core.ruler.push("toc", _toc)
    md.core.ruler.push("links", _links)
    md.add_render_rule("fence", _fence)
    return md


def slug(title: str) -> str:
    """GitHub's anchor for a heading (mdit-py-plugins' `slugify`); "section" when nothing is left of it."""
    made = slugify(title)
    return made if made.strip("-") else "section"


def new_env(path: str, **extra: Any) -> dict[str, Any]:
    return {"path": path, "toc": [], "links": [], "warnings": [], **extra}


def _only_id_and_class(state: StateCore) -> None:
    """``{#id}`` and ``{.class}`` only: arbitrary attributes could break the page's CSP.

    The CSP forbids inline ``style`` attributes, so a table column's alignment
    (``:---:``) becomes a class, ``align-center``, instead of ``style="text-align:center"``.
    """
    for token in state.tokens:
        style = token.attrGet("style")
        if token.type in ("th_open", "td_open") and isinstance(style, str) and style.startswith("text-align:"):
            del token.attrs["style"]
            token.attrJoin("class", "align-" + style.split(":", 1)[1].strip())
        extra = set(token.attrs) - ALLOWED_ATTRS
        if token.type.endswith("_open") and extra and token.type != "link_open":
            line = token.map[0] if token.map else 0  # the {…} line is just above the block
            raise BuildError(
                state.env.get("path", "<markdown>"),
                line,
                f"only {{#id}} and {{.class}} attributes are allowed; got '{sorted(extra)[0]}'",
            )


# Raw HTML the page's CSP would block (headers.py): inline scripts, event handlers, style attributes.
_BLOCKED_HTML = re.compile(r"<script\b|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)


def _csp_safe_html(state: StateCore) -> None:
    """Refuse raw HTML that the browser would silently block, so the author finds out at build time."""
    for token in state.tokens:
        candidates = [token] if token.type == "html_block" else [c for c in token.children or [] if c.type == "html_inline"]
        for html in candidates:
            found = _BLOCKED_HTML.search(html.content)
            if found:
                line = token.map[0] + 1 if token.map else 0
                raise BuildError(
                    state.env.get("path", "<markdown>"),
                    line,
                    f"raw HTML with '{found.group(0).strip()}' is blocked by the page's Content-Security-Policy; "
                    "use Markdown, or {.class} with a rule in web/style.css",
                )


def _toc(state: StateCore) -> None:
    """The ``##``/``###`` headings, for the table of contents; label their permalinks."""
    for i, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in TOC_LEVELS:
            continue
        inline = state.tokens[i + 1]
        children = inline.children or []
        anchor = next((c for c in children if c.type == "link_open" and c.attrGet("class") == "header-anchor"), None)
        title_tokens = [c for c in children if c.type in ("text", "code_inline", "em_open", "em_close", "strong_open", "strong_close")]
        title_html = state.md.renderer.renderInline(title_tokens, state.md.options, state.env).strip()  # type: ignore[attr-defined]
        title_text = "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()
        if anchor is not None:
            anchor.attrSet("aria-label", f"Link to this section: {title_text}")
        state.env.setdefault("toc", []).append(
            {"id": token.attrGet("id") or "", "html": title_html, "text": title_text, "level": token.tag}
        )


def _links(state: StateCore) -> None:
    """Rewrite ``x.md`` links to ``x.html``; record every link and image with its line."""
    links: list[Link] = state.env.setdefault("links", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] + 1 if block.map else 0
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                key = "href" if child.type == "link_open" else "src"
                href = str(child.attrGet(key) or "")
                if child.attrGet("class") == "header-anchor":
                    continue
                written = href
                path, hash_, anchor = href.partition("#")
                if path.endswith(".md") and ":" not in path:
                    href = path[:-3] + ".html" + hash_ + anchor
                    child.attrSet(key, href)
                links.append(Link(href, written, line))


def _fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    lang = token.info.split()[0] if token.info.strip() else ""
    if not known_language(lang):
        line = token.map[0] + 1 if token.map else 0
        env.setdefault("warnings", []).append(
            f"{env.get('path', '<markdown>')}:{line}: no highlighter for '{lang}'; the block is shown as plain text"
        )
    return highlight_code(token.content, lang, cache=env.get("cache"))


def _admonition(name: str) -> Any:
    def render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        if tokens[idx].nesting == 1:
            title = tokens[idx].info.strip()[len(name) :].strip() or name.capitalize()
            return (
                f'<aside class="admonition admonition-{name}">\n'
                f'<p class="admonition-title">{escape(title)}</p>\n'
            )
        return "</aside>\n"

    return render
