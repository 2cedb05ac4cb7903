"""The build's recipe: Markdown in ``lesson/``, a static site out in ``_site/``.

The build is a recipe of named phases (after MkDocs' ``commands/build.py``):
read -> assets (in the background) and render -> check -> write. Everything is
read, rendered and checked in memory before anything is written, into a
staging folder that replaces ``_site/`` only at the end, so a failed build
leaves the last good site intact. What is slow to make (esbuild's bundles,
highlighted code, whole rendered lessons) is kept in ``.build/cache/``, keyed
by its inputs, so a build redoes only what changed (`cache.py`, `pages.py`);
delete that folder to build from nothing.

The commands around it (``python -m lessonbuild``, ``--serve``, ``--check``,
``--update-expected``) are in `cli.py`.
"""

from __future__ import annotations

import functools
import gzip
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import assets, bundle, headers, linkcheck, slim, snapshot
from . import pyodide as pyodide_source
from .blocks import BlockRenderer
from .cache import BuildCache, files_key
from .demos import find_demos
from .errors import BuildError
from .exercises import check_exercise
from .highlight import pygments_css
from .highlight import tool_key as highlight_tool_key
from .pages import Page, read_page, render_page, tools_key
from .project import DEFAULT, Project
from .templates import Templates

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass
class Options:
    pyodide_cdn: str | None = None  # a URL template such as pyodide.DEFAULT_CDN; None: self-hosted
    check_exercises: bool = False  # run each exercise's check on its solution and its starter


@dataclass
class Site:
    pages: list[Page]
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> content
    asset_urls: dict[str, str] = field(default_factory=dict)
    pyodide: pyodide_source.PyodideSource | None = None
    warnings: list[str] = field(default_factory=list)


class Builder:
    """One build configuration, built as often as asked: ``--serve`` keeps one and
    calls `build` on every save; its parser, templates and cache stay warm."""

    def __init__(
        self, project: Project = DEFAULT, options: Options | None = None, cache: BuildCache | None = None
    ) -> None:
        self.project = project
        self.options = options or Options()
        work = project.site_dir.parent / ".build"
        self.cache = cache or BuildCache(work / "cache")
        self.templates = Templates(project.template_dir, bytecode_dir=self.cache.folder and self.cache.folder / "jinja")
        self.blocks = BlockRenderer(project, self.templates, self.inline, self.cache)

    @functools.cached_property
    def md(self) -> MarkdownIt:
        """The Markdown parser, made (and markdown-it imported) only when a page is not in the cache."""
        from .markdown import make_markdown

        return make_markdown(render=self.blocks)

    def inline(self, text: str) -> str:
        return self.md.renderInline(text) if text else ""

    def build(self) -> Site:
        """read -> assets and render -> check -> write.

        The assets (esbuild's bundles above all) are produced in background
        threads while the Markdown renders; the page templates then wait for
        them, since pages link to the assets' fingerprinted names.
        """
        pages = read_pages(self.project, lambda: self.md, self.cache)
        site = Site(pages)
        with ThreadPoolExecutor(max_workers=4) as pool:
            pending = start_assets(self.project, self.cache, pool)
            render_markdown(pages, lambda: self.md, self.cache)
            collect_assets(self.project, self.options, site, pending)
        render_templates(pages, self.templates, site)
        check_site(self.project, self.options, site)
        write_site(self.project, site)
        self.cache.prune()
        return site


# -- phase 1: read --------------------------------------------------------------------


def read_pages(project: Project, parser: Callable[[], MarkdownIt], cache: BuildCache) -> list[Page]:
    """Read every lesson (from the cache when unchanged), check its front matter, and order them by `order`."""
    sources = sorted(project.lesson_dir.glob("*.md"))
    if not sources:
        raise BuildError(project.rel(project.lesson_dir) + "/", None, "no lessons found (add lesson/01-something.md)")
    tools = tools_key(project)
    pages = [read_page(project, source, parser, cache, tools) for source in sources]
    orders: dict[int, str] = {}
    for page in pages:
        order = page.meta["order"]
        if order in orders:
            raise BuildError(page.rel, page.meta_lines["order"], f"'order: {order}' is also used by {orders[order]}")
        orders[order] = page.rel
    return sorted(pages, key=lambda p: p.meta["order"])


# -- phase 2: assets (in the background) --------------------------------------------------


def start_assets(project: Project, cache: BuildCache, pool: ThreadPoolExecutor) -> dict[str, Future[bytes]]:
    """Start producing our own files (the CSS, the bundles, the Python package and its memory snapshot), each cached by its inputs."""
    web, code = project.web_dir, project.code
    scripts = [*web.glob("*.js"), *web.glob("*.mjs"), code / "package-lock.json", Path(bundle.__file__)]
    python = [*assets.python_files(code), Path(assets.__file__), Path(slim.__file__)]  # the zip's maker is an input too

    def css() -> bytes:
        return (web / "style.css").read_bytes() + b"\n" + pygments_css(cache).encode()

    makers: dict[str, tuple[list[Path], Callable[[], bytes]]] = {
        "style.css": ([web / "style.css"], css),
        "page.js": (scripts, lambda: bundle.page_script(web, code)),
        "worker.js": (scripts, lambda: bundle.worker_script(web, code)),
        "editor.js": (scripts, lambda: bundle.editor_script(web, code)),
        "run-view.js": (scripts, lambda: bundle.run_view_script(web, code)),
        "terminal.js": (scripts, lambda: bundle.terminal_script(web, code)),
        "python.zip.gz": (python, lambda: assets.packed(assets.python_zip(code, cache))),
        "pytest.zip": ([*(path for _, path in assets.pytest_files()), Path(assets.__file__)], assets.pytest_zip),
    }
    pending = {
        name: pool.submit(cache.get, name, files_key(inputs, name, highlight_tool_key()), make)
        for name, (inputs, make) in makers.items()
    }
    cache.touch(assets.slim_entries(code))  # each file's slimmed text, for when one file changes
    # Python's memory after booting and importing python.zip's code (made in Node: snapshot.py).
    pending["snapshot.bin"] = pool.submit(
        lambda: snapshot.packed_snapshot(code, web, gzip.decompress(pending["python.zip.gz"].result()), cache))
    return pending


def collect_assets(project: Project, options: Options, site: Site, pending: dict[str, Future[bytes]]) -> None:
    """Fingerprint our own files; choose where Pyodide comes from; copy files that sit beside the lessons."""
    for name, future in pending.items():
        data = future.result()
        url = "assets/" + assets.fingerprinted_name(name, data)
        site.files[url] = data
        site.asset_urls[name] = url
    if options.pyodide_cdn:
        site.pyodide = pyodide_source.from_cdn(project.pyodide_dir, options.pyodide_cdn)
    else:
        site.pyodide = pyodide_source.self_hosted(project.pyodide_dir)
    site.asset_urls["pyodide"] = site.pyodide.url
    site.asset_urls["pyodide_version"] = site.pyodide.version
    for path in sorted(project.lesson_dir.rglob("*")):  # images and other files beside the lessons
        if path.is_file() and path.suffix != ".md" and not path.name.startswith("."):
            site.files[path.relative_to(project.lesson_dir).as_posix()] = path.read_bytes()
    site.files["_headers"] = headers.headers_file(site.pyodide.origin).encode()
    site.files[".nojekyll"] = b""  # GitHub Pages: serve the files as they are, without running Jekyll


# -- phase 3: render ------------------------------------------------------------------


def render_markdown(pages: list[Page], parser: Callable[[], MarkdownIt], cache: BuildCache) -> None:
    """Each changed lesson's Markdown to HTML, runnable blocks included."""
    for page in pages:
        if not page.rendered:
            render_page(page, parser(), cache)


def render_templates(pages: list[Page], templates: Templates, site: Site) -> None:
    """Each lesson through ``lesson.html`` (with its neighbours), and the course index."""
    origin = site.pyodide.origin if site.pyodide else None
    common = {"pages": pages, "assets": site.asset_urls, "pyodide": site.pyodide, "csp": headers.meta_policy(origin)}
    for i, page in enumerate(pages):
        prev = pages[i - 1] if i > 0 else None
        next_ = pages[i + 1] if i + 1 < len(pages) else None
        html = templates.render("lesson.html", page.rel, page=page, prev=prev, next=next_, **common)
        site.files[page.url] = html.encode()
    site.files["index.html"] = templates.render("index.html", "the course index", **common).encode()


# -- phase 4: check -------------------------------------------------------------------


def check_site(project: Project, options: Options, site: Site) -> None:
    """No broken links or anchors; exercises' checks are right; warn about unused demos."""
    present = {f"pyodide/{name}" for name in pyodide_source.FILES} if site.pyodide and site.pyodide.self_hosted else set()
    problems = linkcheck.check(site.files, present)
    if problems:
        raise _locate(problems[0], site.pages, len(problems) - 1)
    for page in site.pages:
        site.warnings.extend(page.warnings)
    used = {path for page in site.pages for path in page.files}
    for demo in find_demos(project.demo_dir):
        if str(demo.path.resolve()) not in used:
            site.warnings.append(f"{project.rel(demo.path)}: no lesson uses this demo")
    if options.check_exercises:
        for exercise in [e for page in site.pages for e in page.exercises]:
            check_exercise(exercise)


def _locate(problem: linkcheck.Problem, pages: list[Page], more: int) -> BuildError:
    """Name the Markdown line that wrote the broken link, when a lesson did."""
    suffix = f" (and {more} more)" if more else ""
    page = next((p for p in pages if p.url == problem.page), None)
    written = next((link for link in page.links if link.href == problem.link), None) if page and problem.link else None
    if page is not None and written is not None:
        return BuildError(page.rel, written.line, f"broken link '{written.written}': {problem.message}{suffix}")
    where = page.rel if page is not None else f"{problem.page} (built from templates/index.html)"
    what = f"broken link '{problem.link}' (outside the Markdown body: front matter, a block option or a template)" if problem.link else "duplicate id"
    return BuildError(where, None, f"{what}: {problem.message}{suffix}")


# -- phase 5: write -------------------------------------------------------------------


def write_site(project: Project, site: Site) -> None:
    """Write into a staging folder beside ``_site/``, then swap it in."""
    dest = project.site_dir
    work = dest.parent / ".build"
    work.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="site-", dir=work))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    try:
        for rel, data in site.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if site.pyodide and site.pyodide.self_hosted:
            pyodide_source.install(project.pyodide_dir, staging / "pyodide")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(staging, dest, work)


def swap(staging: Path, dest: Path, work: Path) -> None:
    """Put `staging` where `dest` is; on any failure, `dest` is as it was."""
    old = Path(tempfile.mkdtemp(prefix="old-", dir=work))
    moved = False
    try:
        if dest.exists():
            dest.rename(old / dest.name)
            moved = True
        staging.rename(dest)
    except BaseException:
        if moved and not dest.exists():
            (old / dest.name).rename(dest)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def build(dest: Path | None = None, project: Project = DEFAULT, options: Options | None = None) -> Site:
    """Build `project` into `dest` (default: its ``_site/``) with a new Builder (it reuses ``.build/cache`` beside `dest`)."""
    if dest is not None:
        project = project.with_site(dest)
    return Builder(project, options).build()
