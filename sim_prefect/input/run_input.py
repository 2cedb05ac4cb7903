"""What a paused flow run waits for (``prefect.input.run_input``): `RunInput`, and the input kept for a run.

``pause_flow_run(wait_for_input=UserInput)`` keeps the input's JSON schema
(and its description, from ``UserInput.with_initial_data(description=...)``)
with the run, under keys named after the pause (`keyset_from_paused_state`:
``paused-1-schema``, ``paused-1-description``, ``paused-1-response``); a resume
is checked against that schema by the server (server/flow_runs.py), and the
flow gets back an instance of the class, or the bare value for a built-in type
(``wait_for_input=int`` makes an ``intAutomaticRunInput`` with one field,
``value``).

A `RunInput` is a pydantic model where pydantic can be imported, as in
Prefect, so its validators work; in the page, where it cannot, it is a
sim_prefect model (models.py) with the same fields, defaults, checks and
errors, and its schema comes from utilities/schema_tools.py.

Sending input to a running flow (``send_input``, ``receive_input``) is not
imitated: it fails, naming the feature.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar, Generic, TypeVar

from .. import current_run
from ..exceptions import not_imitated
from ..models import Model
from ..server.flow_runs import read_input, write_input
from ..session import session
from ..utilities.schema_tools import schema_of

try:  # the same class as Prefect's where pydantic exists (its validators, its schema); models.Model elsewhere
    _pydantic: Any = importlib.import_module("pydantic")
except ImportError:
    _pydantic = None

T = TypeVar("T")
Keyset = dict[str, str]
_Base: Any = _pydantic.BaseModel if _pydantic is not None else Model


def keyset_from_base_key(base_key: str) -> Keyset:
    return {"description": f"{base_key}-description", "response": f"{base_key}-response", "schema": f"{base_key}-schema"}


def keyset_from_paused_state(state: Any) -> Keyset:
    """The keys of the input a Paused (or Suspended) state waits for: ``paused-1-schema`` and so on."""
    pause_key = getattr(state, "pause_key", None)
    if pause_key is None:
        raise RuntimeError(f"Cannot create a keyset from a state without a pause key: {state!r}")
    return keyset_from_base_key(f"{state.name.lower()}-{pause_key}")


def _flow_run_id(flow_run_id: Any) -> str:
    if flow_run_id is not None:
        return str(flow_run_id)
    run = current_run.current_flow_run()
    if run is None:
        raise RuntimeError("No flow run ID provided and unable to infer from context.")
    return str(run.id)


class BaseRunInput(_Base):  # type: ignore[misc]
    """Input a flow run waits for: a model whose fields are its annotations; extra fields are refused."""

    if _pydantic is not None:
        model_config: ClassVar[Any] = _pydantic.ConfigDict(extra="forbid")
    _extra: ClassVar[Any] = "forbid"
    _description: ClassVar[str | None] = None

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The schema Prefect keeps for the input (pydantic's, for a pydantic model)."""
        if _pydantic is not None and issubclass(cls, _pydantic.BaseModel):
            return dict(cls.model_json_schema(by_alias=True))
        properties: dict[str, Any] = {}
        required: list[str] = []
        for name, info in cls.model_fields.items():
            entry = {"title": name.title().replace("_", " "), **schema_of(info.annotation)}
            if info.is_required():
                required.append(name)
            else:
                entry["default"] = info.get_default()
            properties[name] = dict(sorted(entry.items()))
        schema: dict[str, Any] = {"additionalProperties": False, "properties": properties}
        if required:
            schema["required"] = required
        schema.update(title=cls.__name__, type="object")
        return schema

    @classmethod
    def save(cls, keyset: Keyset, flow_run_id: Any = None) -> None:
        """Keep the input's schema (and description) with the run, for whoever resumes it."""
        s, run_id = session(), _flow_run_id(flow_run_id)
        write_input(s, run_id, keyset["schema"], cls.json_schema())
        if isinstance(cls._description, str) and cls._description:
            write_input(s, run_id, keyset["description"], cls._description)

    @classmethod
    def load(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        """The input the run was resumed with, as an instance of this class."""
        value = read_input(session(), _flow_run_id(flow_run_id), keyset["response"])
        return cls(**value) if value else cls()

    @classmethod
    def with_initial_data(cls, description: str | None = None, **defaults: Any) -> Any:
        """A subclass of the same name whose fields default to `defaults` (and that shows `description`)."""
        fields = cls.model_fields
        annotations = {key: (fields[key].annotation if key in fields else type(value)) for key, value in defaults.items()}
        if _pydantic is not None and issubclass(cls, _pydantic.BaseModel):
            made: Any = _pydantic.create_model(cls.__name__, __base__=cls, **{
                key: (annotation, defaults[key]) for key, annotation in annotations.items()
            })  # fmt: skip
        else:
            made = type(cls.__name__, (cls,), {"__annotations__": annotations, **defaults, "__module__": cls.__module__})
        if description is not None:
            made._description = description
        return made

    def respond(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("sending input to a running flow run", "RunInput.respond()")

    def send_to(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("sending input to a running flow run", "RunInput.send_to()")


class RunInput(BaseRunInput):
    """The base of a flow run's input classes (``class UserInput(RunInput): name: str; age: int``)."""

    @classmethod
    def receive(cls, *args: Any, **kwargs: Any) -> Any:
        raise not_imitated("receiving input while a flow runs", "RunInput.receive()")

    @classmethod
    def subclass_from_base_model_type(cls, model_cls: type) -> type:
        """A RunInput subclass with a pydantic model's fields (``wait_for_input=User``)."""
        return type(f"{model_cls.__name__}RunInput", (RunInput, model_cls), {})


class AutomaticRunInput(BaseRunInput, Generic[T]):
    """The input class made for a plain type: one field, ``value``; loading it gives the value itself."""

    @classmethod
    def load(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        return super().load(keyset, flow_run_id).value

    @classmethod
    def subclass_from_type(cls, _type: Any) -> Any:
        prefix = str(getattr(_type, "__name__", getattr(_type, "_name", "")) or "").lower()
        name = f"{prefix}AutomaticRunInput"
        if _pydantic is not None:
            return _pydantic.create_model(name, value=(_type, ...), __base__=AutomaticRunInput)
        return type(name, (AutomaticRunInput,), {"__annotations__": {"value": _type}, "__module__": __name__})


def run_input_subclass_from_type(_type: Any) -> Any:
    """The RunInput class for what ``wait_for_input`` was given: the class itself, a model's, or an automatic one."""
    if isinstance(_type, type):
        if issubclass(_type, RunInput):
            return _type
        if _pydantic is not None and issubclass(_type, _pydantic.BaseModel):
            return RunInput.subclass_from_base_model_type(_type)
    return AutomaticRunInput.subclass_from_type(_type)


def send_input(*args: Any, **kwargs: Any) -> None:
    raise not_imitated("sending input to a running flow run", "send_input()")


def receive_input(*args: Any, **kwargs: Any) -> None:
    raise not_imitated("receiving input while a flow runs", "receive_input()")


async def asend_input(*args: Any, **kwargs: Any) -> None:
    send_input()


for _cls in (BaseRunInput, RunInput, AutomaticRunInput):
    _cls.__module__ = "prefect.input.run_input"

__all__ = [
    "AutomaticRunInput", "BaseRunInput", "Keyset", "RunInput", "asend_input", "keyset_from_base_key",
    "keyset_from_paused_state", "receive_input", "run_input_subclass_from_type", "send_input",
]  # fmt: skip
