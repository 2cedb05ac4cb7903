"""Prefect's ``async_dispatch``: one name that is synchronous in sync code and a coroutine in async code.

``Variable.get``, ``Secret.load`` and friends are decorated with it in Prefect
(``prefect/_internal/compatibility/async_dispatch.py``): inside an ``async def``
flow or task, or wherever an event loop runs, the call returns the async
twin's coroutine, which must be awaited; elsewhere it runs at once.
``_sync=True`` forces the synchronous path, ``_sync=False`` the coroutine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .current_run import in_async_context


def async_dispatch(async_impl: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a sync function with its async twin (a function or a classmethod taking the same arguments)."""
    twin: Callable[..., Any] = async_impl.__func__ if isinstance(async_impl, classmethod) else async_impl

    def decorator(sync_fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(sync_fn)
        def dispatch(*args: Any, _sync: bool | None = None, **kwargs: Any) -> Any:
            if _sync is False or (_sync is None and in_async_context()):
                return twin(*args, **kwargs)
            return sync_fn(*args, **kwargs)

        dispatch.aio = twin  # type: ignore[attr-defined]
        return dispatch

    return decorator


__all__ = ["async_dispatch"]
