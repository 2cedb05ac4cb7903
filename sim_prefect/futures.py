"""Futures: handles to submitted task runs (``prefect.futures``).

A future does not own a thread. Waiting on it drives the session's scheduler
until the run is done (or until a timeout passes on the session's clock), so
the flow body blocks exactly where it would block with real Prefect. Its
result comes from the run's final state, as Prefect's
``PrefectConcurrentFuture.result()`` does.

The classes report Prefect's module (``prefect.futures``), so ``repr(future)``
reads ``<prefect.futures.PrefectConcurrentFuture object at 0x...>`` as there.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from . import _msgs
from .annotations import BaseAnnotation, allow_failure, opaque, quote
from .states import State

if TYPE_CHECKING:
    from .scheduler import Job
    from .task_engine import TaskRun

R = TypeVar("R")


class _WaitTimeoutError(TimeoutError):
    """`as_completed` ran out of time (Prefect's own, to tell it from a task's TimeoutError)."""


def _check_timeout(timeout: float | None) -> None:
    if timeout is not None and timeout < 0:
        raise ValueError(_msgs.NEGATIVE_TIMEOUT.format(timeout=timeout))


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
        """Wait until the run is done, or `timeout` seconds have passed (no error either way)."""
        self._run.session.scheduler.run_until(self._run.done, _deadline(self._run, timeout), jobs_of([self]))

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> R:
        self.wait(timeout)
        if not self.done():
            raise TimeoutError(_msgs.FUTURE_TIMEOUT.format(run_id=self.task_run_id, timeout=timeout))
        if self._run.refused is not None:  # it never started (its tags' slots were refused): Prefect raises why
            raise self._run.refused
        return self._run.state.result(raise_on_failure=raise_on_failure, _sync=True)  # type: ignore[no-any-return]

    def add_done_callback(self, fn: Callable[[PrefectFuture[R]], None]) -> None:
        """Call `fn(future)` once the run is done (at once, if it already is)."""
        self._run.when_done(lambda: fn(self))


class PrefectConcurrentFuture(PrefectFuture[R]):
    """What `Task.submit()` returns (Prefect's default task runner gives this type)."""


def _deadline(run: Any, timeout: float | None) -> float | None:
    return None if timeout is None else run.session.now() + timeout


def all_done(waited: list[Any]) -> Callable[[], bool]:
    """A check that every one of `waited` (futures or runs) is done, in O(1) on average.

    They finish roughly in order: the check moves past the done ones once,
    rather than scanning all of them after every step (quadratic in a map).
    """
    first_pending = 0

    def check() -> bool:
        nonlocal first_pending
        while first_pending < len(waited) and waited[first_pending].done():
            first_pending += 1
        return first_pending == len(waited)

    return check


def jobs_of(futures: Iterable[Any]) -> list[Job]:
    """The scheduler's jobs behind these futures: what a wait for all of them may run on its own stack."""
    return [job for f in futures if isinstance(f, PrefectFuture) and (job := f._run.job_) is not None]


class PrefectFutureList(list):  # type: ignore[type-arg]
    """What `Task.map()` returns: a list of futures that can be waited on together."""

    def wait(self, timeout: float | None = None) -> None:
        wait(self, timeout=timeout)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> list[Any]:
        """Every result, in the list's order; the first failure to *happen* is raised."""
        _check_timeout(timeout)
        results: list[Any] = [None] * len(self)
        places: dict[int, list[int]] = {}
        for i, future in enumerate(self):
            places.setdefault(id(future), []).append(i)
        if timeout is None:
            # Every result is needed: wait for all (cheaper than a wake-up per run), then take
            # them in the order they finished, so that the first failure to happen is raised.
            wait(self)
            finished: Iterable[PrefectFuture[Any]] = sorted(_unique(self), key=lambda f: f.state.timestamp)
        else:
            finished = as_completed(list(self), timeout=timeout)
        try:
            for future in finished:
                value = future.result(raise_on_failure=raise_on_failure)
                for i in places[id(future)]:
                    results[i] = value
        except _WaitTimeoutError as exc:
            raise TimeoutError(_msgs.FUTURE_LIST_TIMEOUT.format(timeout=timeout)) from exc
        return results


class DoneAndNotDoneFutures(NamedTuple, Generic[R]):
    """A named 2-tuple of sets: ``done, not_done = wait(futures)``."""

    done: set[PrefectFuture[R]]
    not_done: set[PrefectFuture[R]]


def _unique(futures: Iterable[PrefectFuture[R]]) -> list[PrefectFuture[R]]:
    """The futures once each, in the order given (Prefect uses a set; a list keeps output deterministic)."""
    return list({id(f): f for f in futures}.values())


def wait(futures: Iterable[PrefectFuture[R]], timeout: float | None = None) -> DoneAndNotDoneFutures[R]:
    """Wait for all `futures`, or until `timeout` seconds have passed; say which are done."""
    _check_timeout(timeout)
    unique = _unique(futures)
    pending = [f for f in unique if not f.done()]
    if pending:
        run = pending[0]._run
        deadline = _deadline(run, timeout)
        run.session.scheduler.run_until(all_done(pending), deadline, jobs_of(pending))
    return DoneAndNotDoneFutures({f for f in unique if f.done()}, {f for f in unique if not f.done()})


def as_completed(
    futures: Iterable[PrefectFuture[R]], timeout: float | None = None
) -> Generator[PrefectFuture[R], None, None]:
    """Yield the futures as their runs finish: the finished ones first, then in the order they finish."""
    _check_timeout(timeout)
    unique = _unique(futures)
    total = len(unique)
    pending = [f for f in unique if not f.done()]
    yield from (f for f in unique if f.done())
    finished: list[PrefectFuture[R]] = []
    for future in pending:
        future.add_done_callback(finished.append)
    deadline = _deadline(pending[0]._run, timeout) if pending else None
    while pending:
        if not finished:
            scheduler = pending[0]._run.session.scheduler
            if not scheduler.run_until(lambda: bool(finished), deadline):
                raise _WaitTimeoutError(_msgs.AS_COMPLETED_TIMEOUT.format(pending=len(pending), total=total))
        future = finished.pop(0)
        pending.remove(future)
        yield future


# -- what a run's inputs and return value hold ---------------------------------------------


def collect_upstream(value: Any, found: list[tuple[Any, bool]], allowed: bool = False) -> list[tuple[Any, bool]]:
    """Every future and state inside `value`, each with whether its failure is allowed.

    Looks through lists, tuples, sets and dicts, as Prefect's ``visit_collection``
    does; `allow_failure(...)` marks what it holds, `quote(...)` hides it.
    """
    if isinstance(value, (PrefectFuture, State)):
        found.append((value, allowed))
    elif isinstance(value, opaque):
        inner = value.unwrap()
        if isinstance(inner, (PrefectFuture, State)):
            found.append((inner, allowed))
    elif isinstance(value, BaseAnnotation):
        if not isinstance(value, quote):
            collect_upstream(value.unwrap(), found, allowed or isinstance(value, allow_failure))
    elif isinstance(value, dict):
        for v in value.values():
            collect_upstream(v, found, allowed)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            collect_upstream(v, found, allowed)
    return found


def has_annotations(value: Any) -> bool:
    """Does `value` hold an annotation (a top-level one, or one in a collection)?"""
    if isinstance(value, BaseAnnotation):
        return True
    if isinstance(value, dict):
        return any(has_annotations(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(has_annotations(v) for v in value)
    return False


def resolve_inputs(value: Any) -> Any:
    """`value` with each future or state replaced by its result and each annotation unwrapped."""
    if isinstance(value, PrefectFuture):
        return value.state.result(raise_on_failure=False, _sync=True)
    if isinstance(value, State):
        return value.result(raise_on_failure=False, _sync=True)
    if isinstance(value, quote):
        return value.unwrap()
    if isinstance(value, opaque):
        inner = value.unwrap()
        return resolve_inputs(inner) if isinstance(inner, (PrefectFuture, State)) else inner
    if isinstance(value, BaseAnnotation):
        return resolve_inputs(value.unwrap())
    if isinstance(value, dict):
        return {k: resolve_inputs(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(resolve_inputs(v) for v in value)
    return value


def _resolve_futures(value: Any, resolve: Callable[[PrefectFuture[Any]], Any]) -> Any:
    if isinstance(value, PrefectFuture):
        return resolve(value)
    if isinstance(value, quote):
        return value
    if isinstance(value, dict):
        return {k: _resolve_futures(v, resolve) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) and any(
        isinstance(f, PrefectFuture) for f, _ in collect_upstream(value, [])
    ):
        cls = list if isinstance(value, PrefectFutureList) else type(value)
        return cls(_resolve_futures(v, resolve) for v in value)
    return value


def resolve_futures_to_states(value: Any) -> Any:
    """`value` with each future replaced by its final state (what a flow's return value gets)."""

    def to_state(future: PrefectFuture[Any]) -> State:
        future.wait()
        return future.state

    return _resolve_futures(value, to_state)


def resolve_futures_to_results(value: Any) -> Any:
    """`value` with each future replaced by its result; every run must have completed."""

    def to_result(future: PrefectFuture[Any]) -> Any:
        future.wait()
        if not future.state.is_completed():
            raise Exception("At least one result did not complete successfully")
        return future.result()

    return _resolve_futures(value, to_result)


for _cls in (PrefectFuture, PrefectConcurrentFuture, PrefectFutureList, DoneAndNotDoneFutures, _WaitTimeoutError):
    _cls.__module__ = "prefect.futures"

__all__ = [
    "DoneAndNotDoneFutures",
    "PrefectConcurrentFuture",
    "PrefectFuture",
    "PrefectFutureList",
    "as_completed",
    "resolve_futures_to_results",
    "resolve_futures_to_states",
    "wait",
]
