"""A runtime value, computed now, or the environment's stand-in for it (``PREFECT__RUNTIME__...``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

# How a value set in the environment is read, by the type of the real value.
_CASTS: dict[type, Callable[[str], Any]] = {
    str: str, int: int, float: float, bool: lambda v: v.strip().lower() in ("1", "true", "yes", "on"),
    type(None): str,
}  # fmt: skip


def lookup(module: str, fields: dict[str, Callable[[], Any]], name: str) -> Any:
    """An attribute of ``prefect.runtime.<module>``: computed now, or mocked by the environment."""
    env_key = f"PREFECT__RUNTIME__{module.upper()}__{name.upper()}"
    func = fields.get(name)
    if func is None:
        if env_key in os.environ:
            return os.environ[env_key]
        raise AttributeError(f"prefect.runtime.{module} has no attribute {name!r}")
    value = func()
    if env_key not in os.environ:
        return value
    cast = _CASTS.get(type(value))
    if cast is None:
        raise ValueError(
            "This runtime context attribute cannot be mocked using an environment variable. "
            "Please use monkeypatch instead."
        )
    return cast(os.environ[env_key])


__all__ = ["lookup"]
