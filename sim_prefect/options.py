"""The options of `@task` and `@flow`, each written down once.

`tasks.TASK_OPTIONS` and `flows.FLOW_OPTIONS` list every keyword argument with
its default, and with what `with_options` takes to mean "leave it as it is",
which Prefect decides option by option (``NotSet`` for some, ``None`` or any
false value for others). The decorator, the constructor and `with_options`
all read the table, so a new option is one new line. The decorators keep
their explicit signatures, for Python's own ``TypeError`` wording, and a test
checks that they match the tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .annotations import NotSet

Keep = Literal["none", "notset", "falsy"]


@dataclass(frozen=True)
class Option:
    """One keyword argument: its default, and what `with_options` reads as "keep the current value"."""

    default: Any = None
    keep: Keep = "none"
    in_with_options: bool = True
    in_decorator: bool = True
    # Where the constructor's default differs from the decorator's (Task's log_prints).
    init_default: Any = NotSet
    # The attribute whose value `with_options` starts from ("": the option's own name);
    # None: the value the user gave, as Prefect keeps it for cache_policy and persist_result.
    attr: str | None = ""

    def keeps(self, value: Any) -> bool:
        if self.keep == "notset":
            return value is NotSet
        if self.keep == "falsy":
            return not value
        return value is None


def complete(owner: str, table: Mapping[str, Option], given: Mapping[str, Any]) -> dict[str, Any]:
    """Every option of `table`: the given ones, defaults for the rest; an unknown name is a TypeError."""
    for key in given:
        if key not in table:
            raise TypeError(f"{owner}.__init__() got an unexpected keyword argument '{key}'")
    return {
        key: given.get(key, spec.default if spec.init_default is NotSet else spec.init_default)
        for key, spec in table.items()
    }


def from_decorator(table: Mapping[str, Option], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The decorator's keyword arguments (its `locals()`), as constructor options."""
    return {key: arguments[key] for key, spec in table.items() if spec.in_decorator}


def merge(owner: str, table: Mapping[str, Option], obj: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The options of `obj` (a task or flow) updated by `with_options(**changes)`, as Prefect does it.

    Like Prefect, it starts from the object's attributes (so a callable
    `retry_delay_seconds` stays the list it gave), except where Prefect starts
    from the value the user gave.
    """
    given: dict[str, Any] = obj.options
    merged = {
        key: given[key] if spec.attr is None else getattr(obj, spec.attr or key, given[key])
        for key, spec in table.items()
    }
    for key, value in changes.items():
        spec = table.get(key)
        if spec is None or not spec.in_with_options:
            raise TypeError(f"{owner}.with_options() got an unexpected keyword argument '{key}'")
        if not spec.keeps(value):
            merged[key] = value
    # Hook lists are copied, so that a hook added to the copy does not reach the original.
    return {k: list(v) if isinstance(v, list) else v for k, v in merged.items()}


__all__ = ["NotSet", "Option", "complete", "from_decorator", "merge"]
