"""A link check over the built site: every internal href/src and #anchor must exist."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Problem:
    page: str
    message: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is None:
                continue
            if key == "id":
                self.ids.add(value)
            elif key in ("href", "src") or (key.startswith("data-") and key.endswith("-url")):
                self.links.append(value)


def check(files: dict[str, bytes], extra_paths: set[str] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    pages = {path: _parse(data) for path, data in files.items() if path.endswith(".html")}
    problems: list[Problem] = []
    for page, collected in pages.items():
        for link in collected.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
            if target.endswith("/") or parts.path.endswith("/"):
                continue  # a folder URL such as the Pyodide base
            if target not in files and target not in extra_paths:
                problems.append(Problem(page, f"broken link to '{link}' (no such file in the site)"))
                continue
            if parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                problems.append(Problem(page, f"broken anchor '{link}' (no id '{parts.fragment}' in {target})"))
    return problems


def _parse(data: bytes) -> _Collector:
    collector = _Collector()
    collector.feed(data.decode("utf-8"))
    return collector
