"""What `Task` and `Flow` share: a function made runnable, its options, and its hooks.

Prefect writes the two classes out separately; here the opening of their
constructors, the hook decorators (``@my_task.on_failure``), `with_options`
and the checks they share live once, and tasks.py and flows.py keep only
what differs: their option tables, how each derives its attributes, and how
a call becomes a run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from .callables import CallShape
from .exceptions import not_imitated
from .hooks import Hook, validate_hooks
from .options import OptionTable

P = ParamSpec("P")
R = TypeVar("R")
Self = TypeVar("Self", bound="Runnable[Any, Any]")

# The serializers a result can be stored with here (Prefect's names for them).
SERIALIZERS = (None, "pickle", "json")


class Runnable(Generic[P, R]):
    """A function made into a task or a flow."""

    kind: ClassVar[str]  # "task" or "flow"
    table: ClassVar[OptionTable]
    hook_names: ClassVar[tuple[str, ...]]  # the options that hold hook lists, in Prefect's order
    options: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each kind's `with_options` shows its own table's options."""
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("table")
        if table is None:
            return

        def with_options(self: Any, **changes: Any) -> Any:
            return type(self)(self.fn, **table.merge(self, changes))

        with_options.__qualname__ = f"{cls.__name__}.with_options"
        with_options.__doc__ = Runnable.with_options.__doc__
        cls.with_options = table.shown_in("with_options", [self_parameter()])(with_options)  # type: ignore[method-assign]

    def __init__(self, fn: Callable[P, R], **options: Any) -> None:
        self.options = self.table.complete(options)
        validate_hooks(self.kind, self.options, self.hook_names)
        if not callable(fn):
            raise TypeError("'fn' must be callable")
        self.fn = fn
        self.isasync = inspect.iscoroutinefunction(fn)
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise not_imitated(f"generator {self.kind}s", f"a {self.kind} that yields its results")
        self.shape = CallShape(fn)
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", self.kind)
        self.__wrapped__ = fn
        self.table.set_attributes(self, self.options)
        for name in self.hook_names:
            setattr(self, f"{name}_hooks", list(self.options[name] or ()))
        self._configure(self.options)

    def _configure(self, options: dict[str, Any]) -> None:
        """Derive the attributes that are more than the option's value, as Prefect's ``__init__`` does."""
        raise NotImplementedError

    def with_options(self: Self, **changes: Any) -> Self:
        """A copy with some options changed (the others stay as they are)."""
        return type(self)(self.fn, **self.table.merge(self, changes))

    @property
    def hooks(self) -> dict[str, Iterable[Hook]]:
        """Each hook option's list of hooks."""
        return {name: getattr(self, f"{name}_hooks") for name in self.hook_names}

    def split_parameters(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return self.shape.split(parameters)

    # -- hooks as decorators: @my_task.on_failure --------------------------------------------
    def _add_hook(self, name: str, fn: Hook) -> Hook:
        getattr(self, f"{name}_hooks").append(fn)
        return fn

    def on_completion(self, fn: Hook) -> Hook:
        return self._add_hook("on_completion", fn)

    def on_failure(self, fn: Hook) -> Hook:
        return self._add_hook("on_failure", fn)

    def on_running(self, fn: Hook) -> Hook:
        return self._add_hook("on_running", fn)


def check_serializer(serializer: Any) -> None:
    """A result serializer this simulator has; any other fails now, naming it."""
    if serializer not in SERIALIZERS:
        raise not_imitated("result serializers other than 'pickle' and 'json'", f"{serializer!r}")


def decorator_parameter(name: str = "__fn") -> inspect.Parameter:
    """The decorated function, as the decorators' signatures show it (inside a class Python mangles ``__fn``)."""
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)


def self_parameter() -> inspect.Parameter:
    return inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)


__all__ = ["Runnable", "check_serializer", "decorator_parameter", "self_parameter"]
