"""Our own Python type-checks under mypy --strict: the shim, the runner and the build (every module of each package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["-p", "sim_prefect", "-p", "playground", "-p", "lessonbuild"]


def test_mypy_strict_finds_no_issues() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", *CHECKED],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
