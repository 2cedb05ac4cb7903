"""Models with typed fields, validated when made: what Prefect builds on pydantic's ``BaseModel``.

Prefect's API schemas (``VariableCreate``, ``GlobalConcurrencyLimitCreate``,
...), ``prefect.variables.Variable`` and every block are pydantic models: a
class whose annotated attributes are its fields (a class attribute of the same
name is the field's default), checked and converted when an instance is made,
and refused with pydantic's ``ValidationError`` ("1 validation error for
VariableCreate ...") when they do not fit. Pydantic cannot be loaded in the
page, so `Model` does the same for the annotations that validation.py knows,
with pydantic's messages. A field whose annotation mentions one of pydantic's
own types (``SecretStr``, ``Annotated[int, Field(gt=0)]``) or whose default is
pydantic's ``Field(...)`` is handed to pydantic itself: the script imported
pydantic, so it is there.

A class opts into extra checks with three tables: `_before` (run on the raw
value, before the type), `_after` (run on the converted value: patterns,
lengths, bounds) and `_extra` (what to do with unknown keywords: ``ignore``,
``forbid`` or ``allow``, as pydantic's ``model_config["extra"]``).
"""

from __future__ import annotations

import copy
import inspect
import re
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from . import _msgs
from .validation import Error, Invalid, validate

Check = Callable[[Any], Any]  # a value in, the value out (converted), or ValueError / Invalid
_REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "PydanticUndefined"})()


# -- pydantic's ValidationError ------------------------------------------------------------


def shown_input(value: Any) -> str:
    """A refused input as pydantic prints it: its repr, cut in the middle past 50 characters."""
    text = repr(value)
    return text if len(text) <= 50 else f"{text[:25]}...{text[-24:]}"


class ValidationError(ValueError):
    """pydantic's ``ValidationError``: every error found in one model's input, printed as pydantic prints them."""

    def __init__(self, title: str, errors: list[Error]) -> None:
        super().__init__(title, errors)
        self.title = title
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self._errors]

    def error_count(self) -> int:
        return len(self._errors)

    def __str__(self) -> str:
        n = len(self._errors)
        lines = [f"{n} validation error{'s' if n != 1 else ''} for {self.title}"]
        for error in self._errors:
            if error.loc:
                lines.append(".".join(str(part) for part in error.loc))
            lines.append(
                f"  {error.msg} [type={error.type}, input_value={shown_input(error.input)}, "
                f"input_type={type(error.input).__name__}]"
            )
            lines.append(f"    For further information visit {_msgs.PYDANTIC_ERROR_URL.format(type=error.type)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{self.title}({self})"


ValidationError.__module__ = "pydantic_core._pydantic_core"


# -- checks that Prefect's schemas put on their fields ----------------------------------------


def value_error(message: str, value: Any, loc: tuple[Any, ...]) -> Invalid:
    """A validator's ``ValueError``, as pydantic reports it."""
    return Invalid([Error("value_error", loc, f"Value error, {message}", value, {"error": message})])


def pattern(regex: str) -> Check:
    compiled = re.compile(regex)

    def check(value: Any) -> Any:
        if isinstance(value, str) and not compiled.match(value):
            raise Invalid([Error("string_pattern_mismatch", (), f"String should match pattern '{regex}'", value,
                                 {"pattern": regex})])  # fmt: skip
        return value

    return check


def max_length(limit: int) -> Check:
    def check(value: Any) -> Any:
        if value is not None and len(value) > limit:
            raise Invalid([Error(
                "too_long", (), f"Value should have at most {limit} items after validation, not {len(value)}", value,
                {"field_type": "Value", "max_length": limit, "actual_length": len(value)},
            )])  # fmt: skip
        return value

    return check


def ge(bound: float) -> Check:
    def check(value: Any) -> Any:
        if value is not None and value < bound:
            raise Invalid([Error("greater_than_equal", (), f"Input should be greater than or equal to {bound}", value,
                                 {"ge": bound})])  # fmt: skip
        return value

    return check


# -- secrets ----------------------------------------------------------------------------------


class SecretValue:
    """pydantic's ``Secret``: a value that prints as stars; ``get_secret_value()`` gives it back."""

    def __init__(self, secret_value: Any) -> None:
        self._secret_value = secret_value

    def get_secret_value(self) -> Any:
        return self._secret_value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretValue) and other._secret_value == self._secret_value

    def __hash__(self) -> int:
        return hash(repr(self._secret_value))


SecretValue.__name__ = SecretValue.__qualname__ = "Secret"
SecretValue.__module__ = "pydantic.types"


def is_secret(value: Any) -> bool:
    """A value that hides itself: our `SecretValue`, or pydantic's ``SecretStr``, ``SecretBytes``, ``Secret``."""
    return isinstance(value, SecretValue) or (_from_pydantic(value) and hasattr(value, "get_secret_value"))


def revealed(value: Any) -> Any:
    """`value` with every secret in it replaced by what it hides (what a block saves)."""
    if is_secret(value):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: revealed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [revealed(v) for v in value]
    return value


# -- fields ---------------------------------------------------------------------------------


@dataclass
class FieldInfo:
    """One field: its annotation and default (`_REQUIRED` if it has none)."""

    annotation: Any
    default: Any = _REQUIRED
    default_factory: Callable[[], Any] | None = None
    pydantic: Any = None  # pydantic's FieldInfo, when the default was pydantic's Field(...)
    by_pydantic: bool = False  # a type only pydantic can check (a block's field, where pydantic is importable)

    def is_required(self) -> bool:
        return self.default is _REQUIRED and self.default_factory is None

    def get_default(self) -> Any:
        if self.default_factory is not None:
            return self.default_factory()
        return copy.deepcopy(self.default)  # pydantic copies a mutable default for each instance


def _is_classvar(annotation: Any) -> bool:
    return annotation is ClassVar or typing.get_origin(annotation) is ClassVar


def _from_pydantic(value: Any) -> bool:
    return type(value).__module__.split(".")[0] in ("pydantic", "pydantic_core", "annotated_types")


def mentions_pydantic(annotation: Any) -> bool:
    """Whether an annotation names one of pydantic's types, or carries pydantic's constraints."""
    if isinstance(annotation, type) and annotation.__module__.split(".")[0] in ("pydantic", "pydantic_core"):
        return not _is_model(annotation)  # a model of the script's own: validation.py hands it to pydantic
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return any(_from_pydantic(m) for m in metadata) or mentions_pydantic(base)
    return any(mentions_pydantic(arg) for arg in typing.get_args(annotation))


def _is_model(cls: type) -> bool:
    return any(base.__module__.startswith("pydantic") and base.__name__ == "BaseModel" for base in cls.__mro__)


def fields_of(cls: type) -> dict[str, FieldInfo]:
    """The fields a model class declares: its annotated attributes and its bases', not ClassVars or _private ones.

    A base's fields are taken as the base found them (its module may report Prefect's name by now); the
    class's own annotations are read in its own module, as pydantic reads them.
    """
    fields: dict[str, FieldInfo] = {}
    for base in reversed(cls.__mro__[1:]):
        if "model_fields" in vars(base):
            fields.update((name, copy.copy(info)) for name, info in vars(base)["model_fields"].items())
    module = sys.modules.get(cls.__module__)
    namespace = {**_defining_locals(), **(vars(module) if module is not None else {})}
    try:
        own = inspect.get_annotations(cls)  # the class's own (as strings under `from __future__ import annotations`)
    except Exception as exc:
        raise TypeError(f"the annotations of {cls.__name__} cannot be read: {exc}") from exc
    for name, annotation in own.items():
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace, dict(vars(cls)))  # noqa: S307 - as typing.get_type_hints
            except Exception as exc:
                raise TypeError(f"the annotation of {cls.__name__}.{name} cannot be read: {exc}") from exc
        if name.startswith("_") or _is_classvar(annotation) or name == "model_fields":
            continue
        default = vars(cls).get(name, _REQUIRED)
        if callable(default) and not isinstance(default, type) and hasattr(default, "__get__"):
            default = _REQUIRED  # a method of the same name is not a default
        if _from_pydantic(default) and type(default).__name__ == "FieldInfo":
            fields[name] = _pydantic_field(annotation, default)
        else:
            fields[name] = FieldInfo(annotation, default)
    for name, info in fields.items():  # a subclass may give an inherited field a new default
        if name in vars(cls) and name not in own:
            info.default = vars(cls)[name]
    return fields


def _defining_locals() -> dict[str, Any]:
    """The locals of the code running the class statement (a class made in a function may name its locals),
    as pydantic reads them: the first frame outside sim_prefect."""
    frame = sys._getframe(1)
    here = __file__.rsplit("/", 1)[0].rsplit("\\", 1)[0]
    while frame is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back  # type: ignore[assignment]
    return dict(frame.f_locals) if frame is not None else {}


def _pydantic_field(annotation: Any, info: Any) -> FieldInfo:
    """A field declared with pydantic's ``Field(...)``: pydantic keeps its default and checks its constraints."""
    default = info.default
    if type(default).__name__ == "PydanticUndefinedType" or default is Ellipsis:
        default = _REQUIRED
    return FieldInfo(typing.Annotated[annotation, info], default, info.default_factory, info)


# -- the model --------------------------------------------------------------------------------

M = TypeVar("M", bound="Model")


class Model:
    """A pydantic-style model: the fields are the class's annotations (see the module's docstring)."""

    model_fields: ClassVar[dict[str, FieldInfo]] = {}
    _before: ClassVar[dict[str, Check]] = {}
    _after: ClassVar[dict[str, tuple[Check, ...]]] = {}
    _extra: ClassVar[Literal["ignore", "forbid", "allow"]] = "ignore"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.model_fields = fields_of(cls)

    def __init__(self, **data: Any) -> None:
        values, extra = type(self)._validated(data)
        vars(self).update(values)
        self.__pydantic_extra__: dict[str, Any] = extra
        self.model_fields_set = {name for name in data if name in type(self).model_fields}

    @classmethod
    def _title(cls) -> str:
        return cls.__name__

    @classmethod
    def _validated(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        values: dict[str, Any] = {}
        errors: list[Error] = []
        for name, info in cls.model_fields.items():
            if name not in data:
                if info.is_required():
                    errors.append(Error("missing", (name,), "Field required", dict(data)))
                else:
                    values[name] = info.get_default()
                continue
            try:
                values[name] = cls._validate_field(name, info, data[name])
            except Invalid as exc:
                errors.extend(Error(e.type, (name, *e.loc), e.msg, e.input, e.ctx) for e in exc.errors)
        extra = {k: v for k, v in data.items() if k not in cls.model_fields}
        if extra and cls._extra == "forbid":
            errors.extend(Error("extra_forbidden", (k,), "Extra inputs are not permitted", v) for k, v in extra.items())
        if errors:
            raise ValidationError(cls._title(), errors)
        return values, (extra if cls._extra == "allow" else {})

    @classmethod
    def _validate_field(cls, name: str, info: FieldInfo, value: Any) -> Any:
        before = cls._before.get(name)
        if before is not None:
            value = _checked(before, value)
        value = _by_pydantic(info.annotation, value) if info.by_pydantic else _typed(info.annotation, value)
        for after in cls._after.get(name, ()):
            value = _checked(after, value)
        return value

    @classmethod
    def model_validate(cls: type[M], obj: Any) -> M:
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, dict):
            raise ValidationError(cls._title(), [Error(
                "model_type", (), f"Input should be a valid dictionary or instance of {cls.__name__}", obj,
                {"class_name": cls.__name__},
            )])  # fmt: skip
        return cls(**obj)

    @classmethod
    def model_construct(cls: type[M], **values: Any) -> M:
        """An instance from values as they are, unchecked (missing fields get their defaults)."""
        made = cls.__new__(cls)
        known = {k: v for k, v in values.items() if k in cls.model_fields}
        vars(made).update({n: info.get_default() for n, info in cls.model_fields.items() if not info.is_required()})
        vars(made).update(known)
        made.__pydantic_extra__ = {k: v for k, v in values.items() if k not in cls.model_fields}
        made.model_fields_set = set(known)
        return made

    def model_dump(self, *, exclude_unset: bool = False, mode: str = "python") -> dict[str, Any]:
        names = [n for n in type(self).model_fields if not exclude_unset or n in self.model_fields_set]
        data = {name: getattr(self, name) for name in names}
        data.update(self.__pydantic_extra__)
        return data

    def model_copy(self: M, update: dict[str, Any] | None = None) -> M:
        clone = copy.copy(self)
        vars(clone).update(update or {})
        return clone

    def _repr_fields(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._repr_fields())})"

    def __str__(self) -> str:
        """pydantic's str: the fields without the class name."""
        return " ".join(f"{k}={v!r}" for k, v in self._repr_fields())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and type(other) is type(self) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]


def _checked(check: Check, value: Any) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise value_error(str(exc), value, ()) from None


def _typed(annotation: Any, value: Any) -> Any:
    """`value` converted to `annotation`: by validation.py, or by pydantic for pydantic's own types."""
    if mentions_pydantic(annotation):
        return _by_pydantic(annotation, value)
    return validate(annotation, value, ())


def _by_pydantic(annotation: Any, value: Any) -> Any:
    import pydantic  # the script named pydantic's types, so it is importable

    try:
        return pydantic.TypeAdapter(annotation).validate_python(value)
    except pydantic.ValidationError as exc:
        raise Invalid([Error(e["type"], tuple(e["loc"]), e["msg"], e["input"], e.get("ctx")) for e in exc.errors()]) from None


__all__ = [
    "FieldInfo", "Model", "SecretValue", "ValidationError", "fields_of", "ge", "is_secret", "max_length",
    "mentions_pydantic", "pattern", "revealed", "shown_input", "value_error",
]  # fmt: skip
