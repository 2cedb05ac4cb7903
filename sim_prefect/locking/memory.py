"""Locks kept in memory (``prefect.locking.memory.MemoryLockManager``): one process's locks.

``MemoryLockManager()`` is a singleton, as Prefect's is: every call gives the
same manager, so two transactions that each make one still share their locks.
A transaction that wants a key another holds waits for it: in Prefect its
thread blocks on a ``threading.Lock``; here the wait parks on the session's
scheduler (scheduler.py), so the holder's own waits and the other runs go on
meanwhile, as threads do. A lock held in a thread the learner started
(``threading.Thread``, as the docs' examples do at home) goes on by itself:
a wait for it blocks as a thread does. A lock's ``hold_timeout`` is measured
on the session's clock. A wait that nothing could ever end (the holder waits
for the waiter) raises instead of hanging, as Prefect's would.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .. import _msgs
from ..scheduler import Deadlock
from ..session import session
from .protocol import LockManager


@dataclass
class _Lock:
    holder: str
    expires: float | None  # on the session's clock; None: held until released
    thread: int = field(default_factory=threading.get_ident)  # the thread that took it


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
        # Threads the learner started may take and release locks at the same time as the scheduler's runs.
        self._changed = threading.Condition()
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
                if lock.thread == threading.get_ident() or not _alive(lock.thread):
                    raise Deadlock(_msgs.LOCK_NEVER_RELEASED.format(key=key)) from None
                # Held in a thread of the learner's own, which goes on by itself: wait as a thread does.
                with self._changed:
                    if self._held(key) is lock:
                        self._changed.wait(None if wake is None else max(0.0, wake - s.clock.now()))

    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        expires = None if hold_timeout is None else session().clock.now() + hold_timeout
        while True:
            with self._changed:
                lock = self._held(key)
                if lock is None:
                    self._locks[key] = _Lock(holder, expires)
                    return True
                if lock.holder == holder:
                    return True
            if not self._wait(key, holder, acquire_timeout):
                return False

    async def aacquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        """As `acquire_lock`: the wait holds up this coroutine's loop (Prefect waits in a worker thread)."""
        return self.acquire_lock(key, holder, acquire_timeout, hold_timeout)

    def release_lock(self, key: str, holder: str) -> None:
        with self._changed:
            lock = self._held(key)
            if lock is None or lock.holder != holder:
                raise ValueError(_msgs.LOCK_NOT_HELD.format(holder=holder, key=key))
            del self._locks[key]
            self._changed.notify_all()

    def is_locked(self, key: str) -> bool:
        return self._held(key) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        lock = self._held(key)
        return lock is not None and lock.holder == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return self._held(key) is None or self._wait(key, None, timeout)

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return self.wait_for_lock(key, timeout)


def _alive(thread: int) -> bool:
    return any(t.ident == thread for t in threading.enumerate())


MemoryLockManager.__module__ = "prefect.locking.memory"

__all__ = ["MemoryLockManager"]
