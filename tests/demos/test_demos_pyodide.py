"""Every demo prints its expected log in real Pyodide (npm `pyodide`) under Node.js, through the page's worker.

A script runs as a Run (tests/node/run_in_worker.mjs); a test module (``test_*.py``) runs with pytest,
from pytest.zip, beside the demo modules it imports, as a block with ``:runner: pytest`` does on the page
(tests/node/run_tests_in_worker.mjs).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.harness.pyodide import RUN_IN_WORKER, node_command

from lessonbuild import assets
from lessonbuild.demos import diff, find_demos

ROOT = Path(__file__).resolve().parents[2]
DEMOS = find_demos(ROOT / "demo")
RUN_TESTS_IN_WORKER = ROOT / "tests" / "node" / "run_tests_in_worker.mjs"
pytestmark = pytest.mark.node


def _node(script: Path, *args: str) -> dict:
    proc = subprocess.run(node_command(script, *args), cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def pyodide_results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("py")
    zip_path = folder / "python.zip"
    zip_path.write_bytes(assets.python_zip(ROOT))
    results = _node(RUN_IN_WORKER, str(zip_path), *[str(d.path) for d in DEMOS if not d.is_test_module])
    tests = [d for d in DEMOS if d.is_test_module]
    if tests:
        (folder / "pytest.zip").write_bytes(assets.pytest_zip())
        requests = [
            {
                "name": d.name,
                "code": d.path.read_text(encoding="utf-8"),
                "filename": d.module_name,
                "files": {name: path.read_text(encoding="utf-8") for name, path in d.beside().items()},
            }
            for d in tests
        ]
        (folder / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
        results |= _node(RUN_TESTS_IN_WORKER, str(zip_path), str(folder / "pytest.zip"), str(folder / "requests.json"))
    return results


def test_pyodide_is_the_pinned_release_running_python_3_14(pyodide_results: dict) -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    assert pyodide_results["_pyodide"] == pinned
    assert pyodide_results["_python"].startswith("3.14")


@pytest.mark.parametrize("demo", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_in_pyodide_prints_expected_log(demo, pyodide_results: dict) -> None:
    expected = demo.expected()
    assert expected is not None, f"{demo.name} has no expected log"
    actual = pyodide_results[demo.name]["output"]
    assert actual == expected, diff(expected, actual, demo.name)
