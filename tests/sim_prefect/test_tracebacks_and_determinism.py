"""Tracebacks show the learner's frames only; deterministic runs print the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sim_prefect.tracebacks import format_exception

REPO = Path(__file__).resolve().parents[2]


def _raise_through_a_helper() -> None:
    def inner() -> None:
        raise KeyError("deep")

    inner()


def test_format_exception_keeps_user_frames_and_drops_carets() -> None:
    try:
        _raise_through_a_helper()
    except KeyError as exc:
        text = format_exception(exc)
    lines = text.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert [line.strip().split(", in ")[-1] for line in lines if line.startswith("  File")] == [
        "test_format_exception_keeps_user_frames_and_drops_carets",
        "_raise_through_a_helper",
        "inner",
    ]
    assert lines[-1] == "KeyError: 'deep'" and not any(set(line.strip()) <= {"^", "~"} for line in lines)


def test_format_exception_shows_the_chain_and_hides_given_folders() -> None:
    try:
        try:
            1 / 0
        except ZeroDivisionError as first:
            raise ValueError("second") from first
    except ValueError as exc:
        text = format_exception(exc, hidden=[str(Path(__file__).parent)])
    assert "ZeroDivisionError: division by zero" in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert 'File "' not in text  # every frame was in the hidden folder
    assert text.count("Traceback (most recent call last):") == 2  # headers stay, as Python prints them


PIPELINE = textwrap.dedent(
    """
    import sim_prefect
    from sim_prefect import flow, task

    calls = {"n": 0}

    @task(retries=2, retry_delay_seconds=10, retry_jitter_factor=0.5, log_prints=True)
    def fetch(url):
        calls["n"] += 1
        print("fetching", url)
        if calls["n"] == 1:
            raise ConnectionError("down")
        return [1, 2, 3]

    @task
    def square(x):
        return x * x

    @flow(log_prints=True)
    def pipeline(url="https://example.test"):
        values = fetch(url)
        futures = square.map(values)
        return sum(f.result() for f in futures)

    print(pipeline())
    sim_prefect.print_state_log()
    """
)


def _run_deterministic() -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIM_PREFECT", "PREFECT_", "FORCE_COLOR"))}
    env.update(SIM_PREFECT_MODE="deterministic", PYTHONPATH=str(REPO), PYTHONHASHSEED="random")
    proc = subprocess.run(
        [sys.executable, "-c", PIPELINE], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True
    )
    return proc.stdout


def test_deterministic_mode_is_byte_identical_across_two_runs() -> None:
    first, second = _run_deterministic(), _run_deterministic()
    assert first == second
    text = first.decode()
    assert "09:00:00." in text and "will start" in text and "14" in text


def test_a_runaway_recursion_is_folded_as_python_folds_it() -> None:
    """A RecursionError shows the repeated frame three times, then one count line, as CPython does."""
    import traceback

    from sim_prefect.tracebacks import format_exception

    def dive(n: int) -> int:
        return dive(n + 1)

    try:
        dive(0)
    except RecursionError as exc:
        ours = format_exception(exc)
        pythons = "".join(traceback.format_exception(exc))
    repeated = [line for line in ours.splitlines() if "Previous line repeated" in line]
    assert repeated and repeated == [line for line in pythons.splitlines() if "Previous line repeated" in line]
    assert ours.count("in dive") == 3
    assert len(ours) < 2_000
