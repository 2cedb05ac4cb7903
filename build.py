#!/usr/bin/env python3
"""Build the lesson site: Markdown in ``lesson/``, a static site out in ``_site/``.

The build is a recipe of named phases (after MkDocs): everything is read and
rendered in memory before anything is written, into a temporary folder that
replaces ``_site/`` only at the end, so a failed build leaves the last good
site intact.

    python build.py                    build
    python build.py --serve            build, serve on 127.0.0.1, rebuild and reload on change
    python build.py --check            run every demo against its expected log; check links
    python build.py --update-expected  rewrite the expected logs and print what changed
    python build.py --strict           warnings fail the build

Errors name the place: ``lesson/02-x.md:14: unknown option ':titel:' for '{runnable}'``.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # sim_prefect and lessonbuild, also when not installed

from lessonbuild import assets, bundle, linkcheck  # noqa: E402
from lessonbuild.demos import Demo, diff, find_demos, run_in_terminal  # noqa: E402
from lessonbuild.directives import Directive, directives_plugin  # noqa: E402
from lessonbuild.errors import BuildError  # noqa: E402
from lessonbuild.highlight import highlight_code, pygments_css  # noqa: E402
from lessonbuild.output import render_output  # noqa: E402

LESSON_DIR = ROOT / "lesson"
DEMO_DIR = ROOT / "demo"
TEMPLATE_DIR = ROOT / "templates"
WEB_DIR = ROOT / "web"
SITE_DIR = ROOT / "_site"
ADMONITIONS = ("note", "tip", "warning")
REQUIRED_FRONT_MATTER = ("title", "order")


@dataclass
class Page:
    source: Path
    meta: dict[str, Any]
    body: str
    body_line: int  # line in the file where the Markdown body starts
    html: str = ""
    toc: list[dict[str, str]] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return self.source.relative_to(ROOT).as_posix()

    @property
    def url(self) -> str:
        return self.source.stem + ".html"

    @property
    def title(self) -> str:
        return str(self.meta["title"])


@dataclass
class Site:
    pages: list[Page]
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> content
    asset_urls: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# -- phase 1: read ------------------------------------------------------------------


def read_pages() -> list[Page]:
    """Read every lesson's front matter and body; order them by `order`."""
    pages = [read_page(path) for path in sorted(LESSON_DIR.glob("*.md"))]
    if not pages:
        raise BuildError("lesson/", None, "no lessons found (add lesson/01-something.md)")
    orders: dict[Any, str] = {}
    for page in pages:
        order = page.meta["order"]
        if order in orders:
            raise BuildError(page.rel, 2, f"order {order} is also used by {orders[order]}")
        orders[order] = page.rel
    return sorted(pages, key=lambda p: p.meta["order"])


def read_page(path: Path) -> Page:
    rel = path.relative_to(ROOT).as_posix()
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise BuildError(rel, 1, "a lesson starts with YAML front matter between '---' lines (title, order, ...)")
    end = text.find("\n---", 4)
    if end == -1:
        raise BuildError(rel, 1, "the front matter has no closing '---' line")
    raw = text[4:end]
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise BuildError(rel, line, f"malformed front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise BuildError(rel, 2, "the front matter must be a mapping of keys to values")
    for key in REQUIRED_FRONT_MATTER:
        if key not in meta:
            raise BuildError(rel, 1, f"the front matter needs '{key}:'")
    body_start = text.count("\n", 0, end) + 2
    body = text[end + len("\n---") :].split("\n", 1)[1] if "\n" in text[end + 4 :] else ""
    return Page(path, meta, body, body_start)


# -- phase 2: render ----------------------------------------------------------------


def make_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def read_demo_file(name: str, page: Page, line: int, kind: str = "demo file") -> str:
    path = (DEMO_DIR / name).resolve()
    if DEMO_DIR.resolve() not in path.parents or not path.is_file():
        raise BuildError(page.rel, line, f"{kind} 'demo/{name}' not found")
    return path.read_text(encoding="utf-8")


def render_directive(directive: Directive, env: dict[str, Any]) -> str:
    """What each directive becomes on the page."""
    page: Page = env["page"]
    jinja: jinja2.Environment = env["jinja"]
    code = read_demo_file(directive.argument, page, directive.line)
    title = directive.option("title")
    if directive.name in ("prefect-code", "file"):
        lang = directive.option("lang") or ""
        return jinja.get_template("partials/code_file.html").render(
            name=directive.argument,
            title=title,
            kind=directive.name,
            code_html=highlight_code(code, lang, filename=directive.argument),
        )
    demo = Demo(DEMO_DIR / directive.argument)
    expected = demo.expected()
    if expected is None:
        raise BuildError(
            page.rel,
            directive.line,
            f"'demo/{directive.argument}' has no expected log; run `make update-expected` and review it",
        )
    snippet_id = f"{page.source.stem}--{Path(directive.argument).stem}"
    context: dict[str, Any] = {
        "id": snippet_id,
        "kind": directive.name,
        "file": directive.argument,
        "title": title,
        "code": code,
        "code_html": highlight_code(code, "python"),
        "original_hash": hashlib.sha256(code.encode()).hexdigest()[:16],
        "expected_html": render_output(expected),
        "check_code": None,
        "hints": directive.options.get("hint", []),
    }
    if directive.name == "exercise":
        context["check_code"] = read_demo_file(directive.option("check") or "", page, directive.line, "check file")
        read_demo_file(directive.option("solution") or "", page, directive.line, "solution file")
    return jinja.get_template("partials/runnable.html").render(**context)


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True}).enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(front_matter_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, permalink=True, permalinkSymbol="#")
    for name in ADMONITIONS:
        md.use(container_plugin, name, render=_admonition(name))
    md.use(directives_plugin, render=render_directive)
    default_link = md.renderer.rules.get("link_open")

    def link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        href = tokens[idx].attrGet("href") or ""
        path, hash_, anchor = href.partition("#")
        if path.endswith(".md") and "://" not in path:
            tokens[idx].attrSet("href", path[:-3] + ".html" + hash_ + anchor)
        if default_link:
            return default_link(self, tokens, idx, options, env)
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def _admonition(name: str) -> Any:
    def render(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        if tokens[idx].nesting == 1:
            title = tokens[idx].info.strip()[len(name) :].strip() or name.capitalize()
            return (
                f'<aside class="admonition admonition-{name}">'
                f'<p class="admonition-title">{jinja2.utils.markupsafe.escape(title)}</p>\n'
            )
        return "</aside>\n"

    return render


def render_pages(pages: list[Page], jinja: jinja2.Environment, site: Site) -> None:
    """Markdown to HTML, then each page through its template."""
    md = make_markdown()
    for page in pages:
        env = {"page": page, "jinja": jinja, "path": page.rel, "line_offset": 0}
        tokens = md.parse(page.body, env)
        offset = page.body_line - 1
        for token in tokens:
            if token.map:
                token.map = [token.map[0] + offset, token.map[1] + offset]
        page.html = md.renderer.render(tokens, md.options, env)
        page.toc = [
            {"id": tokens[i].attrGet("id") or "", "title": tokens[i + 1].content, "level": tokens[i].tag}
            for i in range(len(tokens))
            if tokens[i].type == "heading_open" and tokens[i].tag in ("h2", "h3")
        ]
    for i, page in enumerate(pages):
        html = render_template(
            jinja,
            "lesson.html",
            page.rel,
            page=page,
            pages=pages,
            prev=pages[i - 1] if i > 0 else None,
            next=pages[i + 1] if i + 1 < len(pages) else None,
            assets=site.asset_urls,
        )
        site.files[page.url] = html.encode()
    site.files["index.html"] = render_template(
        jinja, "index.html", "templates/index.html", pages=pages, assets=site.asset_urls
    ).encode()


def render_template(jinja: jinja2.Environment, name: str, where: str, **context: Any) -> str:
    try:
        return jinja.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"templates/{exc.name or name}", exc.lineno, f"template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise BuildError(where, None, f"template error in templates/{name}: {exc}") from None


# -- phase 3: assets ------------------------------------------------------------------


def collect_assets(site: Site) -> None:
    """Fingerprint our own files; package the Python; copy Pyodide."""
    css = (WEB_DIR / "style.css").read_bytes() + b"\n" + pygments_css().encode()
    own = {
        "style.css": css,
        "page.js": bundle.page_script(WEB_DIR, ROOT),
        "worker.js": bundle.worker_script(WEB_DIR, ROOT),
        "python.zip": assets.python_zip(ROOT),
    }
    for name, data in own.items():
        path = "assets/" + assets.fingerprinted_name(name, data)
        site.files[path] = data
        site.asset_urls[name] = path
    site.asset_urls["pyodide"] = "pyodide/"
    site.asset_urls["pyodide_version"] = assets.pyodide_version(ROOT)


# -- phase 4: check -------------------------------------------------------------------


def check_site(site: Site) -> None:
    """No broken internal links or anchors in the built pages."""
    problems = linkcheck.check(site.files, extra_paths={f"pyodide/{n}" for n in assets.PYODIDE_FILES})
    if problems:
        raise BuildError(problems[0].page, None, problems[0].message + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


# -- phase 5: write and swap -----------------------------------------------------------


def write_site(site: Site, dest: Path = SITE_DIR) -> None:
    """Write into a fresh folder beside `dest`, then swap it in."""
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=dest.parent))
    try:
        for rel, data in site.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        assets.copy_pyodide(ROOT, staging / "pyodide")
        old = dest.with_name(dest.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if dest.exists():
            dest.rename(old)
        staging.rename(dest)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(dest: Path = SITE_DIR) -> Site:
    """read -> render -> assets -> check -> swap."""
    jinja = make_environment()
    pages = read_pages()
    site = Site(pages)
    collect_assets(site)
    render_pages(pages, jinja, site)
    check_site(site)
    write_site(site, dest)
    return site


# -- the other commands -----------------------------------------------------------------


def check_demos() -> int:
    """Run every demo in CPython and compare it with its expected log."""
    failures = 0
    for demo in find_demos(DEMO_DIR):
        expected = demo.expected()
        actual = run_in_terminal(demo, ROOT)
        rel = demo.path.relative_to(ROOT).as_posix()
        if expected is None:
            print(f"{rel}: no expected log ({demo.expected_path.name}); run `make update-expected`")
            failures += 1
        elif actual != expected:
            print(f"{rel}: output differs from {demo.expected_path.name}:")
            print(diff(expected, actual, demo.name), end="")
            failures += 1
        else:
            print(f"{rel}: ok")
    return failures


def update_expected() -> int:
    changed = 0
    for demo in find_demos(DEMO_DIR):
        expected = demo.expected() or ""
        actual = run_in_terminal(demo, ROOT)
        if actual != expected:
            demo.expected_path.write_text(actual, encoding="utf-8")
            changed += 1
            print(diff(expected, actual, demo.name), end="")
            print(f"updated {demo.expected_path.relative_to(ROOT)}")
    print(f"{changed} expected log(s) changed. Review the diff above before committing.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1 and rebuild on change")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--check", action="store_true", help="compare demos with expected logs; check links")
    parser.add_argument("--update-expected", action="store_true", help="rewrite expected logs from the demos")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = parser.parse_args(argv)
    try:
        if args.update_expected:
            return update_expected()
        if args.check:
            failures = check_demos()
            build()
            print("links: ok")
            return 1 if failures else 0
        started = time.perf_counter()
        site = build()
        for warning in site.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.strict and site.warnings:
            return 1
        print(f"Built {len(site.pages)} page(s) into {SITE_DIR.relative_to(ROOT)}/ in {time.perf_counter() - started:.2f}s")
        if args.serve:
            from lessonbuild.serve import serve

            return serve(SITE_DIR, args.port, rebuild=build, watch=[LESSON_DIR, DEMO_DIR, TEMPLATE_DIR, WEB_DIR, ROOT / "sim_prefect", ROOT / "playground"])
        return 0
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
