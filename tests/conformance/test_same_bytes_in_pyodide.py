"""Every conformance scenario and demo prints the same bytes in CPython and in Pyodide (deterministic mode).

Both run the scripts through the page's runner (playground.runner), in CPython
directly and in Pyodide through the page's own worker (web/worker.js, run in
Node by tests/node/run_in_worker.mjs), in sim_prefect's deterministic mode: a virtual clock and seeded
names, so two runs print the same thing. What is masked is not sim_prefect's
(`tests.harness.normalize.mask_interpreters`): object addresses (``0x...``), which
differ from one run to the next anywhere; Python 3.14's "Did you mean ...?" after a
mistyped keyword; and, in the tracebacks a script prints itself, where the package
is installed and the carets, which differ between Python versions.
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.pyodide import RUN_IN_WORKER, node_command

from lessonbuild import assets
from tests.harness.normalize import mask_interpreters

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "tests" / "conformance" / "scenarios").glob("*.py")) + sorted(
    p for p in (ROOT / "demo").glob("*.py") if not p.name.endswith(".check.py")
)
pytestmark = pytest.mark.node


def _run(command: list[str]) -> dict:
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def in_pyodide(tmp_path_factory: pytest.TempPathFactory) -> dict:
    zip_path = tmp_path_factory.mktemp("py") / "python.zip"
    zip_path.write_bytes(assets.python_zip(ROOT))
    return _run(node_command(RUN_IN_WORKER, str(zip_path), *map(str, SCRIPTS)))


@pytest.fixture(scope="module")
def in_cpython() -> dict:
    return _run([sys.executable, "-m", "tests.harness.page_runner", *map(str, SCRIPTS)])


@pytest.mark.parametrize("script", SCRIPTS, ids=[f"{p.parent.name}/{p.name}" for p in SCRIPTS])
def test_the_same_bytes_in_cpython_and_pyodide(script: Path, in_cpython: dict, in_pyodide: dict) -> None:
    here, there = in_cpython[script.name]["output"], in_pyodide[script.name]["output"]
    assert mask_interpreters(there) == mask_interpreters(here), "\n".join(
        difflib.unified_diff(mask_interpreters(here).splitlines(), mask_interpreters(there).splitlines(), "CPython", "Pyodide", lineterm="")
    )


def test_a_worker_started_from_the_snapshot_prints_what_the_first_worker_printed(in_pyodide: dict) -> None:
    """The page's later workers start from the first one's memory snapshot: same output."""
    assert mask_interpreters(in_pyodide["_restored"]["output"]) == mask_interpreters(in_pyodide[SCRIPTS[0].name]["output"])
    assert in_pyodide["_restored"]["ok"] == in_pyodide[SCRIPTS[0].name]["ok"]
