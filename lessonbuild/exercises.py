"""An exercise's check must be right: its solution passes, and its starter code does not.

Run by ``--check`` and ``--strict`` (not by every build, so ``--serve`` stays
fast). It calls the same `playground.runner.run_check` the page's worker calls,
in CPython, in sim_prefect's deterministic mode (`playground.pytest_runner.check_pytest`
for a test module: the learner's file is always named as the starter is).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .pages import Exercise
from .errors import BuildError

if TYPE_CHECKING:
    from playground.runner import CheckResult


def check_exercise(exercise: Exercise) -> None:
    """BuildError at the exercise's line unless the solution passes and the starter fails."""
    starter_code = exercise.starter.read_text(encoding="utf-8")
    solution = run_exercise(exercise, exercise.solution.read_text(encoding="utf-8"), exercise.solution.name)
    if not solution.passed:
        raise BuildError(
            exercise.page,
            exercise.line,
            f"the solution 'demo/{exercise.solution.name}' does not pass 'demo/{exercise.check.name}': {_one_line(solution.message)}",
        )
    starter = run_exercise(exercise, starter_code, exercise.starter.name)
    if starter.passed:
        raise BuildError(
            exercise.page,
            exercise.line,
            f"the starter 'demo/{exercise.starter.name}' already passes 'demo/{exercise.check.name}'; "
            "the check must fail until the learner changes the code",
        )


def run_exercise(exercise: Exercise, code: str, filename: str) -> CheckResult:
    """The exercise's check on `code`, as the page's Check runs it (a test module: with pytest, on the code
    under test as given and as fixed, each in a fresh interpreter)."""
    from playground.pytest_runner import check_pytest
    from playground.runner import run_check

    check_code = exercise.check.read_text(encoding="utf-8")
    starter = exercise.starter.read_text(encoding="utf-8")
    if exercise.runner != "pytest":
        return run_check(code, check_code, starter=starter, filename=filename)
    files = {name: Path(path).read_text(encoding="utf-8") for name, path in exercise.beside.items()}
    fixed = {name: Path(path).read_text(encoding="utf-8") for name, path in exercise.fixed.items()}
    return check_pytest(code, check_code, starter=starter, filename=exercise.starter.name, files=files, variants={"fixed": fixed})


def _one_line(text: str) -> str:
    return " ".join(text.split())
