"""What each directive becomes on the page: the build's `render` callback for `directives_plugin`.

- ``{runnable} FILE``: the editor mount, the Run/Stop/Reset controls and the
  expected output, pre-rendered as HTML from ``FILE``'s expected log, so the
  page shows the result before Python is ready and with JavaScript off
  (``templates/partials/runnable.html``). ``:expected: OTHER.log`` names another
  log in ``demo/`` than ``FILE``'s own ``NAME.expected.log``.
- ``{exercise} FILE``: the same, with the starter code ``FILE``, the hidden
  ``:check:`` file, the hints, and a ``:solution:`` that never reaches the page
  but must pass the check (`exercises.py`).
- ``:runner: pytest`` (on either): ``FILE`` is a test module (``test_*.py``),
  and a Run runs pytest on it, beside the demo modules it imports, which the
  page gets as hidden text (playground/pytest_runner.py). An exercise's
  ``:fixed: NAME.fixed.py`` is NAME.py with its bug fixed: the check runs the
  learner's tests on both.
- ``{prefect-code} FILE`` (real Prefect code, shown, not run) and ``{file} FILE``:
  highlighted code (``templates/partials/code_file.html``).

Every file named is read from ``demo/``, and recorded (with its hash) in the
page's ``env``, so the build can tell which demos no lesson uses, which
exercises to check, and whether a cached page is still good.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .cache import BuildCache
from .demos import Demo
from .directives import RUNNERS, Directive
from .errors import BuildError
from .highlight import highlight_code
from .output import cached_output
from .pages import Exercise
from .project import Project
from .templates import Templates


class BlockRenderer:
    """Renders directives for one build; reads files only through `read`, which records them."""

    def __init__(self, project: Project, templates: Templates, inline: Any, cache: BuildCache) -> None:
        self.project = project
        self.templates = templates
        self.inline = inline  # Markdown inline text -> HTML, for titles and hints
        self.cache = cache

    def read(self, name: str, env: dict[str, Any], line: int, kind: str = "demo file") -> tuple[Path, str]:
        demo_dir = self.project.demo_dir.resolve()
        path = (demo_dir / name).resolve()
        if demo_dir not in path.parents or not path.is_file():
            raise BuildError(env["path"], line, f"{kind} 'demo/{name}' not found")
        return path, self._record(path, env)

    @staticmethod
    def _record(path: Path, env: dict[str, Any]) -> str:
        """Read a file and note its hash: the page's cache entry is good only while the file is unchanged."""
        data = path.read_bytes()
        env.setdefault("files", {})[path] = hashlib.sha256(data).hexdigest()
        return data.decode("utf-8")

    def __call__(self, directive: Directive, env: dict[str, Any]) -> str:
        path, code = self.read(directive.argument, env, directive.line)
        title = Markup(self.inline(directive.option("title") or ""))
        if directive.name in ("prefect-code", "file"):
            return self.templates.render(
                "partials/code_file.html",
                env["path"],
                name=directive.argument,
                title=title,
                kind=directive.name,
                code_html=Markup(highlight_code(code, directive.option("lang") or "", path.name, self.cache)),
            )

        snippet_id = f"{env['page_stem']}--{Path(directive.argument).stem}"
        seen: dict[str, int] = env.setdefault("snippets", {})
        if snippet_id in seen:
            raise BuildError(
                env["path"], directive.line, f"'{directive.argument}' is already runnable on this page (line {seen[snippet_id]}); show it once"
            )
        seen[snippet_id] = directive.line
        context: dict[str, Any] = {
            "id": snippet_id,
            "kind": directive.name,
            "file": directive.argument,
            "title": title,
            "code": code,
            "code_html": Markup(highlight_code(code, "python", cache=self.cache)),
            "original_hash": hashlib.sha256(code.encode()).hexdigest()[:16],
            "expected_html": self.expected_html(directive, path, env),
            "check_code": None,
            "hints": [Markup(self.inline(hint)) for hint in directive.options.get("hint", [])],
            "runner": self.runner(directive, env),
            "beside": {},
            "fixed": {},
        }
        beside: dict[str, Path] = {}
        if context["runner"] == "pytest":
            for name, other in Demo(path).beside().items():
                beside[name], context["beside"][name] = self.read(other.name, env, directive.line, "module")
        fixed: dict[str, Path] = {}
        for name in directive.options.get("fixed", []):
            target = name.split(".")[0] + ".py"
            if context["runner"] != "pytest" or not name.endswith(".fixed.py") or target not in beside:
                raise BuildError(
                    env["path"], directive.line, f"':fixed: {name}' must name NAME.fixed.py for a module NAME.py that "
                    f"the test module imports (here: {', '.join(beside) or 'none'}), with ':runner: pytest'"
                )  # fmt: skip
            fixed[target], context["fixed"][target] = self.read(name, env, directive.line, "fixed module")
        if directive.name == "exercise":
            check_path, context["check_code"] = self.read(directive.option("check") or "", env, directive.line, "check file")
            solution_path, _ = self.read(directive.option("solution") or "", env, directive.line, "solution file")
            env.setdefault("exercises", []).append(
                Exercise(env["path"], directive.line, path, check_path, solution_path, context["runner"],
                         {n: str(p) for n, p in beside.items()}, {n: str(p) for n, p in fixed.items()})  # fmt: skip
            )
        return self.templates.render("partials/runnable.html", env["path"], **context)

    def runner(self, directive: Directive, env: dict[str, Any]) -> str:
        """``:runner:``: python (the default) runs the file as a script, pytest as a test module (test_*.py)."""
        runner = directive.option("runner") or "python"
        if runner not in RUNNERS:
            raise BuildError(env["path"], directive.line, f"':runner: {runner}' is not one of: {', '.join(RUNNERS)}")
        if (runner == "pytest") != Path(directive.argument).name.startswith("test_"):
            raise BuildError(
                env["path"], directive.line,
                f"'{directive.argument}': a test module (test_*.py) runs with ':runner: pytest', and only a test module does",
            )  # fmt: skip
        return runner

    def expected_html(self, directive: Directive, path: Path, env: dict[str, Any]) -> Markup:
        name = directive.option("expected")
        if name is None:
            log_path = Demo(path).expected_path
            if not log_path.is_file():
                raise BuildError(
                    env["path"],
                    directive.line,
                    f"'demo/{directive.argument}' has no expected log; run `make update-expected` and review it",
                )
            return cached_output(self._record(log_path, env), self.project.code, self.cache)
        _, text = self.read(name, env, directive.line, "expected log")
        return cached_output(text, self.project.code, self.cache)
