"""The lab's Makefile: `make -C demo/lab` prints exactly demo/lab/make.expected.log.

The Makefile writes into build/, so it runs on a fresh copy of demo/lab in a
temporary folder. make adds "Entering directory" and "Leaving directory" lines
naming the folder because of -C; they differ from one computer to the next, so
they are left out of the expected log (page 3 says so) and out of the
comparison.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.lesson.lesson_helpers import DEMO_DIR

LAB = DEMO_DIR / "lab"
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


def _make(lab: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON", "MIN_AMOUNT")}
    env["LC_ALL"] = "C"
    proc = subprocess.run(
        [MAKE, "-C", str(lab), *args],  # type: ignore[list-item]
        cwd=lab.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
    return proc.stdout


def _without_directory_lines(text: str) -> str:
    return re.sub(r"^make(\[\d+\])?: (Entering|Leaving) directory .*\n", "", text, flags=re.M)


@pytest.fixture()
def lab(tmp_path: Path) -> Path:
    copy = tmp_path / "lab"
    shutil.copytree(LAB, copy, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return copy


def test_make_prints_the_expected_log(lab: Path) -> None:
    out = _make(lab)
    assert re.search(r"^make: Entering directory '.*lab'$", out, re.M), "make -C announces the folder"
    expected = (LAB / "make.expected.log").read_text(encoding="utf-8")
    assert _without_directory_lines(out) == expected
    assert (lab / "build" / "report.txt").read_text(encoding="utf-8") in expected


def test_a_second_make_has_nothing_to_do(lab: Path) -> None:
    _make(lab)
    assert _without_directory_lines(_make(lab)) == "make: Nothing to be done for 'all'.\n"


def test_touching_a_step_reruns_only_that_step_and_the_ones_after_it(lab: Path) -> None:
    _make(lab)
    later = (lab / "build" / "totals.csv").stat().st_mtime + 5
    os.utime(lab / "steps" / "transform.py", (later, later))
    out = _without_directory_lines(_make(lab))
    ran = re.findall(r"^python3 steps/(\w+)\.py", out, re.M)
    assert ran == ["transform", "report"], out


def test_min_amount_is_a_make_variable(lab: Path) -> None:
    out = _make(lab, "-B", "MIN_AMOUNT=25")
    assert "validate: rejected order 7: amount 19.50 is below 25" in out
    assert "validate: 5 of 8 orders are valid -> build/valid.csv" in out


def test_the_lab_page_shows_the_commands_that_were_tested() -> None:
    page = (Path(__file__).resolve().parents[2] / "lesson" / "03-lab-dag-pipeline.md").read_text(encoding="utf-8")
    for command in ("make -C demo/lab", "make -C demo/lab -j 2", "make -C demo/lab -B MIN_AMOUNT=25", "make -C demo/lab clean"):
        assert command in page, command
    assert "make: Nothing to be done for 'all'." in page
