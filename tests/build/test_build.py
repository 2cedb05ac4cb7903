"""The whole build on a fixture course: what it writes, and what the pages hold."""

from __future__ import annotations

import html
import os
import re

import pytest

from lessonbuild.recipe import Builder
from tests.build.fixture_course import Course

from lessonbuild import pyodide
from lessonbuild.headers import meta_policy


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_build_writes_lessons_index_assets_and_pyodide(course: Course) -> None:
    site = course.build()
    names = {p.relative_to(course.site).as_posix() for p in course.site.rglob("*") if p.is_file()}
    assert {"01-first.html", "02-second.html", "index.html", "_headers", ".nojekyll"} <= names
    for asset in ("style", "page", "worker", "python"):
        assert any(re.fullmatch(rf"assets/{asset}-[0-9a-f]{{10}}\.(css|js|zip\.gz)", n) for n in names), asset
    assert {f"pyodide/{f}" for f in pyodide.FILES} <= names
    assert [p.url for p in site.pages] == ["01-first.html", "02-second.html"]
    assert site.warnings == []


def test_pyodide_is_hard_linked_not_copied(course: Course) -> None:
    course.build()
    built = course.site / "pyodide" / "pyodide.asm.wasm"
    assert os.path.samefile(built, course.project.pyodide_dir / "pyodide.asm.wasm")


def test_site_is_readable_by_a_web_server(course: Course) -> None:
    course.build()
    assert course.site.stat().st_mode & 0o755 == 0o755


def test_lessons_are_ordered_by_front_matter_not_file_name(course: Course) -> None:
    course.edit("lesson/01-first.md", "order: 1", "order: 3")
    site = course.build()
    assert [p.title for p in site.pages] == ["Second steps", "First steps"]
    first = course.read("_site/02-second.html")
    assert 'rel="next" href="01-first.html"' in first and 'rel="prev"' not in first


def test_lesson_page_has_title_summary_objectives_and_previous_next(course: Course) -> None:
    course.build()
    first, second = course.read("_site/01-first.html"), course.read("_site/02-second.html")
    assert "<h1>First steps</h1>" in first
    assert "Run a <code>flow</code>." in first
    assert "<li>Run a flow and read its log</li>" in first
    assert "Lesson 1 of 2" in first and "Lesson 2 of 2" in second
    assert 'rel="next" href="02-second.html"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="01-first.html"' in second and 'rel="next"' not in second


def test_table_of_contents_nests_h3_under_h2_and_links_to_heading_anchors(course: Course) -> None:
    course.build()
    page = course.read("_site/01-first.html")
    toc = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert re.sub(r"\s+", "", toc).count("<ol>") == 2
    assert '<a href="#run-it">Run it</a>' in toc and '<a href="#read-the-log">Read the log</a>' in toc
    assert toc.index("#run-it") < toc.index("<ol>", toc.index("#run-it")) < toc.index("#read-the-log")
    assert '<h2 id="run-it">' in page and '<h3 id="read-the-log">' in page


def test_course_index_lists_every_lesson_in_order_with_its_summary(course: Course) -> None:
    course.build()
    index = course.read("_site/index.html")
    assert index.index('href="01-first.html"') < index.index('href="02-second.html"')
    assert "Run a <code>flow</code>." in index and "An exercise." in index


def test_runnable_shows_the_expected_output_before_python_runs(course: Course) -> None:
    course.build()
    page = course.read("_site/01-first.html")
    output = re.search(r"<pre [^>]*data-output[^>]*>(.*?)</pre>", page, re.S)
    assert output is not None
    assert text_of(output.group(1)) == course.read("demo/hello.expected.log")
    assert 'data-file="hello.py"' in page and "Hello" in page
    assert "<span class=" in output.group(1)  # Prefect's colours, pre-rendered


def test_exercise_ships_starter_and_check_but_never_the_solution(course: Course) -> None:
    course.build()
    page = course.read("_site/02-second.html")
    assert 'print(&#34;answer:&#34;, 41)' in page or "print(&quot;answer:&quot;, 41)" in page
    assert "def check(attempt)" in page
    assert "42" not in text_of(page.split("<footer", 1)[0].split("def check", 1)[0])
    assert "Change <code>41</code>." in page


def test_links_between_lessons_point_at_built_pages(course: Course) -> None:
    course.build()
    assert 'href="02-second.html#try-it"' in course.read("_site/01-first.html")
    assert 'href="01-first.html#run-it"' in course.read("_site/02-second.html")


def test_files_beside_the_lessons_are_copied_and_can_be_linked(course: Course) -> None:
    course.write("lesson/img/states.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    course.edit("lesson/01-first.md", "The log is above.", "The log is above. ![States](img/states.svg)")
    course.build()
    assert (course.site / "img" / "states.svg").is_file()
    assert '<img src="img/states.svg" alt="States"' in course.read("_site/01-first.html")


def meta_csp(page: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert found is not None, "no CSP meta tag"
    return html.unescape(found.group(1))


def test_pages_carry_the_build_s_csp(course: Course) -> None:
    course.build()
    for name in ("01-first.html", "index.html"):
        assert meta_csp(course.read(f"_site/{name}")) == meta_policy()


def test_headers_file_asks_for_the_csp(course: Course) -> None:
    course.build()
    headers = course.read("_site/_headers")
    assert "frame-ancestors 'none'" in headers and "'wasm-unsafe-eval'" in headers
    assert "connect-src 'self';" in headers and "worker-src 'self' blob:;" in headers


def test_unused_demo_is_a_warning(course: Course) -> None:
    course.write("demo/spare.py", "print('spare')\n")
    site = course.build()
    assert site.warnings == ["demo/spare.py: no lesson uses this demo"]


def test_same_demo_twice_on_a_page_is_refused(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.edit("lesson/01-first.md", "### Read the log", "```{runnable} hello.py\n```\n\n### Read the log")
    assert course.main() == 1
    assert capsys.readouterr().err == (
        "error: lesson/01-first.md:15: 'hello.py' is already runnable on this page (line 11); show it once\n"
    )


def test_warm_rebuild_reuses_the_bundles(course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonbuild import bundle
    from lessonbuild.cache import BuildCache

    calls: list[str] = []
    monkeypatch.setattr(bundle, "page_script", lambda web, code: calls.append("page") or b"page")
    monkeypatch.setattr(bundle, "worker_script", lambda web, code: calls.append("worker") or b"worker")
    builder = course.builder()
    builder.cache = BuildCache()
    builder.build()
    course.edit("lesson/01-first.md", "The log is above.", "The log is just above.")
    builder.build()
    assert sorted(calls) == ["page", "worker"]
    assert "The log is just above." in course.read("_site/01-first.html")


def test_a_fresh_builder_reuses_the_disk_cache_and_prunes_what_it_no_longer_uses(
    course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonbuild import bundle
    from lessonbuild.cache import BuildCache

    calls: list[str] = []
    monkeypatch.setattr(bundle, "page_script", lambda web, code: calls.append("page") or b"page")
    monkeypatch.setattr(bundle, "worker_script", lambda web, code: calls.append("worker") or b"worker")
    folder = course.base / ".build" / "cache"
    course.write("demo/notes.txt", "one\n")
    course.edit("lesson/01-first.md", "### Read the log", "```{file} notes.txt\n:lang: bash\n```\n\n### Read the log")
    Builder(course.project, cache=BuildCache(folder)).build()
    first = course.read("_site/01-first.html")
    entries = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert {e.split("/")[0] for e in entries} >= {"page.js", "worker.js", "python.zip.gz", "style.css", "highlight", "output", "css"}

    Builder(course.project, cache=BuildCache(folder)).build()  # a new process, as far as the cache can tell
    assert sorted(calls) == ["page", "worker"]
    assert course.read("_site/01-first.html") == first

    course.write("demo/notes.txt", "two\n")
    Builder(course.project, cache=BuildCache(folder)).build()
    after = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert len(after) == len(entries) and after != entries  # the old snippet's entry was replaced, not kept
