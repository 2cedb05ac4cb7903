"""sim_prefect's layers hold (import-linter's contract in pyproject.toml), and every module is in one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_layers_contract_holds() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is not installed: `make test` installs the test extra"
    done = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 1 kept, 0 broken." in done.stdout


def test_every_module_of_sim_prefect_has_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    placed = {m.strip() for contract in config["contracts"] for layer in contract["layers"] for m in layer.split(":")}
    # In a fresh Python: grimp finds the package through importlib, which earlier tests' imports in this process
    # (sim_prefect's own `prefect` aliases among them) may have changed.
    script = "import grimp, json; print(json.dumps(sorted(grimp.build_graph('sim_prefect', exclude_type_checking_imports=True).modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stdout))
    packages_only = {"sim_prefect", "sim_prefect.client", "sim_prefect.client.schemas", "sim_prefect.utilities",
                     "sim_prefect.concurrency"}  # fmt: skip
    unplaced = sorted(m for m in modules - packages_only if not any(m == p or m.startswith(p + ".") for p in placed))
    assert not unplaced, f"modules in no layer of pyproject.toml's import-linter contract: {unplaced}"
