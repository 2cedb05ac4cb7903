"""An exercise's check must be right: its solution passes, and its starter code does not.

Run by ``--check`` and ``--strict`` (not by every build, so ``--serve`` stays
fast). It calls the same `playground.runner.run_check` the page's worker calls,
in CPython, in sim_prefect's deterministic mode.
"""

from __future__ import annotations

from .pages import Exercise
from .errors import BuildError


def check_exercise(exercise: Exercise) -> None:
    """BuildError at the exercise's line unless the solution passes and the starter fails."""
    from playground.runner import run_check

    check_code = exercise.check.read_text(encoding="utf-8")
    starter_code = exercise.starter.read_text(encoding="utf-8")
    solution = run_check(
        exercise.solution.read_text(encoding="utf-8"), check_code, starter=starter_code, filename=exercise.solution.name
    )
    if not solution.passed:
        raise BuildError(
            exercise.page,
            exercise.line,
            f"the solution 'demo/{exercise.solution.name}' does not pass 'demo/{exercise.check.name}': {_one_line(solution.message)}",
        )
    starter = run_check(starter_code, check_code, starter=starter_code, filename=exercise.starter.name)
    if starter.passed:
        raise BuildError(
            exercise.page,
            exercise.line,
            f"the starter 'demo/{exercise.starter.name}' already passes 'demo/{exercise.check.name}'; "
            "the check must fail until the learner changes the code",
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())
