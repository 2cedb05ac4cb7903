"""What the client sends to Prefect's API to create or change things (``prefect.client.schemas.actions``).

Each is a pydantic-style model (models.py) that refuses bad input as Prefect's
does, with pydantic's ``ValidationError`` naming the model: a variable's name
and value (``1 validation error for VariableCreate``), a limit's name and
bounds. These checks are the only place each rule is written: ``Variable.set``
and ``client.create_variable`` both build a `VariableCreate`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, ClassVar

from ... import _msgs
from ...models import Check, Model, ge, max_length, pattern

MAX_VARIABLE_NAME_LENGTH = 255
MAX_VARIABLE_VALUE_LENGTH = 5000
_VARIABLE_NAME = re.compile(r"^[a-z0-9-_]*$")
# What a concurrency limit's name may not contain (prefect/types/names.py: "/", "%", "&", ">", "<").
WITHOUT_BANNED_CHARACTERS = r"^[^/%&><]+$"


class ActionBaseModel(Model):
    """Prefect's actions refuse keywords they do not know."""

    _extra = "forbid"


def _variable_name(name: Any) -> Any:
    if isinstance(name, str) and not _VARIABLE_NAME.match(name):
        raise ValueError(_msgs.VARIABLE_NAME_INVALID)
    return name


def _json_length(value: Any) -> int:
    """The length of the value's compact JSON in bytes, as orjson writes it (NaN and infinities as null)."""
    def plain(item: Any) -> Any:
        if isinstance(item, float) and not math.isfinite(item):
            return None
        if isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                raise TypeError("Dict key must be str")
            return {k: plain(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [plain(v) for v in item]
        if isinstance(item, int) and not isinstance(item, bool) and not -(2**63) <= item < 2**64:
            raise TypeError("Integer exceeds 64-bit range")
        if item is None or isinstance(item, (str, int, float, bool)):
            return item
        raise TypeError(f"Type is not JSON serializable: {type(item).__name__}")

    return len(json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False).encode())


def check_variable_value(value: Any) -> Any:
    """Prefect's check of a variable's value: JSON, and short enough (prefect/types/__init__.py)."""
    try:
        length = _json_length(value)
    except TypeError:
        raise ValueError(_msgs.VARIABLE_NOT_JSON) from None
    if value is not None and length > MAX_VARIABLE_VALUE_LENGTH:
        raise ValueError(_msgs.VARIABLE_TOO_LONG.format(limit=MAX_VARIABLE_VALUE_LENGTH))
    return list(value) if isinstance(value, tuple) else value  # pydantic's list[Any] takes a tuple


_VARIABLE_CHECKS: dict[str, tuple[Check, ...]] = {"name": (max_length(MAX_VARIABLE_NAME_LENGTH), _variable_name)}


class VariableCreate(ActionBaseModel):
    """A new variable: a name (lowercase letters, numbers, dashes, underscores), a JSON value, tags."""

    _before: ClassVar[dict[str, Check]] = {"value": check_variable_value}
    _after: ClassVar[dict[str, tuple[Check, ...]]] = _VARIABLE_CHECKS

    name: str
    value: Any
    tags: list[str] | None = None


class VariableUpdate(ActionBaseModel):
    """A variable's new value (and tags, and name)."""

    _before: ClassVar[dict[str, Check]] = {"value": check_variable_value}
    _after: ClassVar[dict[str, tuple[Check, ...]]] = _VARIABLE_CHECKS

    name: str | None = None
    value: Any = None
    tags: list[str] | None = None


_LIMIT_CHECKS: dict[str, tuple[Check, ...]] = {
    "name": (pattern(WITHOUT_BANNED_CHARACTERS),), "limit": (ge(0),), "active_slots": (ge(0),),
    "slot_decay_per_second": (ge(0),),
}  # fmt: skip


class GlobalConcurrencyLimitCreate(ActionBaseModel):
    """A new global concurrency limit: at most `limit` slots at once; with a decay, a rate limit."""

    _after: ClassVar[dict[str, tuple[Check, ...]]] = _LIMIT_CHECKS

    name: str
    limit: int
    active: bool | None = True
    active_slots: int | None = 0
    slot_decay_per_second: float | None = 0.0


class GlobalConcurrencyLimitUpdate(ActionBaseModel):
    """What to change on a global concurrency limit (the fields given)."""

    _after: ClassVar[dict[str, tuple[Check, ...]]] = _LIMIT_CHECKS

    name: str | None = None
    limit: int | None = None
    active: bool | None = None
    active_slots: int | None = None
    slot_decay_per_second: float | None = None


class ConcurrencyLimitCreate(ActionBaseModel):
    """A tag's concurrency limit (``client.create_concurrency_limit(tag=, concurrency_limit=)``)."""

    tag: str
    concurrency_limit: int


for _cls in (VariableCreate, VariableUpdate, GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate,
             ConcurrencyLimitCreate):  # fmt: skip
    _cls.__module__ = "prefect.client.schemas.actions"

__all__ = [
    "ConcurrencyLimitCreate", "GlobalConcurrencyLimitCreate", "GlobalConcurrencyLimitUpdate", "VariableCreate",
    "VariableUpdate", "check_variable_value",
]  # fmt: skip
