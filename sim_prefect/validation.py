"""Flow parameters checked and converted as Prefect does it with pydantic (lax mode).

Before a flow run starts, Prefect validates the call's parameters against the
function's annotations with pydantic, converting what it can (``"41"`` for an
``int`` becomes 41) and failing the run with ``ParameterTypeError`` otherwise.
Pyodide offers pydantic only as a download of several megabytes that the page
would make before every first Run, so this module does the same for the
annotations flows commonly use, with pydantic's own error types and messages:
``int``, ``float``, ``str``, ``bool``, ``bytes``, ``datetime``, ``date``,
``Enum``, ``Literal``, ``Optional`` / ``X | None`` and other unions,
``list[...]``, ``set[...]``, ``tuple[...]``, ``dict[...]`` and ``Any``.
A pydantic model is handed to pydantic, where pydantic can be imported; any
other class is checked with ``isinstance`` (pydantic's arbitrary types).
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import _msgs
from .exceptions import ParameterTypeError

Loc = tuple[Any, ...]


@dataclass
class Error:
    """One pydantic error: its type, where (``loc``), the message and the input."""

    type: str
    loc: Loc
    msg: str
    input: Any
    ctx: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """As pydantic's ``ValidationError.errors()`` shows it."""
        shown: dict[str, Any] = {"type": self.type, "loc": self.loc, "msg": self.msg, "input": self.input}
        if self.ctx is not None:
            shown["ctx"] = self.ctx
        shown["url"] = _msgs.PYDANTIC_ERROR_URL.format(type=self.type)
        return shown


@dataclass
class Invalid(Exception):
    """The errors found in one value."""

    errors: list[Error] = field(default_factory=list)


def _fail(kind: str, msg: str, value: Any, loc: Loc, ctx: dict[str, Any] | None = None) -> Invalid:
    return Invalid([Error(kind, loc, msg, value, ctx)])


# -- scalars --------------------------------------------------------------------------------


def _int(value: Any, loc: Loc) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _fail("int_from_float", "Input should be a valid integer, got a number with a fractional part", value, loc)
    if isinstance(value, (str, bytes)):
        text = (value.decode() if isinstance(value, bytes) else value).strip()
        if re.fullmatch(r"[+-]?\d+(?:\.0*)?", text):  # "4.0" is 4, as in pydantic
            return int(text.split(".")[0])
        raise _fail("int_parsing", "Input should be a valid integer, unable to parse string as an integer", value, loc)
    raise _fail("int_type", "Input should be a valid integer", value, loc)


def _float(value: Any, loc: Loc) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (str, bytes)):
        text = (value.decode() if isinstance(value, bytes) else value).strip()
        try:
            return float(text)
        except ValueError:
            raise _fail(
                "float_parsing", "Input should be a valid number, unable to parse string as a number", value, loc
            ) from None
    raise _fail("float_type", "Input should be a valid number", value, loc)


def _str(value: Any, loc: Loc) -> str:
    if isinstance(value, str):
        return str(value) if isinstance(value, enum.Enum) else value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            raise _fail("string_unicode", "Input should be a valid string, unable to parse raw data as a unicode string", value, loc) from None
    raise _fail("string_type", "Input should be a valid string", value, loc)


def _bytes(value: Any, loc: Loc) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    raise _fail("bytes_type", "Input should be a valid bytes", value, loc)


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def _bool(value: Any, loc: Loc) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    if isinstance(value, (int, float, str)):
        raise _fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", value, loc)
    raise _fail("bool_type", "Input should be a valid boolean", value, loc)


# -- dates and times: ISO 8601 as pydantic's parser (speedate) reads it ------------------------


class _DateError(ValueError):
    pass


def _digits(text: str, start: int, count: int, what: str) -> int:
    if len(text) < start + count:
        raise _DateError("input is too short")
    chunk = text[start : start + count]
    if not chunk.isdigit():
        raise _DateError(f"invalid character in {what}")
    return int(chunk)


def _parse_date(text: str) -> dt.date:
    if len(text) < 10:
        raise _DateError("input is too short")
    year = _digits(text, 0, 4, "year")
    if text[4] != "-":
        raise _DateError("invalid date separator, expected `-`")
    month = _digits(text, 5, 2, "month")
    if text[7] != "-":
        raise _DateError("invalid date separator, expected `-`")
    day = _digits(text, 8, 2, "day")
    if not 1 <= month <= 12:
        raise _DateError("month value is outside expected range of 1-12")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _DateError("day value is outside expected range") from None


def _parse_datetime(text: str) -> dt.datetime:
    day = _parse_date(text)
    if len(text) == 10:
        return dt.datetime(day.year, day.month, day.day)
    if text[10] not in "Tt _":
        raise _DateError("invalid datetime separator, expected `T`, `t`, `_` or space")
    rest = text[11:]
    hour = _digits(rest, 0, 2, "hour")
    if len(rest) < 3 or rest[2] != ":":
        raise _DateError("invalid time separator, expected `:`")
    minute = _digits(rest, 3, 2, "minute")
    second, micro, i = 0, 0, 5
    if len(rest) > 5 and rest[5] == ":":
        second = _digits(rest, 6, 2, "second")
        i = 8
        if len(rest) > 8 and rest[8] in ".,":
            j = 9
            while j < len(rest) and rest[j].isdigit():
                j += 1
            fraction = rest[9:j]
            if not fraction:
                raise _DateError("invalid character in second fraction")
            micro = int((fraction + "000000")[:6])
            i = j
    tz: dt.tzinfo | None = None
    zone = rest[i:]
    if zone in ("Z", "z"):
        tz = TzInfo(0)
    elif zone:
        match = re.fullmatch(r"([+-])(\d\d):?(\d\d)", zone)
        if not match:
            raise _DateError("unexpected extra characters at the end of the input")
        offset = int(match[2]) * 3600 + int(match[3]) * 60
        tz = TzInfo(offset if match[1] == "+" else -offset)
    if hour > 23:
        raise _DateError("hour value is outside expected range of 0-23")
    if minute > 59:
        raise _DateError("minute value is outside expected range of 0-59")
    if second > 59:
        raise _DateError("second value is outside expected range of 0-59")
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz)


class TzInfo(dt.tzinfo):
    """pydantic's fixed-offset time zone, as it prints: ``TzInfo(0)`` is UTC."""

    def __init__(self, seconds: int = 0) -> None:
        self.seconds = seconds

    def utcoffset(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(seconds=self.seconds)

    def dst(self, moment: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, moment: dt.datetime | None) -> str:
        return "UTC" if not self.seconds else str(dt.timezone(self.utcoffset(None)))

    def __repr__(self) -> str:
        return f"TzInfo({self.seconds})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dt.tzinfo) and other.utcoffset(None) == self.utcoffset(None)

    def __hash__(self) -> int:
        return hash(self.seconds)


def _from_timestamp(value: float) -> dt.datetime:
    seconds = value / 1000 if abs(value) > 20_000_000_000 else value  # pydantic reads big numbers as milliseconds
    return dt.datetime(1970, 1, 1, tzinfo=TzInfo(0)) + dt.timedelta(seconds=seconds)


def _datetime(value: Any, loc: Loc) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_timestamp(value)
    if isinstance(value, (str, bytes)):
        try:
            return _parse_datetime(value.decode() if isinstance(value, bytes) else value)
        except _DateError as exc:
            raise _fail(
                "datetime_from_date_parsing", f"Input should be a valid datetime or date, {exc}", value, loc,
                {"error": str(exc)},
            ) from None  # fmt: skip
    raise _fail("datetime_type", "Input should be a valid datetime", value, loc)


def _inexact(value: Any, loc: Loc) -> Invalid:
    return _fail("date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates", value, loc)


def _date(value: Any, loc: Loc) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise _inexact(value, loc)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _from_timestamp(value)
        if moment.time() != dt.time(0):
            raise _inexact(value, loc)
        return moment.date()
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        try:
            moment = _parse_datetime(text)
        except _DateError as exc:
            raise _fail(
                "date_from_datetime_parsing", f"Input should be a valid date or datetime, {exc}", value, loc,
                {"error": str(exc)},
            ) from None  # fmt: skip
        if moment.time() != dt.time(0):
            raise _inexact(value, loc)
        return moment.date()
    raise _fail("date_type", "Input should be a valid date", value, loc)


SCALARS: dict[Any, Callable[[Any, Loc], Any]] = {
    int: _int, float: _float, str: _str, bool: _bool, bytes: _bytes, dt.datetime: _datetime, dt.date: _date,
}  # fmt: skip


# -- choices --------------------------------------------------------------------------------


def _expected(values: Iterable[Any]) -> str:
    """pydantic's list of choices: ``'a', 'b' or 'c'``."""
    shown = [repr(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _enum(cls: type[enum.Enum], value: Any, loc: Loc) -> enum.Enum:
    if isinstance(value, cls):
        return value
    for member in cls:
        if member.value == value and type(value) is not bool:
            return member
    if issubclass(cls, int) and isinstance(value, str):  # an IntEnum takes "1"
        try:
            return cls(_int(value, loc))
        except (Invalid, ValueError):
            pass
    expected = _expected(m.value for m in cls)
    raise _fail("enum", f"Input should be {expected}", value, loc, {"expected": expected})


def _literal(choices: tuple[Any, ...], value: Any, loc: Loc) -> Any:
    for choice in choices:
        if choice == value and type(choice) is type(value):
            return choice
    expected = _expected(choices)
    raise _fail("literal_error", f"Input should be {expected}", value, loc, {"expected": expected})


# -- collections ----------------------------------------------------------------------------


def _items(value: Any, kind: str, loc: Loc) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset)) or type(value).__name__ in ("dict_keys", "dict_values", "deque"):
        return list(value)
    noun = {"list": "list", "set": "set", "frozenset": "frozenset", "tuple": "tuple"}[kind]
    raise _fail(f"{kind}_type", f"Input should be a valid {noun}", value, loc)


def _each(annotation: Any, values: list[Any], loc: Loc) -> list[Any]:
    out: list[Any] = []
    errors: list[Error] = []
    for i, item in enumerate(values):
        try:
            out.append(validate(annotation, item, (*loc, i)))
        except Invalid as exc:
            errors.extend(exc.errors)
    if errors:
        raise Invalid(errors)
    return out


def _tuple(args: tuple[Any, ...], value: Any, loc: Loc) -> tuple[Any, ...]:
    values = _items(value, "tuple", loc)
    if not args or (len(args) == 2 and args[1] is Ellipsis):
        return tuple(_each(args[0] if args else Any, values, loc))
    if args == ((),):
        args = ()
    if len(values) != len(args):
        word = "at least" if len(values) < len(args) else "at most"
        kind = "too_short" if len(values) < len(args) else "too_long"
        n = len(args)
        raise _fail(
            kind, f"Tuple should have {word} {n} item{'s' if n != 1 else ''} after validation, not {len(values)}",
            value, loc, {"field_type": "Tuple", "min_length" if kind == "too_short" else "max_length": n,
                         "actual_length": len(values)},
        )  # fmt: skip
    out: list[Any] = []
    errors: list[Error] = []
    for i, (annotation, item) in enumerate(zip(args, values)):
        try:
            out.append(validate(annotation, item, (*loc, i)))
        except Invalid as exc:
            errors.extend(exc.errors)
    if errors:
        raise Invalid(errors)
    return tuple(out)


def _dict(args: tuple[Any, ...], value: Any, loc: Loc) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _fail("dict_type", "Input should be a valid dictionary", value, loc)
    key_type, value_type = args if len(args) == 2 else (Any, Any)
    out: dict[Any, Any] = {}
    errors: list[Error] = []
    for key, item in value.items():
        try:
            new_key = validate(key_type, key, (*loc, key, "[key]"))
        except Invalid as exc:
            errors.extend(exc.errors)
            continue
        try:
            out[new_key] = validate(value_type, item, (*loc, key))
        except Invalid as exc:
            errors.extend(exc.errors)
    if errors:
        raise Invalid(errors)
    return out


# -- unions -----------------------------------------------------------------------------------


def _label(annotation: Any) -> str:
    """How pydantic names a member of a union in an error's location."""
    if annotation is type(None):
        return "none"
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return f"literal[{_expected(typing.get_args(annotation)).replace(' or ', ',')}]"
    if origin is not None:
        inner = ",".join(_label(a) for a in typing.get_args(annotation))
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return getattr(annotation, "__name__", str(annotation))


def _union(members: tuple[Any, ...], value: Any, loc: Loc) -> Any:
    if value is None and type(None) in members:
        return None
    members = tuple(m for m in members if m is not type(None))
    nullable = len(members) == 1  # Optional[X]: X's errors, at X's place
    for member in members:  # an exact type wins first, as pydantic's smart mode does
        if isinstance(member, type) and type(value) is member:
            return value
    errors: list[Error] = []
    for member in members:
        try:
            return validate(member, value, loc if nullable else (*loc, _label(member)))
        except Invalid as exc:
            errors.extend(exc.errors)
    raise Invalid(errors)


# -- the entry points ---------------------------------------------------------------------------


def validate(annotation: Any, value: Any, loc: Loc) -> Any:
    """`value` converted to `annotation`, or `Invalid` with pydantic's errors."""
    if annotation is Any or annotation is object or annotation is inspect.Parameter.empty:
        return value
    if annotation is None or annotation is type(None):
        if value is None:
            return None
        raise _fail("none_required", "Input should be None", value, loc)
    scalar = SCALARS.get(annotation)
    if scalar is not None:
        return scalar(value, loc)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return validate(args[0], value, loc)
    if origin is typing.Literal:
        return _literal(args, value, loc)
    if origin is typing.Union or origin is types.UnionType:
        return _union(args, value, loc)
    if origin in (list, typing.List) or annotation in (list, typing.List):  # noqa: UP006
        return _each(args[0] if args else Any, _items(value, "list", loc), loc)
    if origin in (set, frozenset) or annotation in (set, frozenset):
        kind = "frozenset" if (origin or annotation) is frozenset else "set"
        items = _each(args[0] if args else Any, _items(value, kind, loc), loc)
        return frozenset(items) if kind == "frozenset" else set(items)
    if origin is tuple or annotation is tuple:
        return _tuple(args, value, loc)
    if origin is dict or annotation is dict:
        return _dict(args, value, loc)
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return _enum(annotation, value, loc)
        if _is_pydantic_model(annotation):
            return _pydantic(annotation, value, loc)
        if isinstance(value, annotation):
            return value
        raise _fail(
            "is_instance_of", f"Input should be an instance of {annotation.__name__}", value, loc,
            {"class": annotation.__name__},
        )  # fmt: skip
    return value  # an annotation we cannot read (a string, a TypeVar, ...): as pydantic, let it through


def _is_pydantic_model(cls: type) -> bool:
    return any(base.__module__.startswith("pydantic") and base.__name__ == "BaseModel" for base in cls.__mro__)


def _pydantic(model: type, value: Any, loc: Loc) -> Any:
    """A pydantic model: pydantic itself validates it (it is importable, or the model could not exist)."""
    import pydantic

    try:
        return pydantic.TypeAdapter(model).validate_python(value)
    except pydantic.ValidationError as exc:
        raise Invalid(
            [Error(e["type"], (*loc, *e["loc"]), e["msg"], e["input"], e.get("ctx")) for e in exc.errors()]
        ) from None


def validate_parameters(fn: Callable[..., Any], parameters: dict[str, Any]) -> tuple[dict[str, Any], list[Error]]:
    """The parameters converted to `fn`'s annotations, and the errors (none if they are valid)."""
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # an annotation that does not resolve: pydantic would refuse the flow; we let it be
        hints = {}
    converted = dict(parameters)
    errors: list[Error] = []
    for name, value in parameters.items():
        try:
            converted[name] = validate(hints.get(name, Any), value, (name,))
        except Invalid as exc:
            errors.extend(exc.errors)
    return converted, errors


def parameter_type_error(errors: list[Error]) -> ParameterTypeError:
    """Prefect's ``ParameterTypeError.from_validation_error``: one line per error."""
    lines = [f"{'.'.join(str(part) for part in error.loc)}: {error.msg}" for error in errors]
    return ParameterTypeError(_msgs.INVALID_PARAMETERS + "\n - ".join(lines))


__all__ = ["Error", "parameter_type_error", "validate", "validate_parameters"]
