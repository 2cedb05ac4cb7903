"""``prefect.concurrency.asyncio``: `concurrency` (an async context manager) and `rate_limit`, for async code.

::

    async with concurrency("database", occupy=1):
        await query()

    await rate_limit("rate-limited-api")

The same as `sync` (see its docstring), awaited: while a coroutine waits for
a slot, the others on its event loop go on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from .slots import AcquireConcurrencySlotTimeoutError, Ask, ConcurrencySlotAcquisitionError, aacquire, release


@asynccontextmanager
async def concurrency(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    max_retries: int | None = None,
    lease_duration: float = 300,
    strict: bool = False,
    holder: Any = None,
    raise_on_lease_renewal_failure: bool | None = None,
) -> AsyncIterator[None]:
    """Hold `occupy` slots of each limit in `names` for the length of the block, waiting for them if need be."""
    if not names:
        yield
        return
    names = names if isinstance(names, list) else [names]
    lease = await aacquire(Ask(names, occupy, "concurrency", timeout_seconds, max_retries, lease_duration, strict, holder))
    if lease is None:
        yield
        return
    try:
        yield
    finally:
        release(lease)


async def rate_limit(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
) -> None:
    """Wait until `occupy` slots of each limit in `names` are free, and take them; they decay by themselves."""
    if not names:
        return
    names = names if isinstance(names, list) else [names]
    await aacquire(Ask(names, occupy, "rate_limit", timeout_seconds, None, None, strict))


__all__ = ["AcquireConcurrencySlotTimeoutError", "ConcurrencySlotAcquisitionError", "concurrency", "rate_limit"]
