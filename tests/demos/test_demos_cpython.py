"""Every demo prints its expected state log in CPython: in a terminal and through the page's runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonbuild.demos import Demo, diff, find_demos, run_in_terminal
from playground.pytest_runner import run_pytest
from playground.runner import run

ROOT = Path(__file__).resolve().parents[2]
DEMOS = find_demos(ROOT / "demo")


def _expected(demo: Demo) -> str:
    expected = demo.expected()
    assert expected is not None, f"{demo.name} has no expected log; run `make update-expected`"
    return expected


@pytest.mark.parametrize("demo", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_in_terminal_prints_expected_log(demo: Demo) -> None:
    expected = _expected(demo)
    actual = run_in_terminal(demo, ROOT)
    assert actual == expected, diff(expected, actual, demo.name)


@pytest.mark.parametrize("demo", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_through_playground_runner_prints_expected_log(demo: Demo) -> None:
    _assert_runner_prints_expected_log(demo)


PYTEST_DEMOS = [d for d in DEMOS if d.is_test_module and "FAILED" in (d.expected() or "")]


@pytest.mark.parametrize("demo", PYTEST_DEMOS, ids=[d.name for d in PYTEST_DEMOS])
def test_a_pytest_demo_prints_its_log_on_a_ci_machine_too(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest prints a failure's whole message in its summary when CI or BUILD_NUMBER is set (a CI
    # machine); the page is never one, and a test module's log must not depend on the host.
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("BUILD_NUMBER", "7")
    _assert_runner_prints_expected_log(demo)
    expected = _expected(demo)
    actual = run_in_terminal(demo, ROOT)
    assert actual == expected, diff(expected, actual, demo.name)


def _assert_runner_prints_expected_log(demo: Demo) -> None:
    expected = _expected(demo)
    code = demo.path.read_text(encoding="utf-8")
    if demo.is_test_module:  # a test module runs with pytest, beside the demo modules it imports
        files = {name: path.read_text(encoding="utf-8") for name, path in demo.beside().items()}
        result = run_pytest(code, filename=demo.module_name, files=files, mode="deterministic")
    else:
        result = run(code, filename=demo.name, mode="deterministic")
    assert result.output == expected, diff(expected, result.output, demo.name)


def test_there_is_at_least_the_pipeline_demo() -> None:
    assert "pipeline.py" in [d.name for d in DEMOS]
