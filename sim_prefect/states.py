"""States: what a run is doing, as Prefect 3 models it.

A state is a *type* (one of nine, see `StateType`) plus a *name*. Most states have
the name of their type in title case ("Completed"); a few special ones do not:
`AwaitingRetry` is a SCHEDULED state, `Retrying` is a RUNNING state, and
`TimedOut` is a FAILED state. The factories below mirror `prefect/states.py`.

`str(state)` and `repr(state)` copy `prefect.client.schemas.objects.State`:
``Completed()``, ``TimedOut('...', type=FAILED)`` and
``Failed(message='...', type=FAILED, result=...)``. One deliberate difference:
Prefect's repr shows the ``ResultRecord(...)`` that holds a result; ours
shows the value itself, persisted or not (see PORT.yaml).
"""

from __future__ import annotations

import datetime as _dt
import enum
import sys
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import _msgs
from .current_run import in_async_context
from .exceptions import CancelledError, CancelledRun, CrashedRun, FailedRun, PausedRun, UnfinishedRun

if TYPE_CHECKING:
    import uuid


class StateType(str, enum.Enum):
    """Prefect's nine state types; each value equals its name."""

    SCHEDULED = "SCHEDULED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    CRASHED = "CRASHED"
    PAUSED = "PAUSED"
    CANCELLING = "CANCELLING"

    # Prefect's AutoEnum prints as `StateType.COMPLETED` for both str() and repr().
    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__


TERMINAL_STATES = frozenset(
    {StateType.COMPLETED, StateType.CANCELLED, StateType.FAILED, StateType.CRASHED}
)
# A fixed timestamp for template states: a run gives each state its own when it takes it.
EPOCH = _dt.datetime.fromtimestamp(0, _dt.timezone.utc)


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


@dataclass(repr=False, eq=False, slots=True)
class State:
    """One state of a run. A run moves on by getting a new state; the old ones stay as they were.

    Not frozen: Prefect's states are mutable models too, and frozen dataclasses
    cost five times as much to create (a flow of 10,000 tasks makes 30,000 states).
    """

    type: StateType
    name: str = ""
    message: str | None = None
    timestamp: _dt.datetime = field(default_factory=_utcnow)
    data: Any = None
    scheduled_time: _dt.datetime | None = None
    # The run that owns this state; None for a state the user built. Prefect
    # keeps this in `state_details.task_run_id` / `flow_run_id`.
    run_id: str | None = None
    run_kind: str | None = None  # "flow" or "task" once owned
    flow_run_id: str | None = None  # for a task run's state: its flow run

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.type.value.title()

    def __class_getitem__(cls, item: Any) -> Any:
        """``State[int]`` in an annotation, as Prefect's State is generic in its result."""
        return cls

    # -- the predicates Prefect offers ------------------------------------
    def is_scheduled(self) -> bool:
        return self.type == StateType.SCHEDULED

    def is_pending(self) -> bool:
        return self.type == StateType.PENDING

    def is_running(self) -> bool:
        return self.type == StateType.RUNNING

    def is_completed(self) -> bool:
        return self.type == StateType.COMPLETED

    def is_failed(self) -> bool:
        return self.type == StateType.FAILED

    def is_crashed(self) -> bool:
        return self.type == StateType.CRASHED

    def is_cancelled(self) -> bool:
        return self.type == StateType.CANCELLED

    def is_cancelling(self) -> bool:
        return self.type == StateType.CANCELLING

    def is_paused(self) -> bool:
        return self.type == StateType.PAUSED

    def is_final(self) -> bool:
        return self.type in TERMINAL_STATES

    # -- results ----------------------------------------------------------
    def result(self, raise_on_failure: bool = True, _sync: bool | None = None) -> Any:
        """The run's return value; for a failed run, its exception.

        As Prefect's ``State.result()``: a failed, crashed or cancelled state raises
        its exception when `raise_on_failure`, and otherwise returns its data (the
        exception itself, or the inner state for a flow that returned one).

        Inside an ``async def`` flow or task (or any running event loop outside a
        run), Prefect gives a coroutine instead: ``await state.result()``.
        ``_sync=True`` asks for the value in any case.
        """
        if _sync is None and in_async_context():
            return self.aresult(raise_on_failure)
        return self._result(raise_on_failure)

    async def aresult(self, raise_on_failure: bool = True) -> Any:
        """`result()`, to be awaited."""
        return self._result(raise_on_failure)

    def _result(self, raise_on_failure: bool) -> Any:
        if self.is_paused():
            raise PausedRun("Run is paused, its result is not available.")
        if not self.is_final():
            raise UnfinishedRun(f"Run is in {self.type.value} state, its result is not available.")
        failed = self.is_failed() or self.is_crashed() or self.is_cancelled()
        if raise_on_failure and failed:
            raise state_exception(self)
        if self.data is None and failed:
            return state_exception(self)
        return self.data

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> State:
        """A copy, with the fields in `update` changed (pydantic's ``model_copy``)."""
        return replace(self, **(update or {}))

    def copy(self, *, update: dict[str, Any] | None = None, **unsupported: Any) -> State:
        """pydantic's deprecated ``copy(update=...)``: `model_copy`, with pydantic's warning, as Prefect's State gives."""
        if unsupported:
            raise TypeError(f"State.copy() got unexpected keyword arguments: {', '.join(unsupported)}")
        warnings.warn(_msgs.PYDANTIC_COPY_DEPRECATED, PydanticDeprecatedSince20, stacklevel=2)
        return self.model_copy(update=update)

    @property
    def id(self) -> uuid.UUID:
        """The state's id. Prefect gives each state one, and its state-change event the same id (events
        are made from the states when read: see events/state_changes.py); here it is derived from the run
        and the time, so it costs nothing until read and is the same on every read."""
        return state_id(self.run_id, self.timestamp)

    @property
    def state_details(self) -> StateDetails:
        """Which run owns this state (set once the state is a run's: ``uuid.UUID``s, as Prefect's), and when
        a retry is due."""
        import uuid  # when first read: importing it costs the page's first boot

        run = self.run_id
        flow_run = run if self.run_kind == "flow" else self.flow_run_id
        return StateDetails(
            flow_run_id=uuid.UUID(flow_run) if flow_run else None,
            task_run_id=uuid.UUID(run) if run and self.run_kind == "task" else None,
            scheduled_time=self.scheduled_time,
        )

    # -- how Prefect prints states ----------------------------------------
    def __str__(self) -> str:
        shown: list[str] = []
        if self.message:
            shown.append(repr(self.message))
        if self.type.value.lower() != self.name.lower():
            shown.append(f"type={self.type.value}")
        return f"{self.name}({', '.join(shown)})"

    def __repr__(self) -> str:
        return f"{self.name}(message={self.message!r}, type={self.type.value}, result={self.data!r})"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the event stream and the records use (`final`: the run has ended in it)."""
        return {
            "name": self.name,
            "type": self.type.value,
            "message": self.message,
            "timestamp": self.timestamp.timestamp(),
            "final": self.type in TERMINAL_STATES,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        """A state as `to_dict` wrote it (its result stays where it was made)."""
        stamp = _dt.datetime.fromtimestamp(data["timestamp"], _dt.timezone.utc)
        return cls(StateType(data["type"]), data["name"], data.get("message"), stamp)


class PydanticDeprecatedSince20(DeprecationWarning):
    """pydantic's warning for an API of its version 1 (``copy``), as Prefect's State gives it."""


PydanticDeprecatedSince20.__module__ = "pydantic.warnings"


def state_id(run_id: str | None, timestamp: _dt.datetime) -> uuid.UUID:
    """A state's id (and its event's): a UUID version 7 from the time, the rest from the run and the time."""
    import hashlib  # when first read: importing it costs the page's first boot
    import uuid

    millis = int(timestamp.timestamp() * 1000) & ((1 << 48) - 1)
    rest = int(hashlib.md5(f"{run_id}/{timestamp.isoformat()}".encode(), usedforsecurity=False).hexdigest(), 16)
    n = (millis << 80) | (rest & ((1 << 80) - 1))
    n = (n & ~(0xF000 << 64)) | (7 << 76)  # version 7
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # the RFC 4122 variant
    return uuid.UUID(int=n)


def is_state_iterable(value: Any) -> bool:
    """A non-empty list, tuple or set made only of states (Prefect's rule)."""
    return isinstance(value, (list, tuple, set)) and bool(value) and all(isinstance(v, State) for v in value)


def state_exception(state: State) -> BaseException:
    """The exception a failed, crashed or cancelled state stands for (``get_state_exception``)."""
    if state.is_failed():
        wrapper: type[BaseException] = FailedRun
        default = "Run failed."
    elif state.is_crashed():
        wrapper, default = CrashedRun, "Run crashed."
    elif state.is_cancelled():
        wrapper, default = CancelledRun, "Run cancelled."
    else:
        raise ValueError(f"Expected failed or crashed state got {state!r}.")
    data = state.data
    if data is None:
        return wrapper(state.message or default)
    if isinstance(data, BaseException):
        return data
    if isinstance(data, str):
        return wrapper(data)
    if isinstance(data, State):
        return state_exception(data)
    if is_state_iterable(data):
        for inner in data:
            if inner.is_failed() or inner.is_crashed() or inner.is_cancelled():
                return state_exception(inner)
        raise ValueError("Failed state result was an iterable of states but none were failed.")
    raise TypeError(
        f"Unexpected result for failed state: {data!r} —— "
        f"{type(data).__name__} cannot be resolved into an exception"
    )


@dataclass(frozen=True)
class StateDetails:
    """The ids a state carries (a small part of Prefect's ``StateDetails``)."""

    flow_run_id: uuid.UUID | None = None
    task_run_id: uuid.UUID | None = None
    scheduled_time: _dt.datetime | None = None


# -- factories, as in prefect.states ---------------------------------------


def _make(type_: StateType, name: str | None, kwargs: dict[str, Any]) -> State:
    if name is not None:
        kwargs.setdefault("name", name)
    return State(type=type_, **kwargs)


def Scheduled(**kwargs: Any) -> State:  # noqa: N802 - Prefect's names
    return _make(StateType.SCHEDULED, None, kwargs)


def Pending(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.PENDING, None, kwargs)


def Running(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.RUNNING, None, kwargs)


def Completed(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.COMPLETED, None, kwargs)


def Failed(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.FAILED, None, kwargs)


def Crashed(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.CRASHED, None, kwargs)


def Cancelled(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.CANCELLED, None, kwargs)


def Paused(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.PAUSED, None, kwargs)


def Cancelling(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.CANCELLING, None, kwargs)


def Late(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.SCHEDULED, "Late", kwargs)


def AwaitingRetry(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.SCHEDULED, "AwaitingRetry", kwargs)


def Retrying(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.RUNNING, "Retrying", kwargs)


def TimedOut(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.FAILED, "TimedOut", kwargs)


# -- states from outcomes (prefect/states.py) ---------------------------------------


def format_exception_short(exc: BaseException) -> str:
    """``ValueError: bad value``: the class name without its module, as Prefect writes it."""
    return f"{type(exc).__name__}: {exc}"


def exception_to_failed_state(exc: BaseException, prefix: str) -> State:
    """A run that raised `exc`: ``Failed('{prefix} ValueError: bad value')``."""
    return Failed(message=f"{prefix} {format_exception_short(exc)}", data=exc)


def exception_to_crashed_state(exc: BaseException) -> State:
    """A run stopped by something other than an ordinary exception (Ctrl-C, sys.exit, ...)."""
    if isinstance(exc, CancelledError) or _is_asyncio_cancelled(exc):
        message = "Execution was cancelled by the runtime environment."
    elif isinstance(exc, KeyboardInterrupt):
        message = "Execution was aborted by an interrupt signal."
    elif isinstance(exc, SystemExit):
        message = "Execution was aborted by Python system exit call."
    else:
        message = _msgs.CRASH_MESSAGE.format(exc=format_exception_short(exc))
    return Crashed(message=message, data=exc)


def _is_asyncio_cancelled(exc: BaseException) -> bool:
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(exc, asyncio.CancelledError)


def return_value_to_state(value: Any) -> State:
    """A run's return value becomes its final state, as Prefect decides it.

    A state the user built is used as it is; a non-empty collection of states
    gives a summary (``Failed('1/2 states failed.')``); anything else is
    ``Completed()`` holding the value.
    """
    if isinstance(value, State) and value.run_id is None:
        return value  # a state the user built, e.g. Cancelled(message=...)
    if not (isinstance(value, State) or is_state_iterable(value)):
        return State(StateType.COMPLETED, "Completed", None, EPOCH, value)
    states = [value] if isinstance(value, State) else list(value)
    total = len(states)
    counts = {t: 0 for t in StateType}
    for st in states:
        counts[st.type] += 1
    if counts[StateType.COMPLETED] == total:
        return Completed(message="All states completed.", data=value)
    if counts[StateType.CANCELLED]:
        return Cancelled(message=f"{counts[StateType.CANCELLED]}/{total} states cancelled.", data=value)
    if counts[StateType.PAUSED]:
        return Paused(message=f"{counts[StateType.PAUSED]}/{total} states paused.", data=value)
    failed = counts[StateType.FAILED] + counts[StateType.CRASHED]
    if failed:
        message = _msgs.STATES_FAILED.format(failed=failed, total=total)
    else:
        not_final = sum(1 for st in states if not st.is_final())
        message = f"{not_final}/{total} states are not final."
    return Failed(message=message, data=value)


__all__ = [
    "State",
    "StateType",
    "TERMINAL_STATES",
    "EPOCH",
    "Scheduled",
    "Pending",
    "Running",
    "Completed",
    "Failed",
    "Crashed",
    "Cancelled",
    "Paused",
    "Cancelling",
    "Late",
    "AwaitingRetry",
    "Retrying",
    "TimedOut",
    "is_state_iterable",
    "state_exception",
    "exception_to_crashed_state",
    "exception_to_failed_state",
    "format_exception_short",
    "return_value_to_state",
    "state_id",
]

# Report Prefect's class path (``prefect.client.schemas.objects.State``), as the
# exceptions do; see exceptions.py.
State.__module__ = "prefect.client.schemas.objects"
