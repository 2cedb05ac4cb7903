"""Futures: handles to submitted task runs (``prefect.futures``).

A future does not own a thread. Waiting on it drives the session's scheduler
until the run is done, so the flow body blocks exactly where it would block
with real Prefect. Its result comes from the run's final state, as Prefect's
``PrefectConcurrentFuture.result()`` does.

The classes report Prefect's module (``prefect.futures``), so ``repr(future)``
reads ``<prefect.futures.PrefectConcurrentFuture object at 0x...>`` as there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .states import State

if TYPE_CHECKING:
    from .task_engine import TaskRun

R = TypeVar("R")


class PrefectFuture(Generic[R]):
    """Base class, as in Prefect; `PrefectConcurrentFuture` is what `.submit()` returns."""

    def __init__(self, run: TaskRun) -> None:
        self._run = run

    @property
    def task_run_id(self) -> str:
        return self._run.id

    @property
    def state(self) -> State:
        return self._run.state

    def done(self) -> bool:
        return self._run.done()

    def wait(self, timeout: float | None = None) -> None:
        self._run.session.scheduler.run_until(self._run.done)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> R:
        self.wait(timeout)
        return self._run.state.result(raise_on_failure=raise_on_failure)  # type: ignore[no-any-return]


class PrefectConcurrentFuture(PrefectFuture[R]):
    """What `Task.submit()` returns (Prefect's default task runner gives this type)."""


class PrefectFutureList(list):  # type: ignore[type-arg]
    """What `Task.map()` returns: a list of futures that can be waited on together."""

    def wait(self, timeout: float | None = None) -> None:
        for future in self:
            future.wait(timeout)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> list[Any]:
        self.wait(timeout)
        return [f.result(raise_on_failure=raise_on_failure) for f in self]


@dataclass
class DoneAndNotDoneFutures(Generic[R]):
    done: set[PrefectFuture[R]] = field(default_factory=set)
    not_done: set[PrefectFuture[R]] = field(default_factory=set)


def wait(futures: Iterable[PrefectFuture[R]], timeout: float | None = None) -> DoneAndNotDoneFutures[R]:
    """Wait for all `futures`; return which are done (all of them, without a timeout)."""
    futures = list(futures)
    for future in futures:
        future.wait(timeout)
    return DoneAndNotDoneFutures(
        done={f for f in futures if f.done()}, not_done={f for f in futures if not f.done()}
    )


def collect_upstream(value: Any, found: list[Any]) -> list[Any]:
    """Every future and state inside `value` (through lists, tuples, sets and dicts)."""
    if isinstance(value, (PrefectFuture, State)):
        found.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            collect_upstream(v, found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            collect_upstream(v, found)
    return found


def resolve_inputs(value: Any) -> Any:
    """`value` with each future or state replaced by its result (all upstreams are done)."""
    if isinstance(value, PrefectFuture):
        return value.state.result(raise_on_failure=False)
    if isinstance(value, State):
        return value.result(raise_on_failure=False)
    if isinstance(value, dict):
        return {k: resolve_inputs(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(resolve_inputs(v) for v in value)
    return value


def resolve_futures_to_states(value: Any) -> Any:
    """`value` with each future replaced by its final state (what a flow's return value gets)."""
    if isinstance(value, PrefectFuture):
        value.wait()
        return value.state
    if isinstance(value, dict):
        return {k: resolve_futures_to_states(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) and collect_upstream(value, []):
        return type(value)(resolve_futures_to_states(v) for v in value)
    return value


for _cls in (PrefectFuture, PrefectConcurrentFuture, PrefectFutureList, DoneAndNotDoneFutures):
    _cls.__module__ = "prefect.futures"

__all__ = [
    "DoneAndNotDoneFutures",
    "PrefectConcurrentFuture",
    "PrefectFuture",
    "PrefectFutureList",
    "wait",
]
