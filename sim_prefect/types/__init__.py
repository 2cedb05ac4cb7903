"""``prefect.types``: the value types Prefect's schemas use (`DateTime`)."""

from __future__ import annotations

from ._datetime import DateTime

__all__ = ["DateTime"]
