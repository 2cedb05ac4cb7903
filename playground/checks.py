"""Exercise checks: judging a Run from its records, in an interpreter the learner's code never touched.

A check file defines ``check(attempt)``. It runs *after* the learner's code,
in a fresh interpreter, and sees only data: an `Attempt` with the runs the
code made, as the records sim_prefect keeps (`RunRecord`, rebuilt from their
JSON form: kinds, names, states, run counts), the output it printed, the
source as the learner wrote it and the starter as the lesson gave it. It
returns the message for a pass, or raises ``AssertionError("what to try
next")``. Nothing the learner's code does (patching builtins, printing the
right text, posting messages) can reach it, and `Attempt.unchanged` lets a
check hold the learner to what the exercise says must stay as it is.

An exercise whose code is a test module (``:runner: pytest``) is judged from
its tests' outcomes as pytest reported them (`Attempt.tests`, pytest_plugin.py),
on the code under test as the lesson gives it, and, in `Attempt.variants`, on
each other version of it the exercise names (``:fixed:``), each run in a fresh
interpreter of its own.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from typing import Any

from sim_prefect.store import Deployment, RunRecord, select_runs

from .pytest_plugin import TestOutcome

@dataclass
class Attempt:
    """One Run of an exercise, as data."""

    runs: list[RunRecord]
    output: str
    source: str
    starter: str = ""
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    tests: list[TestOutcome] = field(default_factory=list)  # a pytest Run's tests, as pytest reported them
    exit_code: int | None = None  # a pytest Run's exit code (0: all passed, 1: some failed, ...)
    variants: dict[str, Attempt] = field(default_factory=dict)  # the same tests on other code under test
    deployments: list[Deployment] = field(default_factory=list)  # the server's deployments afterwards, schedules and all

    def flows(self) -> list[RunRecord]:
        return select_runs(self.runs, "flow")

    def tasks(self, owner: str | None = None) -> list[RunRecord]:
        return select_runs(self.runs, "task", owner)

    def unchanged(self, name: str) -> bool:
        """Is the top-level function or class `name` as the starter has it (comments and spacing aside)?"""
        return _definition(self.source, name) == _definition(self.starter, name)

    def decorator_options(self, function: str) -> dict[str, Any] | None:
        """The literal keyword options of `function`'s first call-style decorator (``@task(retries=2)``)."""
        node = _find(self.source, function)
        if node is None:
            return None
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call):
                options: dict[str, Any] = {}
                for keyword in decorator.keywords:
                    try:
                        options[str(keyword.arg)] = ast.literal_eval(keyword.value)
                    except ValueError:
                        options[str(keyword.arg)] = ast.unparse(keyword.value)
                return options
        return {}

    @classmethod
    def from_report(cls, report: dict[str, Any], starter: str = "") -> Attempt:
        runs = [RunRecord.from_dict(r) for r in report.get("runs", [])]
        tests = [TestOutcome.from_dict(t) for t in report.get("tests", [])]
        variants = {name: cls.from_report({**other, "source": report.get("source", "")}, starter)
                    for name, other in (report.get("variants") or {}).items()}  # fmt: skip
        deployments = [Deployment(**d) for d in report.get("deployments", [])]
        return cls(runs, report.get("output", ""), report.get("source", ""), starter, report.get("artifacts", []),
                   tests, report.get("exit_code"), variants, deployments)  # fmt: skip


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _find(source: str, name: str) -> ast.AST | None:
    tree = _parse(source)
    if tree is None:
        return None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return node
    return None


def _definition(source: str, name: str) -> str | None:
    node = _find(source, name)
    if node is None:
        return None
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
            node.body = body[1:] or body  # a docstring may change
    return ast.dump(node, include_attributes=False)


@dataclass
class Verdict:
    passed: bool
    message: str


def judge(check_code: str, attempt: Attempt, filename: str = "check.py") -> Verdict:
    """Run the exercise's ``check(attempt)`` over the attempt's records."""
    namespace: dict[str, Any] = {"__name__": "exercise_check"}
    exec(compile(check_code, filename, "exec"), namespace)
    try:
        message = namespace["check"](attempt)
    except AssertionError as exc:
        return Verdict(False, str(exc) or "Not yet: the check did not pass.")
    except Exception as exc:  # a check that trips over unexpected learner code
        return Verdict(False, f"The check could not finish: {type(exc).__name__}: {exc}")
    return Verdict(True, str(message or "Well done: the check passed."))


def judge_json(check_code: str, report_json: str, starter: str) -> str:
    """The worker's entry point: a report in, ``{"passed", "message"}`` out, as JSON."""
    verdict = judge(check_code, Attempt.from_report(json.loads(report_json), starter))
    return json.dumps({"passed": verdict.passed, "message": verdict.message})


__all__ = ["Attempt", "Verdict", "judge", "judge_json"]
