"""JSON schemas as Prefect's server checks them: a flow's parameters, and the input a paused run waits for.

Prefect describes a deployment's parameters (``parameter_openapi_schema``) and
a paused run's expected input (a ``RunInput``'s schema) with pydantic's JSON
schemas, and its server checks what it is sent against them with
``jsonschema``, refusing with ``Validation failed for field 'x'. Failure
reason: 'abc' is not of type 'integer'``. Here:

- `schema_of(annotation)` gives pydantic's schema for the annotations flows and
  inputs commonly use (``str``, ``int``, ``float``, ``bool``, ``list[...]``,
  ``dict``, ``Optional``/unions, ``Literal``, ``datetime``, ``date``, ``Any``);
  another annotation fails loudly, naming it (where pydantic is importable,
  callers ask pydantic instead);
- `parameter_schema(fn)` is Prefect's ``parameter_schema``: every parameter's
  schema with its title, position and default;
- `validate(obj, schema)` is Prefect's ``validate(..., raise_on_error=True)``:
  None, or the message of the error jsonschema's ``best_match`` picks (the
  shallowest; the first found among equals), for the keywords such schemas
  use (``type``, ``properties``, ``required``, ``additionalProperties``,
  ``enum``, ``anyOf``, ``items``).
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from ..exceptions import not_imitated

_TYPES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"}, bool: {"type": "boolean"},
    dict: {"type": "object"}, list: {"type": "array", "items": {}}, type(None): {"type": "null"},
    dt.datetime: {"type": "string", "format": "date-time"}, dt.date: {"type": "string", "format": "date"},
}  # fmt: skip
_JSON_TYPE: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict,
              "array": list, "null": type(None)}  # fmt: skip


def schema_of(annotation: Any) -> dict[str, Any]:
    """pydantic's JSON schema for one annotation (without a title)."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        return {}
    if annotation in _TYPES:
        schema = dict(_TYPES[annotation])
        if annotation is dict:
            schema["additionalProperties"] = True
        return schema
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        kinds = {type(a) for a in args}
        schema = {"enum": list(args)}
        if len(kinds) == 1 and next(iter(kinds)) in _TYPES:
            schema["type"] = _TYPES[next(iter(kinds))]["type"]
        return schema
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [schema_of(a) for a in args]}
    if origin in (list, set, frozenset, tuple) and origin is not tuple:
        schema = {"type": "array", "items": schema_of(args[0]) if args else {}}
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema
    if origin is dict:
        return {"type": "object", "additionalProperties": schema_of(args[1]) if len(args) == 2 else True}
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {"enum": [m.value for m in annotation]}
    raise not_imitated("a JSON schema for this annotation without pydantic", repr(annotation))


def parameter_schema(fn: Callable[..., Any]) -> dict[str, Any]:
    """A flow's parameters as Prefect's ``parameter_schema`` describes them."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - an annotation that does not resolve: read as written, as inspect gives it
        hints = {}
    for position, (name, parameter) in enumerate(inspect.signature(fn).parameters.items()):
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        try:
            schema = schema_of(hints.get(name, parameter.annotation))
        except NotImplementedError:
            schema = {}  # Prefect's schema would come from pydantic; any value passes here
        entry: dict[str, Any] = {}
        if parameter.default is not inspect.Parameter.empty:
            entry["default"] = parameter.default
        else:
            required.append(name)
        entry.update(position=position, title=name, **schema)
        properties[name] = dict(sorted(entry.items()))
    # As Prefect's ParameterSchema dumps it for a deployment (exclude_unset): `required` only when some parameter is.
    described: dict[str, Any] = {"title": "Parameters", "type": "object", "properties": properties}
    if required:
        described["required"] = required
    return described


# -- validating ---------------------------------------------------------------------------------


def _is_type(value: Any, name: str) -> bool:
    kind = _JSON_TYPE.get(name)
    if kind is None:
        return True
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, kind)


def _errors(value: Any, schema: dict[str, Any], path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """Every error jsonschema finds, in the order of the schema's keywords."""
    found: list[tuple[tuple[Any, ...], str]] = []
    for keyword, rule in schema.items():
        if keyword == "type":
            names = rule if isinstance(rule, list) else [rule]
            if not any(_is_type(value, n) for n in names):
                found.append((path, f"{value!r} is not of type {', '.join(repr(n) for n in names)}"))
        elif keyword == "enum" and value not in rule:
            found.append((path, f"{value!r} is not one of {rule!r}"))
        elif keyword == "anyOf" and not any(not _errors(value, option, path) for option in rule):
            found.append((path, f"{value!r} is not valid under any of the given schemas"))
        elif keyword == "required" and isinstance(value, dict):
            found += [(path, f"{name!r} is a required property") for name in rule if name not in value]
        elif keyword == "properties" and isinstance(value, dict):
            for name, sub in rule.items():
                if name in value:
                    found += _errors(value[name], sub, (*path, name))
        elif keyword == "additionalProperties" and isinstance(value, dict):
            known = schema.get("properties", {})
            extra = [k for k in value if k not in known]
            if rule is False and extra:
                were = "was" if len(extra) == 1 else "were"
                found.append((path, f"Additional properties are not allowed ({', '.join(repr(k) for k in extra)} {were} unexpected)"))
            elif isinstance(rule, dict):
                for name in extra:
                    found += _errors(value[name], rule, (*path, name))
        elif keyword == "items" and isinstance(value, list) and isinstance(rule, dict):
            for i, item in enumerate(value):
                found += _errors(item, rule, (*path, i))
    return found


def _field(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validate(obj: Any, schema: dict[str, Any]) -> str | None:
    """None if `obj` fits `schema`; else Prefect's message for the error jsonschema reports first."""
    errors = _errors(obj, schema, ())
    if not errors:
        return None
    depth = min(len(p) for p, _ in errors)
    path, message = next(e for e in errors if len(e[0]) == depth)
    where = "Validation failed." if not path else f"Validation failed for field {_field(path)!r}."
    return f"{where} Failure reason: {message}"


__all__ = ["parameter_schema", "schema_of", "validate"]
