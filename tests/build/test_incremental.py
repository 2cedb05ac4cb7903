"""Rebuilds redo only what changed, and never serve a stale page."""

from __future__ import annotations

import pytest

from lessonbuild import recipe
from lessonbuild.cache import BuildCache
from tests.build.fixture_course import Course


def fresh_build(course: Course) -> recipe.Site:
    """As a new `python -m lessonbuild` would: a new Builder, a new in-memory cache, the same disk cache."""
    return recipe.Builder(course.project, cache=BuildCache(course.base / ".build" / "cache")).build()


@pytest.fixture()
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lessons the build renders from Markdown (the others come from the cache)."""
    names: list[str] = []
    real = recipe.render_page

    def spy(page, md, cache):  # type: ignore[no-untyped-def]
        names.append(page.rel)
        real(page, md, cache)

    monkeypatch.setattr(recipe, "render_page", spy)
    return names


def test_warm_rebuild_renders_only_the_edited_lesson(course: Course, rendered: list[str]) -> None:
    builder = course.builder()
    builder.build()
    assert rendered == ["lesson/01-first.md", "lesson/02-second.md"]
    rendered.clear()
    course.edit("lesson/02-second.md", "Back to", "Go back to")
    builder.build()
    assert rendered == ["lesson/02-second.md"]
    assert "Go back to" in course.read("_site/02-second.html")


def test_a_new_process_reuses_every_unchanged_lesson(course: Course, rendered: list[str]) -> None:
    fresh_build(course)
    rendered.clear()
    first = course.read("_site/01-first.html")
    fresh_build(course)
    assert rendered == []
    assert course.read("_site/01-first.html") == first


def test_editing_a_demo_re_renders_the_lesson_that_shows_it(course: Course, rendered: list[str]) -> None:
    fresh_build(course)
    rendered.clear()
    course.edit("demo/hello.py", '"""Two tasks in a flow."""', '"""Two small tasks in one flow."""')
    fresh_build(course)
    assert rendered == ["lesson/01-first.md"]
    assert "Two small tasks in one flow." in course.read("_site/01-first.html")


def test_editing_an_expected_log_re_renders_the_lesson(course: Course, rendered: list[str]) -> None:
    fresh_build(course)
    rendered.clear()
    course.write("demo/hello.expected.log", course.read("demo/hello.expected.log") + "one more line\n")
    fresh_build(course)
    assert rendered == ["lesson/01-first.md"]
    assert "one more line" in course.read("_site/01-first.html")


def test_editing_a_block_partial_re_renders_every_lesson(course: Course, rendered: list[str]) -> None:
    templates = course.own_templates()
    fresh_build(course)
    rendered.clear()
    partial = templates / "partials" / "runnable.html"
    partial.write_text(partial.read_text() + "<!-- changed -->\n")
    fresh_build(course)
    assert rendered == ["lesson/01-first.md", "lesson/02-second.md"]


def test_editing_the_page_template_needs_no_markdown_rendering(course: Course, rendered: list[str]) -> None:
    templates = course.own_templates()
    fresh_build(course)
    rendered.clear()
    lesson = templates / "lesson.html"
    lesson.write_text(lesson.read_text().replace("All lessons", "Every lesson"))
    fresh_build(course)
    assert rendered == []
    assert "Every lesson" in course.read("_site/01-first.html")


def test_a_cached_lesson_still_reports_its_warnings(course: Course) -> None:
    course.edit("lesson/01-first.md", "summary: Run a `flow`.\n", "")
    assert len(fresh_build(course).warnings) == 1
    assert fresh_build(course).warnings == ["lesson/01-first.md:2: no 'summary:' in the front matter; the course index shows none"]


def test_a_cached_lesson_still_has_its_links_checked(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    fresh_build(course)
    course.edit("lesson/02-second.md", "## Try it", "## Try this")  # 01-first.md links to #try-it
    assert course.main() == 1
    assert capsys.readouterr().err == (
        "error: lesson/01-first.md:17: broken link '02-second.md#try-it': no heading or id 'try-it' in 02-second.html\n"
    )


def test_a_cached_exercise_is_still_checked(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    fresh_build(course)
    course.write("demo/answer.check.py", "def check(attempt):\n    raise AssertionError('never')\n")
    assert course.main("--strict") == 1
    assert "does not pass 'demo/answer.check.py': never" in capsys.readouterr().err
