"""Binding call arguments to a function's parameters, with Prefect's error text."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .exceptions import ParameterBindError


def bind_parameters(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> inspect.BoundArguments:
    signature = inspect.signature(fn)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        shown = str(signature)[1:-1]  # drop the parentheses, as Prefect does
        raise ParameterBindError(
            f"Error binding parameters for function '{fn.__name__}': {exc}.\n"
            f"Function '{fn.__name__}' has signature '{shown}' but received args: "
            f"{args} and kwargs: {list(kwargs)}."
        ) from None
    bound.apply_defaults()
    return bound
