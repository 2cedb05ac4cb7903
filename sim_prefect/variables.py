"""Variables: named, mutable JSON values kept by Prefect's server (``prefect.variables``).

``Variable.set(name, value, tags=None, overwrite=False)`` stores one and
returns ``Variable(name=..., value=..., tags=[...])``; ``Variable.get(name,
default=None)`` reads its value back (or the default), ``Variable.unset(name)``
deletes it (True if it existed). ``aset``, ``aget`` and ``aunset`` are the
async twins, and inside an ``async def`` flow or task the plain names return
coroutines too, as Prefect's do. They go through the client (``get_client()``),
whose `VariableCreate` / `VariableUpdate` hold the rules on names and values;
the values live in the session's store.
"""

from __future__ import annotations

from typing import Any, ClassVar

from . import _msgs
from .async_dispatch import async_dispatch
from .client.orchestration import get_client
from .client.schemas.actions import MAX_VARIABLE_NAME_LENGTH, VariableCreate, VariableUpdate, check_variable_value
from .exceptions import ObjectNotFound
from .models import Check, Model, max_length


class Variable(Model):
    """A variable: its name, its JSON value and its tags."""

    _before: ClassVar[dict[str, Check]] = {"value": check_variable_value}
    _after: ClassVar[dict[str, tuple[Check, ...]]] = {"name": (max_length(MAX_VARIABLE_NAME_LENGTH),)}

    name: str
    value: Any
    tags: list[str] | None = None

    @classmethod
    def _set(cls, name: str, value: Any, tags: list[str] | None, overwrite: bool) -> Variable:
        with get_client(sync_client=True) as client:
            exists = client.read_variable_by_name(name)
            data: dict[str, Any] = {"name": name, "value": value, "tags": tags or []}
            if exists is not None:
                if not overwrite:
                    raise ValueError(_msgs.VARIABLE_EXISTS.format(name=name))
                client.update_variable(variable=VariableUpdate.model_validate(data))
                stored = client.read_variable_by_name(name)
                data = {key: getattr(stored, key) for key in data}
            else:
                client.create_variable(variable=VariableCreate.model_validate(data))
            return cls.model_validate(data)

    @classmethod
    def _get(cls, name: str, default: Any) -> Any:
        with get_client(sync_client=True) as client:
            variable = client.read_variable_by_name(name)
            return variable.value if variable is not None else default

    @classmethod
    def _unset(cls, name: str) -> bool:
        with get_client(sync_client=True) as client:
            try:
                client.delete_variable_by_name(name=name)
            except ObjectNotFound:
                return False
            return True

    @classmethod
    async def aset(cls, name: str, value: Any, tags: list[str] | None = None, overwrite: bool = False) -> Variable:
        """Set a variable (``overwrite=True`` to replace one that exists); returns it."""
        return cls._set(name, value, tags, overwrite)

    @classmethod
    @async_dispatch(aset)
    def set(cls, name: str, value: Any, tags: list[str] | None = None, overwrite: bool = False) -> Variable:
        """Set a variable (``overwrite=True`` to replace one that exists); returns it."""
        return cls._set(name, value, tags, overwrite)

    @classmethod
    async def aget(cls, name: str, default: Any = None) -> Any:
        """A variable's value, or `default` if there is none by that name."""
        return cls._get(name, default)

    @classmethod
    @async_dispatch(aget)
    def get(cls, name: str, default: Any = None) -> Any:
        """A variable's value, or `default` if there is none by that name."""
        return cls._get(name, default)

    @classmethod
    async def aunset(cls, name: str) -> bool:
        """Delete a variable: True if it existed, False if not."""
        return cls._unset(name)

    @classmethod
    @async_dispatch(aunset)
    def unset(cls, name: str) -> bool:
        """Delete a variable: True if it existed, False if not."""
        return cls._unset(name)


Variable.__module__ = "prefect.variables"

__all__ = ["Variable"]
