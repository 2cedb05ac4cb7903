"""asyncio on the session's clock.

``async def`` flows and tasks run on an asyncio event loop, as in Prefect. In
the ``fast`` and ``deterministic`` modes that loop is a `SimEventLoop`: an
ordinary asyncio loop (``asyncio.BaseEventLoop``) whose time is the session's
clock. When it has nothing ready to run it does not block: it moves the clock
on to its next timer, letting the scheduler's submitted runs take their turns
up to then. So ``await asyncio.sleep(10)`` is skipped while the timestamps
show the ten seconds, exactly as a retry delay is, and gathered sleeps
overlap. In the ``real`` mode asyncio's own loop is used and waits are real.

`install_clock_loops()`, called when sim_prefect is imported (``__init__.py``), makes
``asyncio.run()`` (and ``asyncio.new_event_loop()``) create such loops,
through asyncio's event loop policy: the one hook asyncio offers for this.
The policy asks the session for its mode when a loop is made, so
``asyncio.run(my_flow())`` runs on the clock even before the first flow
starts the session. Nothing in asyncio is patched. A loop made while a fast
or deterministic session is current is on that clock whoever asks for it, so
a process that also runs another asyncio program (a test driving a browser)
makes that program's loop while the session is in the real mode.

A loop cannot be entered while another one runs in the same thread, yet
Prefect runs a submitted async task or an async hook to its end from
synchronous code, in a thread with a loop of its own. `run_coro_as_sync` and
`AsyncCall` do the same here on a private loop, without a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

from .scheduler import Deadlock, Outcome, Sleep
from .session import Session
from .session import session as current_session

T = TypeVar("T")
_events = asyncio.events
# Python 3.14 keeps the policy machinery (deprecated for users) under private names.
_BasePolicy: Any = getattr(_events, "_BaseDefaultEventLoopPolicy", None) or getattr(_events, "BaseDefaultEventLoopPolicy")
_get_policy: Any = getattr(_events, "_get_event_loop_policy", None) or getattr(_events, "get_event_loop_policy")
_set_policy: Any = getattr(_events, "_set_event_loop_policy", None) or getattr(_events, "set_event_loop_policy")


@contextlib.contextmanager
def _aside(loop: asyncio.AbstractEventLoop | None = None) -> Iterator[None]:
    """Make `loop` the running loop (None: no loop) for a moment; the running loop and its task step aside.

    Python 3.12+ keeps one current task per thread, so the outer loop's task must
    leave before a task of another loop can run, and come back afterwards.
    """
    outer = _events._get_running_loop()
    task = asyncio.current_task(outer) if outer is not None else None
    if outer is not None and task is not None:
        asyncio.tasks._leave_task(outer, task)
    _events._set_running_loop(loop)
    try:
        yield
    finally:
        _events._set_running_loop(outer)
        if outer is not None and task is not None:
            asyncio.tasks._enter_task(outer, task)


class _ClockSelector:
    """What a `SimEventLoop` waits on: no I/O, only time, which it moves on itself."""

    def __init__(self, loop: SimEventLoop) -> None:
        self.loop = loop
        self.woken = threading.Event()  # a thread called call_soon_threadsafe (CPython only)

    def select(self, timeout: float | None) -> list[Any]:
        loop = self.loop
        if timeout is None:  # nothing ready, no timer: only a thread can wake the loop
            if loop.session.scheduler.idle and not _threads_running():
                raise Deadlock("sim_prefect: the event loop is waiting for something that can never happen")
            loop.session.scheduler.run_until(lambda: True)
            self.woken.wait(0.01)
        elif timeout > 0:
            deadline = loop.time() + timeout
            # Submitted runs take their turns until then, or until one of them wakes the loop (it frees a
            # concurrency slot a coroutine here waits for: call_soon_threadsafe).
            loop.session.scheduler.run_until(self.woken.is_set, deadline)
        self.woken.clear()
        return []

    def close(self) -> None:
        pass


def _threads_running() -> bool:
    return threading.active_count() > 1


class SimEventLoop(asyncio.BaseEventLoop):
    """An asyncio event loop whose time is the session's clock (see the module's docstring)."""

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or current_session()
        self._selector = _ClockSelector(self)
        # Timers within a microsecond are due: the virtual clock counts whole microseconds.
        self._clock_resolution = 1e-6

    def time(self) -> float:
        return self.session.clock.now()

    def _process_events(self, event_list: list[Any]) -> None:
        pass

    def _write_to_self(self) -> None:
        self._selector.woken.set()

    # -- stepping from synchronous code (see AsyncCall) ----------------------------------------
    def run_ready(self) -> None:
        """Run every callback that is ready, and every timer that is due, without moving the clock."""
        with _aside(self):
            while self._ready or self._due_now():  # type: ignore[attr-defined]
                self._run_once()  # type: ignore[attr-defined]

    def _due_now(self) -> bool:
        scheduled = self._scheduled  # type: ignore[attr-defined]
        while scheduled and scheduled[0]._cancelled:
            heapq.heappop(scheduled)._scheduled = False
            self._timer_cancelled_count -= 1  # type: ignore[attr-defined]
        return bool(scheduled) and scheduled[0]._when < self.time() + self._clock_resolution

    def next_timer(self) -> float | None:
        """When the next timer is due, or None."""
        self._due_now()
        scheduled = self._scheduled  # type: ignore[attr-defined]
        return scheduled[0]._when if scheduled else None


class _ClockLoopPolicy(_BasePolicy):  # type: ignore[misc]
    """The policy that was in place, except that new loops run on the session's clock outside the real mode."""

    def __init__(self, previous: Any) -> None:
        super().__init__()
        self.previous = previous

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        current = current_session()
        return self.previous.new_event_loop() if current.mode == "real" else SimEventLoop(current)

    # The loop set for this thread is the previous policy's to keep: Pyodide's policy holds its web loop,
    # which Pyodide itself asks for when a stack waits on a promise (lanes.py).
    def get_event_loop(self) -> asyncio.AbstractEventLoop:
        return self.previous.get_event_loop()  # type: ignore[no-any-return]

    def set_event_loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self.previous.set_event_loop(loop)

    # Python before 3.14 runs subprocesses through the policy's child watcher: the previous policy's.
    def get_child_watcher(self) -> Any:
        return self.previous.get_child_watcher()

    def set_child_watcher(self, watcher: Any) -> None:
        self.previous.set_child_watcher(watcher)


def install_clock_loops() -> None:
    """Put `_ClockLoopPolicy` in front of asyncio's policy (once)."""
    current = _get_policy()
    if not isinstance(current, _ClockLoopPolicy):
        _set_policy(_ClockLoopPolicy(current))


def new_event_loop(session: Session) -> asyncio.AbstractEventLoop:
    """A private loop for sim_prefect's own use: on the clock, except in the real mode."""
    return asyncio.new_event_loop() if session.mode == "real" else SimEventLoop(session)


def run_coro_as_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to its end from synchronous code, even while another loop runs in this thread.

    Prefect does this in a thread of its own; there are no threads in the
    browser, so the running loop steps aside until `coro` is done.
    """
    loop = new_event_loop(current_session())
    with _aside():
        try:
            return loop.run_until_complete(coro)
        finally:
            loop.close()


class AsyncCall:
    """A coroutine that a scheduler job runs step by step on a private loop.

    Each `step()` runs what is ready; when the coroutine waits for time, the
    step returns a `Sleep` so that other runs take their turns meanwhile, as
    submitted async tasks run side by side in Prefect (each in its own thread
    and loop there).
    """

    def __init__(self, coro: Coroutine[Any, Any, Outcome], session: Session) -> None:
        self.session = session
        self.loop = SimEventLoop(session) if session.mode != "real" else None
        if self.loop is None:  # real time: a thread-free wait is a real wait anyway
            self.outcome = run_coro_as_sync(coro)
            return
        with _aside(self.loop):
            self.task = self.loop.create_task(coro)

    def step(self) -> Outcome | Sleep:
        if self.loop is None:
            return self.outcome
        self.loop.run_ready()
        if self.task.done():
            self.loop.close()
            return self.task.result()
        when = self.loop.next_timer()
        if when is None:
            raise Deadlock("sim_prefect: a submitted async task is waiting for something that can never happen")
        return Sleep(max(0.0, when - self.loop.time()))


__all__ = ["AsyncCall", "SimEventLoop", "new_event_loop", "install_clock_loops", "run_coro_as_sync"]
