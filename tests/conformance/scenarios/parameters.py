"""Flow parameters checked against the annotations, after Prefect's how-to guide "Pass inputs".

Checks: values converted to the annotation (a string to an int, a date, a bool,
an Enum, a list of ints, a dict, Optional); a value that does not fit (the
error lines, the run's final state, the ParameterTypeError raised); several
errors at once; validate_parameters=False; a binding error; task parameters
are not converted.
"""

import datetime
import enum
import sys
from typing import Literal, Optional

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@flow
def typed(n: int, day: datetime.date, flag: bool, color: Color, mode: Literal["fast", "slow"],
          xs: list[int], weights: dict[str, float], maybe: Optional[int] = None):  # fmt: skip
    for name, value in [("n", n), ("day", day), ("flag", flag), ("color", color), ("mode", mode),
                        ("xs", xs), ("weights", weights), ("maybe", maybe)]:  # fmt: skip
        print(f"  {name} = {value!r}")


@flow
def total(a: int, b: float, c: bool = True):
    return a + b


@flow(validate_parameters=False)
def unchecked(n: int):
    print(f"  unchecked got {n!r}")


@task
def task_with_types(n: int):
    return f"{n!r}"


@flow
def calls_a_task():
    print("  task got", task_with_types("41"))


if __name__ == "__main__":
    print("=== converted")
    typed("41", "2026-01-31", "yes", "blue", "fast", ["1", 2], {"a": "1.5"}, "7")
    print("=== not valid")
    state = total("x", "y", "maybe", return_state=True)
    print("state:", state)
    print("type:", state.type.value, "name:", state.name)
    try:
        total(a="three", b=2)
    except Exception as exc:
        print("raised:", type(exc).__module__, type(exc).__name__)
        print(exc)
    print("=== validate_parameters=False")
    unchecked("41")
    print("=== a call that does not fit the signature")
    try:
        total(1)
    except TypeError as exc:
        print("raised:", type(exc).__name__)
        print(exc)
    print("=== task parameters are not converted")
    calls_a_task()
