"""Lanes: stacks of execution that can stop in the middle of a call and go on later.

Prefect runs submitted task runs in a thread pool, so a task that sleeps, or
waits for another future, lets the others run meanwhile. sim_prefect keeps
its runs deterministic by letting exactly one lane run at a time: the
scheduler hands a *baton* from lane to lane (`grant` the next, then `wait`),
and decides who goes next from the session's clock. A lane only gives the
baton away at a wait (scheduler.py), never in the middle of user code, so
the output is the same every time, yet waits overlap as Prefect's threads'
do.

Three ways to have a lane, by what the runtime offers:

- `ThreadLanes` (CPython): each lane is a thread, parked on a semaphore.
- `StackLanes` (Pyodide with WebAssembly stack switching, "JSPI", which
  Chromium has and Node has behind ``--experimental-wasm-stack-switching``):
  each lane is a Python call started with ``callPromising``, parked by
  ``run_sync`` on a promise that the next `grant` resolves.
- `NoLanes`: neither (a browser without stack switching, or code not started
  as a promising call). Waits inside submitted runs then run one after another,
  and PORT.yaml says so.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol


class Lane(Protocol):
    """One stack of execution, parked or holding the baton."""

    def wait(self) -> None:
        """Park here until `grant` is called (at once, if it was called already)."""
        ...

    def grant(self) -> None:
        """Let this lane go on once the lane that calls this parks."""
        ...


Body = Callable[[Lane], None]


class ThreadLane:
    """A lane that is a thread, parked on a semaphore."""

    __slots__ = ("_permit", "interrupted")

    def __init__(self) -> None:
        self._permit = threading.Semaphore(0)
        # A signal's exception (Ctrl-C, a timeout's alarm) that reached this lane while
        # it was parked: the scheduler gives it the baton back at once, and it raises then.
        self.interrupted: BaseException | None = None

    def wait(self) -> None:
        pending: BaseException | None = None
        while True:
            try:
                self._permit.acquire()
                break
            except BaseException as exc:  # only the main thread gets signals
                pending = self.interrupted = exc
        self.interrupted = None
        if pending is not None:
            raise pending

    def grant(self) -> None:
        self._permit.release()


class ThreadLanes:
    """Lanes as threads (CPython): the caller's thread is the first lane."""

    available = True

    def main(self) -> ThreadLane:
        return ThreadLane()

    def spawn(self, body: Body) -> ThreadLane:
        lane = ThreadLane()

        def start() -> None:
            lane.wait()  # a new lane runs only once it is given the baton
            body(lane)

        threading.Thread(target=start, name="sim_prefect-lane", daemon=True).start()
        return lane


class StackLane:
    """A lane that is a suspended WebAssembly stack (Pyodide's ``run_sync`` on a promise)."""

    __slots__ = ("_granted", "_resolve", "_keep_resolver", "interrupted")

    def __init__(self, ffi: Any) -> None:
        self._granted = False
        self._resolve: Any = None
        # One proxy for the lane's life: the promise executor that hands us its resolver.
        self._keep_resolver = ffi.create_proxy(self._set_resolver)
        self.interrupted: BaseException | None = None

    def _set_resolver(self, resolve: Any, reject: Any) -> None:
        self._resolve = resolve

    def wait(self) -> None:
        if not self._granted:
            import js  # type: ignore[import-not-found]  # Pyodide's own module
            from pyodide.ffi import run_sync  # type: ignore[import-not-found]

            run_sync(js.Promise.new(self._keep_resolver))
        self._granted = False

    def grant(self) -> None:
        self._granted = True
        resolve, self._resolve = self._resolve, None
        if resolve is not None:
            resolve()


class StackLanes:
    """Lanes as WebAssembly stacks (Pyodide with stack switching)."""

    available = True

    def __init__(self) -> None:
        import pyodide.ffi  # type: ignore[import-not-found]

        self.ffi = pyodide.ffi

    def main(self) -> StackLane:
        return StackLane(self.ffi)

    def spawn(self, body: Body) -> StackLane:
        lane = StackLane(self.ffi)

        def start() -> None:
            lane.wait()
            body(lane)

        # A promising call runs on a stack of its own once this one parks.
        self.ffi.create_proxy(start).callPromising()
        return lane


class NoLanes:
    """No second stack here: waits in submitted runs take their turns one after another."""

    available = False

    def main(self) -> Lane:
        raise RuntimeError("sim_prefect: no lanes in this runtime")

    def spawn(self, body: Body) -> Lane:
        raise RuntimeError("sim_prefect: no lanes in this runtime")


Lanes = ThreadLanes | StackLanes | NoLanes


def for_this_runtime() -> Lanes:
    """The lanes this Python can have, here and now."""
    if sys.platform == "emscripten":
        try:
            from pyodide.ffi import can_run_sync

            if can_run_sync():  # started as a promising call, on a runtime with stack switching
                return StackLanes()
        except ImportError:
            pass
        return NoLanes()
    return ThreadLanes()


__all__ = ["Lane", "Lanes", "NoLanes", "StackLanes", "ThreadLanes", "for_this_runtime"]
