"""States: what a run is doing, as Prefect 3 models it.

A state is a *type* (one of nine, see `StateType`) plus a *name*. Most states have
the name of their type in title case ("Completed"); a few special ones do not:
`AwaitingRetry` is a SCHEDULED state, `Retrying` is a RUNNING state, and
`TimedOut` is a FAILED state. The factories below mirror `prefect/states.py`.

`str(state)` and `repr(state)` copy `prefect.client.schemas.objects.State`:
``Completed()``, ``TimedOut('...', type=FAILED)`` and
``Failed(message='...', type=FAILED, result=...)``. One deliberate difference:
Prefect's repr shows a persisted ``ResultRecord(...)``; ours shows the value
itself, because nothing is persisted here (see PORT.yaml).
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field, replace
from typing import Any

from . import _msgs
from .exceptions import CancelledRun, FailedRun


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


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


@dataclass(frozen=True, repr=False, eq=False)
class State:
    """One state of a run. Frozen: a run moves on by getting a new state."""

    type: StateType
    name: str = ""
    message: str | None = None
    timestamp: _dt.datetime = field(default_factory=_utcnow)
    data: Any = None
    scheduled_time: _dt.datetime | None = None
    # The run that owns this state; None for a state the user built. Prefect
    # keeps this in `state_details.task_run_id` / `flow_run_id`.
    run_id: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.type.value.title())

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
    def result(self, raise_on_failure: bool = True) -> Any:
        """The run's return value; for a failed run, its exception.

        Like Prefect: raise the original exception when `raise_on_failure`,
        otherwise return it.
        """
        if self.is_failed() or self.is_crashed() or self.is_cancelled():
            inner = [d for d in _as_states(self.data) if not d.is_completed()]
            if inner:  # e.g. a flow that returned a failed task's state
                return inner[0].result(raise_on_failure=raise_on_failure)
            exc = self.data if isinstance(self.data, BaseException) else None
            if exc is None:
                cls = CancelledRun if self.is_cancelled() else FailedRun
                exc = cls(self.message or _msgs.RUN_ENDED_WITHOUT_RESULT.format(state=self))
            if raise_on_failure:
                raise exc
            return exc
        return self.data

    def copy(self, **changes: Any) -> State:
        return replace(self, **changes)

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
        """The JSON form used by the event stream."""
        return {
            "name": self.name,
            "type": self.type.value,
            "message": self.message,
            "timestamp": self.timestamp.timestamp(),
        }


def _as_states(data: Any) -> list[State]:
    if isinstance(data, State):
        return [data]
    if isinstance(data, (list, tuple)) and data and all(isinstance(d, State) for d in data):
        return list(data)
    return []


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


def AwaitingRetry(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.SCHEDULED, "AwaitingRetry", kwargs)


def Retrying(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.RUNNING, "Retrying", kwargs)


def TimedOut(**kwargs: Any) -> State:  # noqa: N802
    return _make(StateType.FAILED, "TimedOut", kwargs)


__all__ = [
    "State",
    "StateType",
    "TERMINAL_STATES",
    "Scheduled",
    "Pending",
    "Running",
    "Completed",
    "Failed",
    "Crashed",
    "Cancelled",
    "Paused",
    "AwaitingRetry",
    "Retrying",
    "TimedOut",
]
