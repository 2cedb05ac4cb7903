"""The fixture course used by the build tests: a small course in a temporary folder.

The build tests never read the real lessons (other people are writing them):
each test gets two tiny lessons, a sim_prefect demo with its expected log, and
an exercise, under ``tmp_path``, with the project's real templates, web code
and sim_prefect. The JavaScript bundles are made once per session (esbuild
takes a moment) through a shared BuildCache.

`stub_render` stands in for the build's block renderer where a test parses
Markdown without a course: it shows what the directive plugin hands over.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from lessonbuild.cache import BuildCache
from lessonbuild.directives import Directive
from lessonbuild.cli import main
from lessonbuild.project import ROOT, Project
from lessonbuild.recipe import Builder, Options, Site

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
def check(attempt):
    assert "answer: 42" in attempt.output, "Print the answer, 42."
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

    def builder(self, **options: object) -> Builder:
        return Builder(self.project, Options(**options), self.cache)  # type: ignore[arg-type]

    def build(self, **options: object) -> Site:
        return self.builder(**options).build()

    def main(self, *argv: str) -> int:
        return main(list(argv), project=self.project, cache=self.cache)

    def own_templates(self) -> Path:
        """Give the course its own copy of the templates, to break them."""
        folder = self.base / "templates"
        shutil.copytree(ROOT / "templates", folder)
        self.project = Project.at(self.base, web_dir=ROOT / "web")
        return folder


def stub_render(directive: Directive, env: dict[str, Any]) -> str:
    """A directive as a ``<directive .../>`` line: its name, file, line and options."""
    options = "".join(f' {key}="{escape("|".join(values))}"' for key, values in sorted(directive.options.items()))
    return f'<directive name="{directive.name}" file="{directive.argument}" line="{directive.line}"{options}/>\n'
