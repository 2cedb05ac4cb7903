"""Prefect's system blocks (``prefect.blocks.system``): in Prefect 3.9.1, only `Secret`.

``Secret(value="...").save("name")`` keeps a secret on the server;
``Secret.load("name").get()`` gives it back. Shown, it is stars:
``Secret(value=Secret('**********'))``. ``get()`` decodes a string that is
JSON, as Prefect's does: a secret saved as ``"123"`` comes back as ``123``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ..models import Check, SecretValue, is_secret
from .core import Block


def _as_secret(value: Any) -> Any:
    """A plain value is wrapped (pydantic's ``Secret[type(value)]``); a secret stays as it is."""
    return value if is_secret(value) else SecretValue(value)


class Secret(Block):
    """A block that represents a secret value. The value stored in this block will be obfuscated when this block is
    viewed or edited in the UI."""

    _description = (
        "A block that represents a secret value. The value stored in this block will be obfuscated when this "
        "block is viewed or edited in the UI."
    )
    _before: ClassVar[dict[str, Check]] = {"value": _as_secret}

    value: Any

    @classmethod
    def _secret_fields(cls) -> list[str]:
        return ["value"]

    def get(self) -> Any:
        """The secret: a string that is JSON decoded (``"123"`` gives ``123``), anything else as saved."""
        value = self.value.get_secret_value()
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value


Secret.__module__ = "prefect.blocks.system"

__all__ = ["Secret"]
