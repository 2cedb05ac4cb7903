"""Every build error is one line, ``path:LINE: what is wrong``, exit status 1, and the last good site survives."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from lessonbuild import pyodide
from tests.build.fixture_course import Course


def snapshot(site: Path) -> dict[str, str]:
    """Every file of the site and its content (Pyodide's big files by name only)."""
    return {
        p.relative_to(site).as_posix(): "" if p.parent.name == "pyodide" else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def fails_with(course: Course, capsys: pytest.CaptureFixture[str], message: str, *argv: str) -> None:
    before = snapshot(course.site)
    assert course.main(*argv) == 1
    err = capsys.readouterr().err
    assert err == f"error: {message}\n"
    assert snapshot(course.site) == before, "a failed build changed the last good site"
    assert not list((course.site.parent / ".build").glob("site-*")), "a failed build left its staging folder"


def edit(rel: str, old: str, new: str) -> Callable[[Course], None]:
    return lambda course: course.edit(rel, old, new)


def write(rel: str, text: str) -> Callable[[Course], None]:
    return lambda course: course.write(rel, text)


FIRST = "lesson/01-first.md"
ERRORS = {
    "malformed front matter": (
        edit(FIRST, "summary: Run a `flow`.", "summary: [Run a flow"),
        "lesson/01-first.md:5: malformed front matter: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence that starts on line 4)",
    ),
    "front matter not closed": (
        write(FIRST, "---\ntitle: First\norder: 1\n\nText.\n"),
        "lesson/01-first.md:1: the front matter has no closing '---' line",
    ),
    "no front matter": (
        write(FIRST, "# First\n\nText.\n"),
        "lesson/01-first.md:1: a lesson starts with YAML front matter: a '---' line, "
        "then 'title: ...' and 'order: N' lines, then a closing '---' line",
    ),
    "front matter without a title": (
        edit(FIRST, "title: First steps\n", ""),
        "lesson/01-first.md:2: the front matter needs 'title:' (the lesson's title)",
    ),
    "front matter key misspelt": (
        edit(FIRST, "summary:", "sumary:"),
        "lesson/01-first.md:4: unknown front matter key 'sumary:' (did you mean 'summary:'?)",
    ),
    "order that is not a number": (
        edit(FIRST, "order: 1", "order: first"),
        "lesson/01-first.md:3: 'order:' must be a whole number: the lesson's place in the course, e.g. 3",
    ),
    "two lessons with the same order": (
        edit("lesson/02-second.md", "order: 2", "order: 1"),
        "lesson/02-second.md:3: 'order: 1' is also used by lesson/01-first.md",
    ),
    "unknown block option": (
        edit(FIRST, ":title: Hello", ":title: Hello\n:titel: Hello"),
        "lesson/01-first.md:13: unknown option ':titel:' for '{runnable}' (did you mean 'title'?)",
    ),
    "unknown directive": (
        edit(FIRST, "{runnable}", "{runable}"),
        "lesson/01-first.md:11: unknown directive '{runable}' (did you mean 'runnable'?)",
    ),
    "bare python fence": (
        edit(FIRST, "### Read the log", "```python\nprint(1)\n```\n\n### Read the log"),
        "lesson/01-first.md:15: a bare ```python block is not tested; put the code in demo/ and write "
        "```{runnable} FILE, ```{exercise} FILE or ```{prefect-code} FILE",
    ),
    "missing demo file": (
        edit(FIRST, "{runnable} hello.py", "{runnable} hullo.py"),
        "lesson/01-first.md:11: demo file 'demo/hullo.py' not found",
    ),
    "demo file outside demo/": (
        edit(FIRST, "{runnable} hello.py", "{runnable} ../lesson/01-first.md"),
        "lesson/01-first.md:11: demo file 'demo/../lesson/01-first.md' not found",
    ),
    "missing expected log": (
        lambda course: (course.base / "demo" / "hello.expected.log").unlink(),
        "lesson/01-first.md:11: 'demo/hello.py' has no expected log; run `make update-expected` and review it",
    ),
    "missing check file": (
        edit("lesson/02-second.md", ":check: answer.check.py", ":check: answer.chek.py"),
        "lesson/02-second.md:9: check file 'demo/answer.chek.py' not found",
    ),
    "broken link to a lesson": (
        edit(FIRST, "(02-second.md#try-it)", "(03-third.md)"),
        "lesson/01-first.md:17: broken link '03-third.md': no file '03-third.html' in the site",
    ),
    "broken anchor": (
        edit(FIRST, "(02-second.md#try-it)", "(02-second.md#try-this)"),
        "lesson/01-first.md:17: broken link '02-second.md#try-this': no heading or id 'try-this' in 02-second.html",
    ),
    "broken anchor on the same page": (
        edit(FIRST, "The log is above.", "The log is [above](#run)."),
        "lesson/01-first.md:17: broken link '#run': no heading or id 'run' in 01-first.html",
    ),
    "link that leaves the site": (
        edit(FIRST, "(02-second.md#try-it)", "(../demo/hello.py)"),
        "lesson/01-first.md:17: broken link '../demo/hello.py': leaves the site (use a relative link inside it)",
    ),
    "heading id used twice": (
        edit(FIRST, "### Read the log", "{#main}\n### Read the log"),
        "lesson/01-first.md: duplicate id: the id 'main' is used 2 times on the page, so '#main' is ambiguous",
    ),
}


@pytest.mark.parametrize("change,message", ERRORS.values(), ids=ERRORS.keys())
def test_error_is_one_line_and_keeps_the_last_good_site(
    course: Course, capsys: pytest.CaptureFixture[str], change: Callable[[Course], None], message: str
) -> None:
    assert course.main() == 0
    capsys.readouterr()
    change(course)
    fails_with(course, capsys, message)


def test_template_syntax_error_names_the_template_line(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    templates = course.own_templates()
    assert course.main() == 0
    capsys.readouterr()
    lesson = templates / "lesson.html"
    lesson.write_text(lesson.read_text().replace("{% endblock %}", "{% endblok %}", 1))
    line = next(i for i, text in enumerate(lesson.read_text().splitlines(), start=1) if "endblok" in text)
    fails_with(
        course,
        capsys,
        f"templates/lesson.html:{line}: template error: Encountered unknown tag 'endblok'. "
        "Jinja was looking for the following tags: 'endblock'. "
        "The innermost block that needs to be closed is 'block'.",
    )


def test_template_runtime_error_names_the_template_line_and_the_page(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    templates = course.own_templates()
    assert course.main() == 0
    capsys.readouterr()
    lesson = templates / "lesson.html"
    lines = lesson.read_text().splitlines()
    number = next(i for i, text in enumerate(lines) if "<h1>" in text)
    lines[number] = "  <h1>{{ page.subtitle }}</h1>"
    lesson.write_text("\n".join(lines) + "\n")
    fails_with(
        course,
        capsys,
        f"templates/lesson.html:{number + 1}: template error: 'lessonbuild.pages.Page object' has no attribute 'subtitle' "
        "(while building lesson/01-first.md)",
    )


def test_a_failure_while_writing_keeps_the_last_good_site(
    course: Course, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert course.main() == 0
    before = snapshot(course.site)

    def disk_full(source: Path, dest: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyodide, "install", disk_full)
    course.edit(FIRST, "The log is above.", "The log is below.")
    with pytest.raises(OSError):
        course.build()
    assert snapshot(course.site) == before
    assert not list((course.site.parent / ".build").glob("site-*"))


def test_a_successful_build_replaces_the_site_and_leaves_nothing_behind(course: Course) -> None:
    course.build()
    (course.site / "stale.html").write_text("from an older build")
    course.build()
    assert not (course.site / "stale.html").exists()
    assert [p.name for p in (course.site.parent / ".build").iterdir()] == []


def test_strict_fails_on_a_warning(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.edit(FIRST, "summary: Run a `flow`.\n", "")
    assert course.main() == 0
    assert "warning: lesson/01-first.md:2: no 'summary:' in the front matter; the course index shows none\n" in capsys.readouterr().err
    assert course.main("--strict") == 1
    assert capsys.readouterr().err == (
        "warning: lesson/01-first.md:2: no 'summary:' in the front matter; the course index shows none\n"
        "error: 1 warning(s), and --strict makes warnings fail\n"
    )


def test_cdn_url_must_be_https_and_name_the_version(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    assert course.main("--pyodide-cdn", "http://cdn.example/pyodide/{version}/") == 1
    assert capsys.readouterr().err == (
        "error: --pyodide-cdn: 'http://cdn.example/pyodide/"
        f"{pyodide.version(course.project.pyodide_dir)}/' must be an https:// URL of a folder, ending in '/'\n"
    )
    assert course.main("--pyodide-cdn", "https://cdn.example/pyodide/latest/") == 1
    found = pyodide.version(course.project.pyodide_dir)
    assert capsys.readouterr().err == (
        f"error: --pyodide-cdn: 'https://cdn.example/pyodide/latest/' does not name Pyodide {found}, "
        "the version in node_modules; write {version} in it\n"
    )


def test_a_failure_during_the_swap_puts_the_last_good_site_back(course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonbuild.recipe import Site, write_site

    course.build()
    before = snapshot(course.site)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith("site-"):  # staging -> _site
            raise OSError(5, "Input/output error")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        write_site(course.project, Site(pages=[], files={"index.html": b"new"}))
    monkeypatch.undo()
    assert snapshot(course.site) == before
    assert [p.name for p in (course.site.parent / ".build").iterdir()] == []
