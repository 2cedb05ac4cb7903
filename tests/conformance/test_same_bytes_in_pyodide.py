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
from tests.conformance.test_conformance import SCENARIOS
from tests.harness.normalize import mask_interpreters

ROOT = Path(__file__).resolve().parents[2]
# Not here: a serving scenario serves until its driver stops it (tests/harness/serving.py, in
# test_conformance), and a test module runs with pytest (tests/demos/test_demos_pyodide.py holds both
# interpreters to its expected log).
SERVING = {s.path for s in SCENARIOS if dict(s.env).get("CONFORMANCE_DEPLOYMENTS")}
SCRIPTS = [p for p in sorted((ROOT / "tests" / "conformance" / "scenarios").glob("*.py")) if p not in SERVING] + sorted(
    p for p in (ROOT / "demo").glob("*.py") if not p.name.endswith(".check.py") and not p.name.startswith("test_")
)
pytestmark = pytest.mark.node
SCRIPTS_PER_WORKER = 25
# Scripts that need what the page's Python does not have, and fail there loudly, naming it (PORT.yaml):
# the line Pyodide prints instead of the rest, which CPython goes on past.
LOUD_IN_PYODIDE = {
    "blocks.py": "ModuleNotFoundError: No module named 'pydantic'",  # pydantic's download is not in the page
    "schedules.py": "NotImitatedError: schedules in a time zone other than UTC",  # no time zone database
}


def _run(command: list[str]) -> dict:
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def in_pyodide(tmp_path_factory: pytest.TempPathFactory) -> dict:
    zip_path = tmp_path_factory.mktemp("py") / "python.zip"
    zip_path.write_bytes(assets.python_zip(ROOT))
    # A few scripts per worker, in several Node processes: the page gives each Run a fresh worker, and one
    # worker that ran seventy scripts once died of a WebAssembly memory fault in CI (a fresh clone, a busy machine).
    results: dict = {}
    for start in range(0, len(SCRIPTS), SCRIPTS_PER_WORKER):
        chunk = SCRIPTS[start : start + SCRIPTS_PER_WORKER]
        found = _run(node_command(RUN_IN_WORKER, str(zip_path), *map(str, chunk)))
        results |= {k: v for k, v in found.items() if k != "_restored" or start == 0}
    return results


@pytest.fixture(scope="module")
def in_cpython() -> dict:
    return _run([sys.executable, "-m", "tests.harness.page_runner", *map(str, SCRIPTS)])


@pytest.mark.parametrize("script", SCRIPTS, ids=[f"{p.parent.name}/{p.name}" for p in SCRIPTS])
def test_the_same_bytes_in_cpython_and_pyodide(script: Path, in_cpython: dict, in_pyodide: dict) -> None:
    here, there = in_cpython[script.name]["output"], in_pyodide[script.name]["output"]
    if script.name in LOUD_IN_PYODIDE:
        loud = LOUD_IN_PYODIDE[script.name]
        assert loud in there and loud not in here, there
        there_lines = there.split("Traceback (most recent call last):")[0]
        assert here.startswith(there_lines), there_lines  # the same, up to where it fails
        return
    assert mask_interpreters(there) == mask_interpreters(here), "\n".join(
        difflib.unified_diff(mask_interpreters(here).splitlines(), mask_interpreters(there).splitlines(), "CPython", "Pyodide", lineterm="")
    )


def test_a_worker_started_from_the_snapshot_prints_what_the_first_worker_printed(in_pyodide: dict) -> None:
    """The page's later workers start from the first one's memory snapshot: same output."""
    assert mask_interpreters(in_pyodide["_restored"]["output"]) == mask_interpreters(in_pyodide[SCRIPTS[0].name]["output"])
    assert in_pyodide["_restored"]["ok"] == in_pyodide[SCRIPTS[0].name]["ok"]
