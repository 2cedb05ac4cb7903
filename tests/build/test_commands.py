"""The commands: --check, --update-expected, exercise checks, --pyodide-cdn and --serve."""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchfiles

from lessonbuild import pyodide
from lessonbuild.headers import meta_policy
from lessonbuild.serve import DevServer, watched
from tests.build.fixture_course import Course

# -- --check and --update-expected ------------------------------------------------------


def test_check_passes_on_a_course_whose_demos_match_their_logs(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    assert course.main("--check") == 0
    out = capsys.readouterr().out
    for line in ("demo/hello.py: ok", "demo/answer.py: ok", "demo/answer.solution.py: ok", "exercises: ok", "links: ok"):
        assert line in out.splitlines()


def test_check_catches_a_drifted_demo_with_a_unified_diff(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.edit("demo/hello.py", "add(1, 2)", "add(2, 2)")
    assert course.main("--check") == 1
    captured = capsys.readouterr()
    assert "demo/hello.py: output differs from hello.expected.log:" in captured.out
    diff = captured.out.split("demo/hello.py: output differs from hello.expected.log:\n", 1)[1]
    assert diff.startswith("--- hello.py (expected)\n+++ hello.py (actual)\n@@ ")
    assert "\n-total: 3\n+total: 4\n" in diff
    assert captured.err == "error: 1 demo(s) differ from their expected logs (diffs above)\n"


def test_check_reports_a_demo_without_an_expected_log(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.write("demo/spare.py", "print('spare')\n")
    assert course.main("--check") == 1
    assert "demo/spare.py: no expected log (spare.expected.log); run `make update-expected`" in capsys.readouterr().out


def test_update_expected_rewrites_the_log_and_prints_what_changed(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.edit("demo/hello.py", "add(1, 2)", "add(2, 2)")
    assert course.main("--update-expected") == 0
    out = capsys.readouterr().out
    assert "\n-total: 3\n+total: 4\n" in out
    assert "updated demo/hello.expected.log\n1 expected log(s) changed." in out
    assert course.read("demo/hello.expected.log").endswith("total: 4\n")
    assert course.main("--update-expected") == 0
    assert capsys.readouterr().out.startswith("0 expected log(s) changed.")
    assert course.main("--check") == 0


# -- exercises --------------------------------------------------------------------------


def test_strict_refuses_an_exercise_whose_solution_fails_its_check(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.write("demo/answer.solution.py", 'print("answer:", 43)\n')
    assert course.main() == 0  # a plain build does not run exercises
    capsys.readouterr()
    assert course.main("--strict") == 1
    assert capsys.readouterr().err == (
        "error: lesson/02-second.md:9: the solution 'demo/answer.solution.py' does not pass "
        "'demo/answer.check.py': Print the answer, 42.\n"
    )


def test_check_refuses_an_exercise_whose_starter_already_passes(course: Course, capsys: pytest.CaptureFixture[str]) -> None:
    course.write("demo/answer.py", 'print("answer:", 42)\n')
    course.write("demo/answer.expected.log", "answer: 42\n")
    assert course.main("--check") == 1
    assert capsys.readouterr().err == (
        "error: lesson/02-second.md:9: the starter 'demo/answer.py' already passes 'demo/answer.check.py'; "
        "the check must fail until the learner changes the code\n"
    )


# -- Pyodide from a CDN -----------------------------------------------------------------


def sri_of(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_cdn_build_pins_each_pyodide_file_by_its_sri_hash(course: Course) -> None:
    site = course.build(pyodide_cdn=pyodide.DEFAULT_CDN)
    version = pyodide.version(course.project.pyodide_dir)
    assert site.pyodide is not None
    assert site.pyodide.url == f"https://cdn.jsdelivr.net/npm/pyodide@{version}/"
    assert site.pyodide.integrity == {
        name: sri_of((course.project.pyodide_dir / name).read_bytes()) for name in pyodide.FILES
    }
    assert not (course.site / "pyodide").exists()
    page = course.read("_site/01-first.html")
    assert f'data-pyodide="https://cdn.jsdelivr.net/npm/pyodide@{version}/"' in page
    assert "script-src 'self' 'wasm-unsafe-eval' https://cdn.jsdelivr.net;" in course.read("_site/_headers")
    assert "connect-src 'self' https://cdn.jsdelivr.net;" in course.read("_site/_headers")


def test_cdn_page_carries_the_integrity_hashes_and_a_csp_allowing_that_origin(course: Course) -> None:
    site = course.build(pyodide_cdn=pyodide.DEFAULT_CDN)
    assert site.pyodide is not None
    page = course.read("_site/01-first.html")
    found = re.search(r'<script type="application/json" id="pyodide-integrity">(.*?)</script>', page)
    assert found is not None and json.loads(found.group(1)) == site.pyodide.integrity
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert csp == meta_policy("https://cdn.jsdelivr.net")
    assert "script-src 'self' 'wasm-unsafe-eval' https://cdn.jsdelivr.net;" in csp  # the workers inherit it


def test_self_hosted_page_names_no_other_origin(course: Course) -> None:
    course.build()
    page = course.read("_site/01-first.html")
    assert "cdn.jsdelivr.net" not in page and 'data-pyodide="pyodide/"' in page


# -- --serve ----------------------------------------------------------------------------


class Events:
    """The /__reload stream, read line by line."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=10)
        self.conn.request("GET", "/__reload")
        self.response = self.conn.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        assert self.next() == [": connected"]

    def next(self) -> list[str]:
        lines = []
        while (line := self.response.fp.readline().decode().rstrip("\n")) != "":
            lines.append(line)
        return lines

    def close(self) -> None:
        self.conn.close()


def get(url: str, path: str) -> tuple[int, dict[str, str], str]:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, dict(response.getheaders()), body


@pytest.fixture()
def served(course: Course) -> Iterator[tuple[DevServer, Events]]:
    """The course built and served as ``--serve`` does, and its /__reload stream."""
    builder = course.builder()
    builder.build()
    server = DevServer(course.site, builder.build, course.project.watched(), port=0, log=lambda line: None).start()
    events = Events(server.url)
    yield server, events
    events.close()
    server.close()


def test_serve_rebuilds_on_save_and_tells_the_page_to_reload(course: Course, served: tuple[DevServer, Events]) -> None:
    server, events = served
    saved = time.perf_counter()
    course.edit("lesson/01-first.md", "The log is above.", "The log is right above.")
    assert events.next() == ["data: reload"]
    assert time.perf_counter() - saved < 5
    status, headers, body = get(server.url, "/01-first.html")
    assert status == 200 and "The log is right above." in body
    assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
    assert headers["Server-Timing"] == 'livereload;desc="/__reload"'


def test_serve_reports_a_broken_save_and_keeps_serving_the_last_good_site(course: Course, served: tuple[DevServer, Events]) -> None:
    server, events = served
    course.edit("lesson/01-first.md", ":title: Hello", ":titel: Hello")
    assert events.next() == [
        "event: build-error",
        "data: lesson/01-first.md:12: unknown option ':titel:' for '{runnable}' (did you mean 'title'?)",
    ]
    status, _, body = get(server.url, "/01-first.html")
    assert status == 200 and "Hello" in body


def test_serve_watches_lessons_but_not_editors_scratch_files(tmp_path: Path) -> None:
    kept = [name for name in ("01-x.md", "img/a.svg", ".01-x.md.swp", "01-x.md~", "4913", "sedAbC123", ".#01-x.md", "x.tmp", "__pycache__/m.pyc")
            if watched(watchfiles.Change.modified, str(tmp_path / name))]  # fmt: skip
    assert kept == ["01-x.md", "img/a.svg"]