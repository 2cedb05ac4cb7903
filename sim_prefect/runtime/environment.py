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


def api_url() -> str | None:
    """The API's address, as Prefect's setting gives it (none here unless the environment names one)."""
    return os.environ.get("PREFECT_API_URL") or None


def ui_url() -> str | None:
    """The UI's address: PREFECT_UI_URL, else the API's without its ``/api``, as Prefect works it out."""
    if "PREFECT_UI_URL" in os.environ:
        return os.environ["PREFECT_UI_URL"]
    api = api_url()
    return api.removesuffix("/api") if api else None


__all__ = ["api_url", "lookup", "ui_url"]
