"""What a lock manager does (``prefect.locking.protocol.LockManager``).

A transaction with ``IsolationLevel.SERIALIZABLE`` takes a lock on its key
through its store's lock manager when it begins, and releases it when it
commits or rolls back; another transaction with the same key waits for it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class LockManager(Protocol):
    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        """Lock `key` for `holder`, waiting up to `acquire_timeout` seconds (forever by default) while another
        holds it; the lock lapses after `hold_timeout` seconds (never by default). False if the wait timed out."""
        ...

    async def aacquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        """`acquire_lock`, as a coroutine."""
        ...

    def release_lock(self, key: str, holder: str) -> None:
        """Release `holder`'s lock on `key` (ValueError if `holder` does not hold it)."""
        ...

    def is_locked(self, key: str) -> bool: ...

    def is_lock_holder(self, key: str, holder: str) -> bool: ...

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Wait until `key` is not locked (up to `timeout` seconds); False if it still is."""
        ...

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """`wait_for_lock`, as a coroutine."""
        ...


LockManager.__module__ = "prefect.locking.protocol"

__all__ = ["LockManager"]
