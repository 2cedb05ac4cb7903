"""``prefect.concurrency.sync``: `concurrency` (a context manager) and `rate_limit`, for synchronous code.

::

    with concurrency("database", occupy=1):   # one of the limit's slots, for the block
        query()

    rate_limit("rate-limited-api")            # wait for a slot of a decaying limit, then go on

The limits are created beforehand (``client.create_global_concurrency_limit``,
or ``prefect gcl create``); one that does not exist is not created: the block
runs without it, after a warning (``strict=True`` raises instead). A wait for
a slot is a wait on the session's clock, so other runs go on meanwhile
(slots.py tells how waiters get their turn).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .slots import AcquireConcurrencySlotTimeoutError, Ask, ConcurrencySlotAcquisitionError, acquire, release


@contextmanager
def concurrency(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    max_retries: int | None = None,
    lease_duration: float = 300,
    strict: bool = False,
    holder: Any = None,
    raise_on_lease_renewal_failure: bool | None = None,
) -> Iterator[None]:
    """Hold `occupy` slots of each limit in `names` for the length of the block, waiting for them if need be.

    The lease is renewed as long as the block runs, so it never lapses here
    (`lease_duration` is checked as Prefect's server checks it: 60 s to a day,
    and renewal never fails, so `raise_on_lease_renewal_failure` has nothing to act on).
    """
    if not names:
        yield
        return
    names = names if isinstance(names, list) else [names]
    lease = acquire(Ask(names, occupy, "concurrency", timeout_seconds, max_retries, lease_duration, strict, holder))
    if lease is None:
        yield
        return
    try:
        yield
    finally:
        release(lease)


def rate_limit(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
) -> None:
    """Wait until `occupy` slots of each limit in `names` are free, and take them; they decay by themselves."""
    if not names:
        return
    names = names if isinstance(names, list) else [names]
    acquire(Ask(names, occupy, "rate_limit", timeout_seconds, None, None, strict))


__all__ = ["AcquireConcurrencySlotTimeoutError", "ConcurrencySlotAcquisitionError", "concurrency", "rate_limit"]
