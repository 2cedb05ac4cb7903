"""Demos and their expected logs: run them, compare them, update them.

A demo is a plain ``demo/NAME.py`` that also runs in a terminal. Its expected
log, ``demo/NAME.expected.log``, is exactly what ``python NAME.py`` prints
(stdout and stderr merged, in order), run from inside ``demo/`` in sim_prefect's
deterministic mode. Expected logs change only through ``--update-expected``,
which prints the diff for review.

A demo named ``test_*.py`` is a test module: its expected log is what
``pytest`` prints for it (with the options of every pytest Run,
playground/pytest_runner.py), run in a folder of its own beside the demo
modules it imports (`Demo.beside`), as the page runs it. A solution's
``test_x.solution.py`` runs there as ``test_x.py``, the name the learner's file has.
"""

from __future__ import annotations

import ast
import difflib
import os
import shutil
import subprocess
import tempfile
import sys
from dataclasses import dataclass
from pathlib import Path

DEMO_ENV = {"SIM_PREFECT_MODE": "deterministic", "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
TIMEOUT_S = 60


@dataclass
class Demo:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def expected_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".expected.log")

    def expected(self) -> str | None:
        p = self.expected_path
        return p.read_text(encoding="utf-8") if p.exists() else None

    @property
    def is_test_module(self) -> bool:
        """Run with pytest, not as a script: a ``test_*.py`` file."""
        return self.path.name.startswith("test_")

    @property
    def module_name(self) -> str:
        """The file's name where it runs: ``test_x.solution.py`` runs as ``test_x.py``."""
        return self.path.name.split(".")[0] + ".py"

    def beside(self) -> dict[str, Path]:
        """The demo modules this file imports, and those they import: ``{"orders.py": path}``."""
        found: dict[str, Path] = {}
        pending = [self.path]
        while pending:
            for name in _imported_modules(pending.pop().read_text(encoding="utf-8")):
                path = self.path.parent / f"{name}.py"
                if f"{name}.py" not in found and path.is_file() and path != self.path:
                    found[f"{name}.py"] = path
                    pending.append(path)
        return dict(sorted(found.items()))


def _imported_modules(source: str) -> list[str]:
    """The top-level names of the modules `source` imports (``import a.b``, ``from a import b``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name.partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.partition(".")[0])
    return names


def find_demos(demo_dir: Path) -> list[Demo]:
    """Every runnable demo: ``demo/*.py`` except exercise checks."""
    return [Demo(p) for p in sorted(demo_dir.glob("*.py")) if not p.name.endswith(".check.py")]


def terminal_env(project_root: Path) -> dict[str, str]:
    """The environment a demo runs in (the one place it is written): deterministic, with `project_root`'s sim_prefect."""
    env = {**os.environ, **DEMO_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project_root), env.get("PYTHONPATH", "")]))
    for var in ("FORCE_COLOR", "SIM_PREFECT_SEED", "PREFECT_LOGGING_LEVEL"):
        env.pop(var, None)
    return env


def run_in_terminal(demo: Demo, project_root: Path) -> str:
    """What ``python NAME.py`` prints in a terminal, in deterministic mode (``pytest`` for a test module)."""
    if demo.is_test_module:
        return _pytest_in_terminal(demo, project_root)
    proc = subprocess.run(
        [sys.executable, demo.name],
        cwd=demo.path.parent,
        env=terminal_env(project_root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=TIMEOUT_S,
        check=False,
    )
    return proc.stdout.decode("utf-8", errors="replace")


def _pytest_in_terminal(demo: Demo, project_root: Path) -> str:
    """``pytest test_x.py`` in a folder of its own holding the test module and the demo modules it imports."""
    from playground.pytest_runner import TERMINAL_ARGS, pytest_environ

    with tempfile.TemporaryDirectory(prefix="pytest-demo-") as folder:
        for name, path in demo.beside().items():
            shutil.copyfile(path, Path(folder) / name)
        shutil.copyfile(demo.path, Path(folder) / demo.module_name)
        env = {**pytest_environ(terminal_env(project_root)), "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", *TERMINAL_ARGS, demo.module_name],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT_S,
            check=False,
        )
    return proc.stdout.decode("utf-8", errors="replace")


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(True),
            actual.splitlines(True),
            fromfile=f"{name} (expected)",
            tofile=f"{name} (actual)",
        )
    )
