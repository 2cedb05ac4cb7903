"""Every demo prints its expected state log in real Pyodide (npm `pyodide`) under Node.js, through the page's worker."""

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
pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def pyodide_results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    zip_path = tmp_path_factory.mktemp("py") / "python.zip"
    zip_path.write_bytes(assets.python_zip(ROOT))
    proc = subprocess.run(
        node_command(RUN_IN_WORKER, str(zip_path), *[str(d.path) for d in DEMOS]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


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
