"""Fixtures for the build tests: a fixture course per test (see fixture_course.py).

The course's helpers live in their own module, `tests.build.fixture_course`, because
test modules cannot reliably import from `conftest`: every test folder has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lessonbuild.cache import BuildCache
from lessonbuild.demos import Demo, run_in_terminal
from lessonbuild.project import ROOT, Project
from tests.build.fixture_course import CHECK, FIRST, HELLO, SECOND, Course


@pytest.fixture(scope="session")
def cache() -> BuildCache:
    return BuildCache()


@pytest.fixture(scope="session")
def recorded_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each fixture demo's output, recorded once, as `--update-expected` would."""
    folder = tmp_path_factory.mktemp("demos")
    sources = {"hello.py": HELLO, "answer.py": 'print("answer:", 41)\n', "answer.solution.py": 'print("answer:", 42)\n'}
    logs = {}
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
        logs[name] = run_in_terminal(Demo(folder / name), ROOT)
    return logs


@pytest.fixture()
def course(tmp_path: Path, cache: BuildCache, recorded_logs: dict[str, str]) -> Iterator[Course]:
    base = tmp_path / "course"
    project = Project.at(base, template_dir=ROOT / "templates", web_dir=ROOT / "web")
    course = Course(base, project, cache)
    course.write("lesson/01-first.md", FIRST)
    course.write("lesson/02-second.md", SECOND)
    course.write("demo/hello.py", HELLO)
    course.write("demo/answer.py", 'print("answer:", 41)\n')
    course.write("demo/answer.solution.py", 'print("answer:", 42)\n')
    course.write("demo/answer.check.py", CHECK)
    for name, log in recorded_logs.items():
        course.write(f"demo/{Demo(Path(name)).expected_path.name}", log)
    yield course
