"""Calls as Prefect sees them: a `parameters` dict, bound from args and kwargs.

Prefect binds every call of a task or flow to the function's signature (with
defaults applied), keeps the parameters as a dict, and calls the function
from that dict later (``prefect/utilities/callables``). A call that does not
fit fails with Prefect's ``ParameterBindError`` text.

The signature is read once per function; a flow of 10,000 task calls binds
10,000 times.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .exceptions import ParameterBindError


class CallShape:
    """A function's signature, ready to bind calls and to call back from parameters."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.signature = inspect.signature(fn)
        params = list(self.signature.parameters.values())
        # The common case, plain `def f(a, b=1)`: binding is a zip plus defaults.
        self._simple = all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
        self._names = [p.name for p in params]
        self._positions = {name: i for i, name in enumerate(self._names)}
        self._defaults = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}

    def bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The call's parameters, defaults included, in signature order."""
        if self._simple:
            parameters = self._bind_simple(args, kwargs)
            if parameters is not None:
                return parameters
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise self.bind_error(args, kwargs, exc)
        bound.apply_defaults()
        return dict(bound.arguments)

    def bind_error(self, args: tuple[Any, ...], kwargs: dict[str, Any], exc: TypeError) -> ParameterBindError:
        """Prefect's ``ParameterBindError.from_bind_failure`` text."""
        name = self.fn.__name__
        shown = str(self.signature).strip("()")
        return ParameterBindError(
            f"Error binding parameters for function '{name}': {exc}.\n"
            f"Function '{name}' has signature '{shown}' but received args: "
            f"{args} and kwargs: {list(kwargs)}."
        )

    def _bind_simple(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
        """Bind without `inspect` (fast); None if the call needs `inspect`'s checks and errors."""
        names = self._names
        given = len(args)
        if given > len(names):
            return None
        for key in kwargs:
            if key not in self._positions or self._positions[key] < given:
                return None
        parameters = {}
        defaults = self._defaults
        for i, name in enumerate(names):
            if i < given:
                parameters[name] = args[i]
            elif name in kwargs:
                parameters[name] = kwargs[name]
            elif name in defaults:
                parameters[name] = defaults[name]
            else:
                return None
        return parameters

    def split(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Positional and keyword arguments that call the function with `parameters`."""
        if self._simple:
            return (), parameters
        bound = inspect.BoundArguments(self.signature, OrderedDict(parameters))
        return bound.args, bound.kwargs


__all__ = ["CallShape"]
