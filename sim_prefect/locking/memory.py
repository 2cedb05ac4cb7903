"""Locks kept in memory (``prefect.locking.memory.MemoryLockManager``): one process's locks.

``MemoryLockManager()`` is a singleton, as Prefect's is: every call gives the
same manager, so two transactions that each make one still share their locks.
A transaction that wants a key another holds waits for it: in Prefect its
thread blocks on a ``threading.Lock``; here the wait parks on the session's
scheduler (scheduler.py), so the holder's own waits and the other runs go on
meanwhile, as threads do. A lock's ``hold_timeout`` is measured on the
session's clock. A wait that nothing could ever end (the holder waits for the
waiter) raises instead of hanging, as Prefect's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import _msgs
from ..scheduler import Deadlock
from ..session import session
from .protocol import LockManager


@dataclass
class _Lock:
    holder: str
    expires: float | None  # on the session's clock; None: held until released


class MemoryLockManager(LockManager):
    """Locks on keys, held by named holders, in this process's memory."""

    _instance: MemoryLockManager | None = None
    _initialized = False

    def __new__(cls, *args: Any, **kwargs: Any) -> MemoryLockManager:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __init__(self) -> None:
        if type(self)._initialized:
            return
        self._locks: dict[str, _Lock] = {}
        type(self)._initialized = True

    def _held(self, key: str) -> _Lock | None:
        """The lock on `key`, if one is held and has not lapsed."""
        lock = self._locks.get(key)
        if lock is not None and lock.expires is not None and lock.expires <= session().clock.now():
            del self._locks[key]
            return None
        return lock

    def _wait(self, key: str, holder: str | None, timeout: float | None) -> bool:
        """Wait until `key` is free (or held by `holder`); False if `timeout` seconds pass first."""
        s = session()
        deadline = None if timeout is None else s.clock.now() + timeout
        while True:
            lock = self._held(key)
            if lock is None or lock.holder == holder:
                return True
            if deadline is not None and s.clock.now() >= deadline:
                return False
            wake = min((t for t in (deadline, lock.expires) if t is not None), default=None)
            try:
                s.scheduler.run_until(lambda: self._held(key) is None, wake)
            except Deadlock:
                raise Deadlock(_msgs.LOCK_NEVER_RELEASED.format(key=key)) from None

    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        lock = self._held(key)
        if lock is not None and lock.holder == holder:
            return True
        if lock is not None and not self._wait(key, holder, acquire_timeout):
            return False
        expires = None if hold_timeout is None else session().clock.now() + hold_timeout
        self._locks[key] = _Lock(holder, expires)
        return True

    async def aacquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        """As `acquire_lock`: the wait holds up this coroutine's loop (Prefect waits in a worker thread)."""
        return self.acquire_lock(key, holder, acquire_timeout, hold_timeout)

    def release_lock(self, key: str, holder: str) -> None:
        lock = self._held(key)
        if lock is None or lock.holder != holder:
            raise ValueError(_msgs.LOCK_NOT_HELD.format(holder=holder, key=key))
        del self._locks[key]

    def is_locked(self, key: str) -> bool:
        return self._held(key) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        lock = self._held(key)
        return lock is not None and lock.holder == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return self._held(key) is None or self._wait(key, None, timeout)

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return self.wait_for_lock(key, timeout)


MemoryLockManager.__module__ = "prefect.locking.memory"

__all__ = ["MemoryLockManager"]
