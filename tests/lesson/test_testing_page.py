"""Page 7, "Testing flows": its real-Prefect test module runs with pytest on both legs, and says what the page's tests say.

- `demo/real/test_orders.py` (the page's {prefect-code}) runs with pytest against
  real Prefect 3.9.1: one process, one `prefect_test_harness` start (a
  temporary server, about 15 s here), every test passing. The same module
  runs on sim_prefect too (`install_as_prefect()`), with the same outcomes: the
  page's rules (the harness's fresh server, `.fn()` under `disable_run_logger`,
  a failed flow's state from `return_state=True`, retries without waiting
  through `with_options(retry_delay_seconds=0)`) hold on both.
- Its tests are the page's own runnable test modules' tests, word for word,
  and `demo/real/orders.py` is `demo/orders.py` with Prefect's imports.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.real_prefect import clean_env, prefect_env, skip_reason
from tests.lesson.lesson_helpers import DEMO_DIR, as_real_prefect

REAL_DIR = DEMO_DIR / "real"
PAGE_MODULES = ("test_orders.py", "test_load_orders.py")
TESTS = 5


def _functions(path: Path) -> dict[str, str]:
    """The module's top-level functions (tests, fixtures, helpers), as source without comments or docstrings."""
    found: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = ast.dump(node, include_attributes=False)
    return found


def test_the_real_module_holds_the_pages_tests_word_for_word() -> None:
    real = _functions(REAL_DIR / "test_orders.py")
    shown = {name: dump for module in PAGE_MODULES for name, dump in _functions(DEMO_DIR / module).items()}
    assert real == shown
    assert len([name for name in real if name.startswith("test_")]) == TESTS


def test_the_real_code_under_test_is_the_demos_with_prefects_imports() -> None:
    demo = (DEMO_DIR / "orders.py").read_text(encoding="utf-8")
    assert (REAL_DIR / "orders.py").read_text(encoding="utf-8") == as_real_prefect(demo)


def _pytest(folder: Path, env: dict[str, str], prelude: str) -> subprocess.CompletedProcess[str]:
    for name in ("orders.py", "test_orders.py"):
        shutil.copy(REAL_DIR / name, folder / name)
    code = f"import sys\n{prelude}\nimport pytest\nsys.exit(pytest.main(['-rA', '-p', 'no:cacheprovider', 'test_orders.py']))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _outcomes(output: str) -> list[str]:
    return sorted(re.findall(r"^(PASSED|FAILED|ERROR) test_orders\.py::(\w+)", output, re.M))  # type: ignore[arg-type]


@pytest.mark.real
def test_the_real_module_passes_on_real_prefect(tmp_path: Path) -> None:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "home"
    home.mkdir()
    done = _pytest(tmp_path, prefect_env(home), "")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{TESTS} passed" in done.stdout
    assert [outcome for outcome, _ in _outcomes(done.stdout)] == ["PASSED"] * TESTS


@pytest.mark.fake
def test_the_real_module_passes_on_sim_prefect(tmp_path: Path) -> None:
    env = {**clean_env(), "SIM_PREFECT_MODE": "fast"}
    done = _pytest(tmp_path, env, "import sim_prefect\nsim_prefect.install_as_prefect()")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{TESTS} passed" in done.stdout
    names = sorted(name for module in PAGE_MODULES for name in _functions(DEMO_DIR / module) if name.startswith("test_"))
    assert _outcomes(done.stdout) == [("PASSED", name) for name in names]
