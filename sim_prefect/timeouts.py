"""`timeout_seconds`: stop a run that takes too long, as Prefect does, thread by thread.

Prefect interrupts a synchronous run in two ways
(``prefect/_internal/concurrency/cancellation.py``):

- **on the main thread** (a flow, or a task called directly) with an alarm
  signal: the handler raises ``CancelledError`` inside the running code, even in
  the middle of ``time.sleep``;
- **in a worker thread** (``.submit()``, ``.map()``) by sending the thread an
  exception, which Python raises at its next bytecode: a busy loop stops at the
  deadline, but a blocking call such as ``time.sleep(3)`` runs to its end first.

Either way the timeout scope turns the ``CancelledError`` into
``TaskRunTimeoutError`` / ``FlowRunTimeoutError`` ("Scope timed out after 1.0
second(s)."), raised while handling it, so a traceback shows both.

Here `Timeout` does the same on the session's clock. A main-thread scope
(`interrupting`) sets the deadline that the learner's ``time.sleep`` honours
(learner_clock.py); with the real clock on CPython's main thread the alarm
signal itself does it. Every scope stops a busy loop at its next line once the
deadline has passed, with a trace function, as the thread's exception would.
If the code ends after the deadline without being stopped, the timeout is
raised then.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from contextvars import ContextVar
from types import FrameType, TracebackType
from typing import Any

from . import _msgs
from .clock import Clock, SystemClock, VirtualClock
from .exceptions import CancelledError
from .session import session

# The nearest deadline of the main-thread scopes around the running code (clock time).
_interrupting: ContextVar[float | None] = ContextVar("sim_prefect_timeout_deadline", default=None)
# In deterministic mode each traced line costs this much simulated time, so a busy loop meets its deadline.
LINE_COST = 1e-6
_OWN_CODE = __file__.rsplit("/", 1)[0]


def interrupting_deadline() -> float | None:
    """The deadline at which the learner's ``time.sleep`` is interrupted here, if any."""
    return _interrupting.get()


def alarms_available() -> bool:
    """Can a running call be interrupted here by an alarm signal (CPython's main thread)?"""
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and sys.platform != "emscripten"
        and threading.current_thread() is threading.main_thread()
    )


class Timeout:
    """``with Timeout(seconds, TaskRunTimeoutError, clock, interrupting=...): ...``; no limit when seconds is None.

    `interrupting`: the run is on Prefect's main thread (a flow, a direct task
    call), where a wait is interrupted at the deadline; otherwise it is in a
    worker thread, where only the next line is. A plain class, not a generator
    context manager: its frames are sim_prefect's own and stay out of the
    learner's tracebacks.
    """

    def __init__(self, seconds: float | None, error: type[TimeoutError], clock: Clock, interrupting: bool = True) -> None:
        self.seconds = seconds
        self.error = error
        self.clock = clock
        self.interrupting = interrupting
        self.deadline = 0.0
        self._alarm = False
        self._started = 0.0
        self._previous_handler: object = None
        self._previous_timer: tuple[float, float] = (0.0, 0.0)
        self._outer_first = False
        self._token: Any = None
        self._watch: _Watch | None = None

    def _on_alarm(self, signum: int, frame: object) -> None:
        raise CancelledError()

    def __enter__(self) -> Timeout:
        if self.seconds is None:
            return self
        self._started = self.clock.now()
        self.deadline = self._started + self.seconds
        self._alarm = self.interrupting and isinstance(self.clock, SystemClock) and alarms_available()
        if self._alarm:
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            # One timer per process: an outer scope that ends sooner keeps its deadline.
            outer = signal.getitimer(signal.ITIMER_REAL)[0]
            self._outer_first = 0 < outer < self.seconds
            limit = outer if self._outer_first else self.seconds
            self._previous_timer = signal.setitimer(signal.ITIMER_REAL, limit)
            return self
        if self.interrupting:
            outer_deadline = _interrupting.get()
            self._token = _interrupting.set(self.deadline if outer_deadline is None else min(outer_deadline, self.deadline))
        self._watch = _Watch(self.deadline, self.clock)
        self._watch.start()
        return self

    def _restore(self, outer_fired: bool) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous_handler)  # type: ignore[arg-type]
        remaining, interval = self._previous_timer
        if remaining > 0 and not outer_fired:  # an outer scope's timer: give it back what is left
            elapsed = self.clock.now() - self._started
            signal.setitimer(signal.ITIMER_REAL, max(remaining - elapsed, 1e-6), interval)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.seconds is None:
            return
        cancelled = isinstance(exc, CancelledError)
        if self._alarm:
            self._restore(outer_fired=cancelled and self._outer_first)
            if cancelled and not self._outer_first:
                self._timed_out()
            return  # the outer scope's deadline: its CancelledError goes on up to it
        assert self._watch is not None
        self._watch.stop()
        if self._token is not None:
            _interrupting.reset(self._token)
        now = self.clock.now()
        # A CancelledError before this scope's deadline was an outer scope's: it goes on up to it.
        if (cancelled and now >= self.deadline - 1e-9) or (exc is None and now > self.deadline):
            self._timed_out()  # (ran to its end past the deadline: a blocking call in a worker thread)

    def _timed_out(self) -> None:
        raise self.error(_msgs.SCOPE_TIMED_OUT.format(timeout=self.seconds))


class _Watch:
    """Stops the learner's code at its next line once the deadline has passed.

    The watches belong to a lane (a thread, or a WebAssembly stack in the page:
    lanes.py): code on another lane is never stopped by them, and scopes inside
    one another on one lane stop the code at the sooner deadline. Python 3.12+
    reports lines through ``sys.monitoring`` (a trace function would walk every
    frame, the parked stacks' too, which Pyodide's stack switching does not
    allow); Python 3.11 has only ``sys.settrace``, which is per thread.
    """

    def __init__(self, deadline: float, clock: Clock) -> None:
        self.deadline = deadline
        self.clock = clock
        self.lane = _lane()

    def start(self) -> None:
        _WATCHES.append(self)
        if len(_WATCHES) == 1:
            _line_events(True)

    def stop(self) -> None:
        _WATCHES.remove(self)
        if not _WATCHES:
            _line_events(False)


_WATCHES: list[_Watch] = []
_TOOL = 4  # sys.monitoring's tool ids 3 and 4 are free for tools like this one


def _lane() -> object:
    """The lane running now (None: the session's first caller, before it ever parked)."""
    return session().scheduler.running_lane


def _on_line(code: Any, line: int) -> Any:
    if code.co_filename.startswith(_OWN_CODE):
        return _DISABLE  # sim_prefect's own lines are never the learner's: stop reporting them
    if not _WATCHES:
        return None
    lane = _lane()
    mine = [w for w in _WATCHES if w.lane is lane]
    if mine:
        clock = mine[0].clock
        if isinstance(clock, VirtualClock):
            clock.charge(LINE_COST)
        if clock.now() >= min(w.deadline for w in mine):
            raise CancelledError()
    return None


if sys.version_info >= (3, 12):
    _monitoring = sys.monitoring
    _DISABLE: Any = _monitoring.DISABLE

    def _line_events(on: bool) -> None:
        if on:
            if _monitoring.get_tool(_TOOL) is None:
                _monitoring.use_tool_id(_TOOL, "sim_prefect timeouts")
                _monitoring.register_callback(_TOOL, _monitoring.events.LINE, _on_line)
            _monitoring.set_events(_TOOL, _monitoring.events.LINE)
        else:
            _monitoring.set_events(_TOOL, 0)

else:  # pragma: no cover - Python 3.11
    _DISABLE = None
    _previous: Any = None

    def _trace(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename.startswith(_OWN_CODE):
            return None
        return _trace_lines

    def _trace_lines(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            _on_line(frame.f_code, frame.f_lineno)
        return _trace_lines

    def _line_events(on: bool) -> None:
        global _previous
        if on:
            _previous = sys.gettrace()
            sys.settrace(_trace)
        elif sys.gettrace() is _trace:
            sys.settrace(_previous)


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


__all__ = ["AsyncTimeout", "Timeout", "alarms_available", "interrupting_deadline"]
