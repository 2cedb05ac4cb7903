"""Demos and their expected logs: run them, compare them, update them.

A demo is a plain ``demo/NAME.py`` that also runs in a terminal. Its expected
log, ``demo/NAME.expected.log``, is exactly what ``python NAME.py`` prints
(stdout and stderr merged, in order), run from inside ``demo/`` in sim_prefect's
deterministic mode. Expected logs change only through ``--update-expected``,
which prints the diff for review.
"""

from __future__ import annotations

import difflib
import os
import subprocess
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
    """What ``python NAME.py`` prints in a terminal, in deterministic mode."""
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


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(True),
            actual.splitlines(True),
            fromfile=f"{name} (expected)",
            tofile=f"{name} (actual)",
        )
    )
