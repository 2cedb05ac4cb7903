"""A link check over the built site: every internal href/src and #anchor must exist.

It reads the pages as the browser will get them (``href``, ``src`` and any
``data-*-url`` attribute), so links written in templates are checked as well as
those written in lessons. The pages are our own output (markdown-it, Jinja
with autoescape and Pygments all quote attributes and escape ``<`` in text),
so a scan of the start tags finds every attribute; `html.parser` would do the
same about ten times slower. External URLs (with a scheme or a host) are not
fetched. A link to a folder (``pyodide/``) is fine when the site has files
under it. Each page's ``id`` values must also be unique, or an anchor would be
ambiguous.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Problem:
    page: str  # the built page, e.g. "02-x.html"
    link: str  # the href as written in the page ("" for a duplicate id)
    message: str


# A start tag, skipping comments, and the raw text of <script>, <style> and <textarea>
# (the runnable blocks keep their source code in a <textarea>).
_SKIP = re.compile(r"<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[a-zA-Z][^\s/>]*((?:\s+[^\s=>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s=>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


@dataclass(frozen=True)
class _Collector:
    links: tuple[str, ...]
    ids: tuple[str, ...]


def is_external(link: str) -> bool:
    parts = urlsplit(link)
    return bool(parts.scheme or parts.netloc)


def check(files: dict[str, bytes], also_present: Iterable[str] = ()) -> list[Problem]:
    """Every problem in the site `files` (site path -> bytes); `also_present` are paths written separately."""
    present = set(files) | set(also_present)
    pages = {path: _parse(data) for path, data in files.items() if path.endswith(".html")}
    ids = {path: set(collected.ids) for path, collected in pages.items()}
    problems: list[Problem] = []
    for page, collected in pages.items():
        for dup, count in Counter(collected.ids).items():
            if count > 1:
                problems.append(Problem(page, "", f"the id '{dup}' is used {count} times on the page, so '#{dup}' is ambiguous"))
        for link in collected.links:
            problem = _check_link(page, link, present, ids)
            if problem:
                problems.append(Problem(page, link, problem))
    return problems


def _check_link(page: str, link: str, present: set[str], ids: dict[str, set[str]]) -> str | None:
    if is_external(link) or link.startswith(("mailto:", "javascript:", "data:")):
        return None
    parts = urlsplit(link)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        target = page
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target == ".." or target.startswith("../") or path.startswith("/"):
            return "leaves the site (use a relative link inside it)"
    if path.endswith("/") or target == ".":
        folder = "" if target == "." else target + "/"
        if folder + "index.html" in present or any(p.startswith(folder) for p in present):
            return None
        return f"no folder '{folder}' in the site"
    if target not in present:
        return f"no file '{target}' in the site"
    if fragment and target in ids and fragment not in ids[target]:
        return f"no heading or id '{fragment}' in {target}"
    return None


@lru_cache(maxsize=256)  # under --serve, most pages are the same as last time
def _parse(data: bytes) -> _Collector:
    links: list[str] = []
    ids: list[str] = []
    text = _SKIP.sub(_keep_start_tag, data.decode("utf-8"))
    for tag in _TAG.finditer(text):
        for attr in _ATTR.finditer(tag.group(1)):
            key = attr.group(1).lower()
            value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
            if value is None:
                continue
            value = html.unescape(value)
            if key == "id":
                ids.append(value)
            elif key in ("href", "src") or (key.startswith("data-") and key.endswith("-url")):
                links.append(value)
    return _Collector(tuple(links), tuple(ids))


def _keep_start_tag(match: re.Match[str]) -> str:
    """Drop a comment; of a <script>, <style> or <textarea>, keep only the start tag (its src counts)."""
    if match.group(1) is None:
        return ""
    return match.group(0)[: match.group(0).index(">") + 1]
