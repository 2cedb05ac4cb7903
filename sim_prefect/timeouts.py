"""`timeout_seconds`: stop a run that takes too long, as Prefect does.

Prefect interrupts a synchronous run on the main thread with an alarm signal
(``prefect/_internal/concurrency/cancellation.py``): when the time is up, the
signal handler raises ``CancelledError`` inside the running code, and the
timeout scope turns it into ``TaskRunTimeoutError`` / ``FlowRunTimeoutError``
("Scope timed out after 1.0 second(s)."), raised while handling the first one,
so a traceback shows both.

`Timeout` does the same where it can (CPython, main thread, ``signal.setitimer``).
Where it cannot (Pyodide has no alarm signals, or a thread other than the main
one), it measures instead: the code runs to its end, and if it took too long the
same TimeoutError is raised afterwards, without the CancelledError before it
(a deviation listed in PORT.yaml).

The wait is real time. Under the virtual clock, a timeout that fires moves
simulated time on by exactly the timeout, so deterministic output stays
deterministic.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
from types import TracebackType

from . import _msgs
from .clock import Clock, VirtualClock
from .exceptions import CancelledError
from .session import session


def alarms_available() -> bool:
    """Can a running call be interrupted here (alarm signal, main thread)?"""
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and sys.platform != "emscripten"
        and threading.current_thread() is threading.main_thread()
    )


class Timeout:
    """``with Timeout(seconds, TaskRunTimeoutError, clock): ...``; no limit when seconds is None.

    A plain class, not a generator context manager: its frames are sim_prefect's
    own and stay out of the learner's tracebacks.
    """

    def __init__(self, seconds: float | None, error: type[TimeoutError], clock: Clock) -> None:
        self.seconds = seconds
        self.error = error
        self.clock = clock
        self._alarm = False
        self._started = 0.0
        self._previous_handler: object = None
        self._previous_timer: tuple[float, float] = (0.0, 0.0)
        self._outer_first = False

    def _on_alarm(self, signum: int, frame: object) -> None:
        raise CancelledError()

    def __enter__(self) -> Timeout:
        if self.seconds is None:
            return self
        self._started = time.perf_counter()
        self._alarm = alarms_available()
        if self._alarm:
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            # One timer per process: an outer scope that ends sooner keeps its deadline.
            outer = signal.getitimer(signal.ITIMER_REAL)[0]
            self._outer_first = 0 < outer < self.seconds
            limit = outer if self._outer_first else self.seconds
            self._previous_timer = signal.setitimer(signal.ITIMER_REAL, limit)
        return self

    def _restore(self, outer_fired: bool) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous_handler)  # type: ignore[arg-type]
        remaining, interval = self._previous_timer
        if remaining > 0 and not outer_fired:  # an outer scope's timer: give it back what is left
            elapsed = time.perf_counter() - self._started
            signal.setitimer(signal.ITIMER_REAL, max(remaining - elapsed, 1e-6), interval)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.seconds is None:
            return
        if self._alarm:
            cancelled = isinstance(exc, CancelledError)
            self._restore(outer_fired=cancelled and self._outer_first)
            if cancelled and not self._outer_first:
                self._timed_out()
            return  # the outer scope's deadline: its CancelledError goes on up to it
        if exc is None and time.perf_counter() - self._started > self.seconds:
            self._timed_out()

    def _timed_out(self) -> None:
        if isinstance(self.clock, VirtualClock):
            self.clock.sleep(self.seconds or 0.0)
        raise self.error(_msgs.SCOPE_TIMED_OUT.format(timeout=self.seconds))


class AsyncTimeout:
    """``async with AsyncTimeout(seconds, TaskRunTimeoutError): ...``: the async form, cooperative.

    When time is up the awaiting task is cancelled, as Prefect's anyio cancel
    scope does: the user's ``await`` raises ``asyncio.CancelledError``, which
    becomes Prefect's CancelledError and then the run's TimeoutError, so the
    traceback shows all three. Blocking code is not interrupted (nor is it in
    Prefect). On the session's clock loop the deadline is in clock time.
    """

    def __init__(self, seconds: float | None, error: type[TimeoutError]) -> None:
        self.seconds = seconds
        self.error = error
        self.expired = False

    async def __aenter__(self) -> AsyncTimeout:
        if self.seconds is not None:
            self.task = asyncio.current_task()
            self.handle = asyncio.get_running_loop().call_later(self.seconds, self._expire)
        return self

    def _expire(self) -> None:
        self.expired = True
        assert self.task is not None
        scope = session().rng.getrandbits(44) | 1 << 44  # an address-like id, from the session's (seeded) generator
        self.task.cancel(msg=f"Cancelled via cancel scope {scope:x}; reason: deadline exceeded")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.seconds is None:
            return
        self.handle.cancel()
        if self.expired and isinstance(exc, asyncio.CancelledError):
            assert self.task is not None
            self.task.uncancel()
            try:
                raise CancelledError() from exc
            except CancelledError:
                raise self.error(_msgs.SCOPE_TIMED_OUT.format(timeout=self.seconds))  # noqa: B904 - chained as Prefect's


__all__ = ["AsyncTimeout", "Timeout", "alarms_available"]
