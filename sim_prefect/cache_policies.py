"""Cache policies: how a task run's cache key is made (``prefect.cache_policies``).

A task's cache key decides whether a run can reuse a result stored earlier: a
run whose key has a record ends ``Cached(type=COMPLETED)`` without calling its
function. The policies, as in Prefect:

- `INPUTS`: the call's parameters (``INPUTS - "debug"`` leaves one out);
- `TASK_SOURCE`: the task's source code;
- `FLOW_PARAMETERS`: the flow run's parameters;
- `RUN_ID`: the flow run (or, outside a flow, the task run);
- `DEFAULT` = ``INPUTS + TASK_SOURCE + RUN_ID``: a task is reused within a flow run only;
- `NO_CACHE`: no key, never reused.

``+`` combines policies: the key is a hash of each one's key. A key is the md5
of the values dumped as JSON (Prefect's ``hash_objects``), or of their pickle
when JSON cannot hold them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import inspect
import io
import json
import pathlib
import re
import sys
import types
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Any

from .exceptions import HashError

# -- hashing (prefect.utilities.hashing) -----------------------------------------------------


def _json_default(obj: Any) -> Any:
    """Prefect's JSON encoder for the types JSON lacks (``prefect_json_object_encoder``)."""
    if isinstance(obj, BaseException):
        return {"__exc_type__": f"{type(obj).__module__}.{type(obj).__qualname__}", "message": str(obj)}
    if isinstance(obj, io.IOBase):
        return {
            "__class__": f"{type(obj).__module__}.{type(obj).__qualname__}",
            "data": f"<Prefect IOStream Placeholder: type={type(obj).__name__}, repr={obj!r} (original content not read)>",
        }
    return {"__class__": f"{type(obj).__module__}.{type(obj).__qualname__}", "data": _jsonable(obj)}


def _jsonable(obj: Any) -> Any:
    """What pydantic's encoder makes of the common types (a generator is read to its end, as there)."""
    if isinstance(obj, (set, frozenset, types.GeneratorType)):
        return list(obj)
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj).decode()
    if isinstance(obj, (dt.datetime, dt.date, dt.time)):
        return obj.isoformat()
    if isinstance(obj, dt.timedelta):
        return obj.total_seconds()
    if isinstance(obj, (pathlib.PurePath, *_loaded_types(("decimal", "Decimal"), ("uuid", "UUID")))):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "model_dump"):  # a pydantic model
        return obj.model_dump(mode="json")
    raise TypeError(f"Unable to serialize unknown type: {type(obj)}")


_PLAIN_KEY = re.compile(r"^[0-9a-zA-Z_.-]*$")


def _loaded_types(*names: tuple[str, str]) -> tuple[type, ...]:
    """These classes, from modules already imported: an object of a class whose module
    was never imported cannot exist, and importing decimal and uuid here would add
    to the page's first boot."""
    return tuple(getattr(sys.modules[module], name) for module, name in names if module in sys.modules)


# json.dumps(..., sort_keys=True, default=...) would build this encoder on every call of a task.
_JSON = json.JSONEncoder(sort_keys=True, default=_json_default)


def hash_objects(*args: Any, raise_on_failure: bool = False, **kwargs: Any) -> str | None:
    """An md5 of the values: of their JSON, or else of their pickle (Prefect's ``hash_objects``)."""
    import hashlib  # here, not at the top: see _loaded_types

    try:
        text = _JSON.encode((args, kwargs))
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    except Exception as exc:
        json_error = str(exc)
    try:
        import pickle

        return hashlib.md5(pickle.dumps((args, kwargs)), usedforsecurity=False).hexdigest()
    except Exception as exc:
        pickle_error = str(exc)
    if raise_on_failure:
        raise HashError(
            "Unable to create hash - objects could not be serialized.\n"
            f"  JSON error: {json_error}\n"
            f"  Pickle error: {pickle_error}"
        )
    return None


# -- the policies ------------------------------------------------------------------------------


@dataclass
class CachePolicy:
    """Base class of every cache policy."""

    key_storage: Any = None
    isolation_level: Any = None
    lock_manager: Any = None

    @classmethod
    def from_cache_key_fn(cls, cache_key_fn: Callable[[Any, dict[str, Any]], str | None]) -> CacheKeyFnPolicy:
        return CacheKeyFnPolicy(cache_key_fn=cache_key_fn)

    def configure(self, key_storage: Any = None, lock_manager: Any = None, isolation_level: Any = None) -> CachePolicy:
        new = deepcopy(self)
        if key_storage is not None:
            new.key_storage = key_storage
        if lock_manager is not None:
            new.lock_manager = lock_manager
        if isolation_level is not None:
            new.isolation_level = isolation_level
        return new

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        raise NotImplementedError

    def __sub__(self, other: str) -> CachePolicy:
        if not isinstance(other, str):
            raise TypeError("Can only subtract strings from key policies.")
        return self

    def __add__(self, other: CachePolicy) -> CachePolicy:
        if isinstance(other, _None):
            return self
        for attr, what in (("key_storage", "storage locations"), ("isolation_level", "isolation levels"),
                           ("lock_manager", "lock implementations")):  # fmt: skip
            mine, theirs = getattr(self, attr), getattr(other, attr)
            if mine is not None and theirs is not None and mine != theirs:
                raise ValueError(f"Cannot add CachePolicies with different {what}.")
        return CompoundCachePolicy(
            policies=[self, other],
            key_storage=self.key_storage or other.key_storage,
            isolation_level=self.isolation_level or other.isolation_level,
            lock_manager=self.lock_manager or other.lock_manager,
        )


@dataclass
class CacheKeyFnPolicy(CachePolicy):
    """The key is what ``cache_key_fn(context, parameters)`` returns."""

    cache_key_fn: Callable[[Any, dict[str, Any]], str | None] | None = None

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        return self.cache_key_fn(task_ctx, inputs) if self.cache_key_fn else None


@dataclass
class CompoundCachePolicy(CachePolicy):
    """Several policies: the key is a hash of their keys (those that are not None)."""

    policies: list[CachePolicy] = field(default_factory=list)

    def __post_init__(self) -> None:
        flat = [q for p in self.policies for q in (p.policies if isinstance(p, CompoundCachePolicy) else [p])]
        inputs = [p for p in flat if isinstance(p, Inputs)]
        self.policies = [p for p in flat if not isinstance(p, Inputs)]
        if inputs:  # one Inputs policy, last, leaving out everything any of them left out
            self.policies.append(Inputs(exclude=sorted({name for p in inputs for name in p.exclude})))

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        keys = []
        plain = True
        for policy in self.policies:
            key = policy.compute_key(task_ctx=task_ctx, inputs=inputs, flow_parameters=flow_parameters, **kwargs)
            if key is not None:
                keys.append(key)
                plain = plain and type(key) is str and _PLAIN_KEY.match(key) is not None
        if not keys:
            return None
        if plain:
            # hash_objects(*keys) made quicker: the JSON json.dumps would write for these strings
            # (hex digests and ids need no escaping); a task call computes this every time.
            import hashlib

            text = "[[" + ", ".join(f'"{key}"' for key in keys) + "], {}]"
            return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
        return hash_objects(*keys, raise_on_failure=True)

    def __add__(self, other: CachePolicy) -> CachePolicy:
        super().__add__(other)
        policies = [*self.policies, *(other.policies if isinstance(other, CompoundCachePolicy) else [other])]
        return CompoundCachePolicy(
            policies=policies,
            key_storage=self.key_storage or other.key_storage,
            isolation_level=self.isolation_level or other.isolation_level,
            lock_manager=self.lock_manager or other.lock_manager,
        )

    def __sub__(self, other: str) -> CachePolicy:
        if not isinstance(other, str):
            raise TypeError("Can only subtract strings from key policies.")
        if any(isinstance(p, Inputs) for p in self.policies):
            return replace(self, policies=[*self.policies, Inputs(exclude=[other])])
        return self


@dataclass
class _None(CachePolicy):
    """No key: the task is never cached (``NO_CACHE``)."""

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        return None

    def __add__(self, other: CachePolicy) -> CachePolicy:
        return other


@dataclass
class TaskSource(CachePolicy):
    """The key is a hash of the task's source code (its decorator line included)."""

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any] | None, flow_parameters: dict[str, Any] | None, **kwargs: Any) -> str | None:
        if not task_ctx:
            return None
        source = getattr(task_ctx.task, "source_code", None)
        if source is None:  # no source to read (code typed at a prompt): the compiled code instead
            return _hash_text(task_ctx.task.fn.__code__.co_code.hex())
        return _hash_text(source)


@functools.lru_cache(maxsize=256)
def _hash_text(text: str) -> str | None:
    """`hash_objects` of one string, kept: a task's source is hashed on every call of the task."""
    return hash_objects(text, raise_on_failure=True)


@dataclass
class FlowParameters(CachePolicy):
    """The key is a hash of the flow run's parameters."""

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        return hash_objects(flow_parameters, raise_on_failure=True) if flow_parameters else None


@dataclass
class RunId(CachePolicy):
    """The key is the flow run's id (outside a flow, the task run's)."""

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        if not task_ctx:
            return None
        engine_run = getattr(task_ctx, "_run", None)  # our own context: the ids without making a record
        run = engine_run if engine_run is not None else task_ctx.task_run
        return str(run.flow_run_id if run.flow_run_id is not None else run.id)


@dataclass
class Inputs(CachePolicy):
    """The key is a hash of the call's parameters, except those in `exclude`."""

    exclude: list[str] = field(default_factory=list)

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any) -> str | None:
        if not inputs:
            return None
        exclude = self.exclude
        hashed = {key: value for key, value in inputs.items() if key not in exclude} if exclude else inputs
        try:
            return hash_objects(hashed, raise_on_failure=True)
        except HashError as exc:
            raise ValueError(
                f"{exc}\n\n"
                "This often occurs when task inputs contain objects that cannot be cached "
                "like locks, file handles, or other system resources.\n\n"
                "To resolve this, you can:\n"
                "  1. Exclude these arguments by defining a custom `cache_key_fn`\n"
                "  2. Disable caching by passing `cache_policy=NO_CACHE`\n"
            ) from exc

    def __sub__(self, other: str) -> CachePolicy:
        if not isinstance(other, str):
            raise TypeError("Can only subtract strings from key policies.")
        return replace(self, exclude=[*self.exclude, other])


INPUTS = Inputs()
NONE = _None()
NO_CACHE = _None()
TASK_SOURCE = TaskSource()
FLOW_PARAMETERS = FlowParameters()
RUN_ID = RunId()
DEFAULT = INPUTS + TASK_SOURCE + RUN_ID


def default_key(task: Any, run_id: str, inputs: dict[str, Any]) -> str | None:
    """``DEFAULT.compute_key(...)`` for a task run, taken the short way: nearly every task has
    the DEFAULT policy, and a call computes its key every time (Prefect does too)."""
    source = getattr(task, "source_code", None)
    keys = [_hash_text(source if source is not None else task.fn.__code__.co_code.hex()), run_id]
    if inputs:
        keys.append(INPUTS.compute_key(None, inputs, {}))
    if not all(type(key) is str and _PLAIN_KEY.match(key) for key in keys):
        return hash_objects(*keys, raise_on_failure=True)
    import hashlib

    text = "[[" + ", ".join(f'"{key}"' for key in keys) + "], {}]"
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def task_source_code(fn: Callable[..., Any]) -> str | None:
    """What TASK_SOURCE hashes: the function's source, decorators included, read when it is decorated."""
    try:
        return inspect.getsource(fn)
    except (TypeError, OSError):
        return None


for _cls in (CachePolicy, CacheKeyFnPolicy, CompoundCachePolicy, _None, TaskSource, FlowParameters, RunId, Inputs):
    _cls.__module__ = "prefect.cache_policies"

__all__ = [
    "DEFAULT", "FLOW_PARAMETERS", "INPUTS", "NONE", "NO_CACHE", "RUN_ID", "TASK_SOURCE",
    "CacheKeyFnPolicy", "CachePolicy", "CompoundCachePolicy", "FlowParameters", "Inputs", "RunId",
    "TaskSource", "hash_objects",
]  # fmt: skip
