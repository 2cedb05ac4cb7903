"""A lesson page: read, rendered, and cached whole.

A page's rendered body depends on its own text, on the files its runnable
blocks read from ``demo/``, on the block partials in ``templates/partials/``,
and on the build's own code and libraries. The text, the partials, the code
and the libraries make up its cache key; the files it read are stored in the
entry with their hashes and checked on the way out. So an unchanged page is
neither parsed nor rendered again: a rebuild after editing one lesson renders
that lesson only, and a fresh ``python -m lessonbuild`` reuses the last build's pages
(without even importing markdown-it). Everything that crosses pages (order,
previous/next, links between them) is redone on every build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .cache import BuildCache, files_key, key_of
from .output import formatter_key
from .project import Project

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Libraries whose output ends up in a page; a new version means a new cache key.
LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments", "jinja2", "markupsafe", "yaml")


@dataclass(frozen=True)
class Link:
    """A link or image written in a lesson: as built, as written, and on which line."""

    href: str  # as in the built page ("other.html#x")
    written: str  # as in the Markdown ("other.md#x")
    line: int


@dataclass(frozen=True)
class Exercise:
    page: str
    line: int
    starter: Path
    check: Path
    solution: Path
    runner: str = "python"
    beside: dict[str, str] = field(default_factory=dict)  # a pytest exercise's code under test: name -> path
    fixed: dict[str, str] = field(default_factory=dict)  # the same, fixed: name -> path of its NAME.fixed.py


@dataclass
class Page:
    source: Path
    rel: str  # as errors name it: "lesson/02-x.md"
    key: str  # its cache key
    meta: dict[str, Any]
    meta_lines: dict[str, int]  # front matter key -> its line
    html: str = ""
    summary_html: Markup = Markup("")
    objectives_html: list[Markup] = field(default_factory=list)
    toc: list[dict[str, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # every file its blocks read -> sha256 of what was read
    exercises: list[Exercise] = field(default_factory=list)
    cache_entries: list[list[str]] = field(default_factory=list)  # what rendering it took from the cache
    tokens: list[Token] | None = None  # parsed, not yet rendered
    env: dict[str, Any] | None = None

    @property
    def url(self) -> str:
        return self.source.stem + ".html"

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def rendered(self) -> bool:
        return self.tokens is None

    @property
    def toc_tree(self) -> list[dict[str, Any]]:
        """The ``##`` headings, each with its ``###`` headings as children."""
        tree: list[dict[str, Any]] = []
        for item in self.toc:
            if item["level"] == "h2" or not tree:
                tree.append({**item, "children": []})
            else:
                tree[-1]["children"].append(item)
        return tree

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "meta": self.meta,
                "meta_lines": self.meta_lines,
                "html": self.html,
                "summary_html": str(self.summary_html),
                "objectives_html": [str(o) for o in self.objectives_html],
                "toc": self.toc,
                "links": [asdict(link) for link in self.links],
                "warnings": self.warnings,
                "files": self.files,
                "exercises": [{k: str(v) if isinstance(v, Path) else v for k, v in asdict(e).items()} for e in self.exercises],
                "cache_entries": self.cache_entries,
            }
        ).encode("utf-8")

    @classmethod
    def from_json(cls, source: Path, rel: str, key: str, data: bytes) -> Page:
        entry = json.loads(data)
        return cls(
            source,
            rel,
            key,
            entry["meta"],
            entry["meta_lines"],
            html=entry["html"],
            summary_html=Markup(entry["summary_html"]),
            objectives_html=[Markup(o) for o in entry["objectives_html"]],
            toc=entry["toc"],
            links=[Link(**link) for link in entry["links"]],
            warnings=entry["warnings"],
            files=entry["files"],
            exercises=[
                Exercise(e["page"], e["line"], Path(e["starter"]), Path(e["check"]), Path(e["solution"]),
                         e.get("runner", "python"), e.get("beside", {}), e.get("fixed", {}))  # fmt: skip
                for e in entry["exercises"]
            ],
            cache_entries=entry["cache_entries"],
        )

    def files_unchanged(self) -> bool:
        return all(_sha256_or_none(Path(path)) == digest for path, digest in self.files.items())


def _sha256_or_none(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def tools_key(project: Project) -> str:
    """What every page's body depends on besides its own text and files."""
    here = Path(__file__).resolve().parent
    sources = [*here.glob("*.py"), *(project.template_dir / "partials").rglob("*.html")]
    libraries = [Path(spec.origin) for name in LIBRARIES if (spec := importlib.util.find_spec(name)) and spec.origin]
    return files_key([*sources, *libraries], str(project.demo_dir), formatter_key(project.code))


def read_page(project: Project, source: Path, parser: Callable[[], MarkdownIt], cache: BuildCache, tools: str) -> Page:
    """The page from the cache if nothing it depends on changed; otherwise parsed, with its front matter checked."""
    rel = project.rel(source)
    text = source.read_text(encoding="utf-8").replace("\r\n", "\n")
    key = key_of(tools, rel, text)
    data = cache.load("page", key)
    if data is not None:
        page = Page.from_json(source, rel, key, data)
        if page.files_unchanged():
            cache.touch((ns, k) for ns, k in page.cache_entries)  # keep what it was made of
            return page
    from .frontmatter import read_front_matter
    from .markdown import new_env

    env = new_env(rel, page_stem=source.stem, cache=cache)
    tokens = parser().parse(text, env)
    front = read_front_matter(tokens, text, rel)
    return Page(source, rel, key, front.meta, front.lines, warnings=front.warnings, tokens=tokens, env=env)


def render_page(page: Page, md: MarkdownIt, cache: BuildCache) -> None:
    """Markdown to HTML (runnable blocks included), unless the page came from the cache; then cache it."""
    if page.tokens is None or page.env is None:
        return
    env = page.env
    with cache.recording() as used:
        page.html = md.renderer.render(page.tokens, md.options, env)
        page.summary_html = Markup(md.renderInline(page.meta.get("summary", "")))
        page.objectives_html = [Markup(md.renderInline(o)) for o in page.meta.get("objectives", [])]
    page.cache_entries = [list(entry) for entry in sorted(set(used))]
    page.toc = list(env["toc"])
    page.links = list(env["links"])
    page.warnings = page.warnings + list(env["warnings"])
    page.files = {str(path): digest for path, digest in sorted(env.get("files", {}).items())}
    page.exercises = list(env.get("exercises", []))
    page.tokens = page.env = None
    cache.store("page", page.key, page.to_json())
