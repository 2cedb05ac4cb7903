"""A small fixture course in a temporary folder, built by the real build.

The build tests never read the real lessons (other people are writing them):
each test gets two tiny lessons, a sim_prefect demo with its expected log, and
an exercise, under ``tmp_path``, with the project's real templates, web code
and sim_prefect. The JavaScript bundles are made once per session (esbuild
takes a moment) through a shared BuildCache.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build  # noqa: E402
from lessonbuild.cache import BuildCache  # noqa: E402
from lessonbuild.demos import Demo, run_in_terminal  # noqa: E402
from lessonbuild.project import ROOT, Project  # noqa: E402

HELLO = '''\
"""Two tasks in a flow."""

from sim_prefect import flow, task


@task
def add(a: int, b: int) -> int:
    return a + b


@flow
def sums() -> int:
    return add(1, 2)


if __name__ == "__main__":
    print("total:", sums())
'''

FIRST = """\
---
title: First steps
order: 1
summary: Run a `flow`.
objectives:
  - Run a flow and read its log
---

## Run it

```{runnable} hello.py
:title: Hello
```

### Read the log

The log is above. Next, [try the exercise](02-second.md#try-it).
"""

SECOND = """\
---
title: Second steps
order: 2
summary: An exercise.
---

## Try it

```{exercise} answer.py
:check: answer.check.py
:solution: answer.solution.py
:hint: Change `41`.
```

Back to [the first lesson](01-first.md#run-it).
"""

CHECK = '''\
def check(runs, output, namespace):
    assert "answer: 42" in output, "Print the answer, 42."
    return "Right."
'''


@dataclass
class Course:
    """The fixture course: write files into it, build it, run the CLI on it."""

    base: Path
    project: Project
    cache: BuildCache

    def write(self, rel: str, text: str) -> Path:
        path = self.base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.base / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} is not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    @property
    def site(self) -> Path:
        return self.project.site_dir

    def builder(self, **options: object) -> build.Builder:
        return build.Builder(self.project, build.Options(**options), self.cache)  # type: ignore[arg-type]

    def build(self, **options: object) -> build.Site:
        return self.builder(**options).build()

    def main(self, *argv: str) -> int:
        return build.main(list(argv), project=self.project, cache=self.cache)

    def own_templates(self) -> Path:
        """Give the course its own copy of the templates, to break them."""
        folder = self.base / "templates"
        shutil.copytree(ROOT / "templates", folder)
        self.project = Project.at(self.base, web_dir=ROOT / "web")
        return folder


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
