"""Tasks: the `@task` decorator and the `Task` object (``prefect.tasks``).

The decorator and `with_options` take exactly Prefect 3's keyword arguments, so
an unknown one fails with Python's own ``TypeError: task() got an unexpected
keyword argument ...``, as it does in Prefect. Options that only matter with a
Prefect server (caching, result storage, hooks) are accepted and ignored; see
PORT.yaml.
"""

from __future__ import annotations

import copy
import inspect
import io
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from . import _msgs, context
from .callables import CallShape
from .engine import TaskRun, run_task
from .exceptions import MappingLengthMismatch, MappingMissingIterable
from .futures import PrefectConcurrentFuture, PrefectFuture, PrefectFutureList
from .retries import exponential_backoff
from .states import State

R = TypeVar("R")


class _NotSet:
    """Marks an option that `with_options` leaves as it was."""


NotSet: Any = _NotSet


class Task(Generic[R]):
    def __init__(
        self,
        fn: Callable[..., R],
        name: str | None = None,
        description: str | None = None,
        tags: Iterable[str] | None = None,
        version: str | None = None,
        cache_policy: Any = NotSet,
        cache_key_fn: Any = None,
        cache_expiration: Any = None,
        task_run_name: str | Callable[..., str] | None = None,
        retries: int | None = None,
        retry_delay_seconds: float | int | list[float] | Callable[[int], list[float]] | None = None,
        retry_jitter_factor: float | None = None,
        persist_result: bool | None = None,
        result_storage: Any = None,
        result_storage_key: str | None = None,
        result_serializer: Any = None,
        cache_result_in_memory: bool = True,
        timeout_seconds: int | float | None = None,
        log_prints: bool | None = None,
        refresh_cache: bool | None = None,
        on_completion: list[Any] | None = None,
        on_failure: list[Any] | None = None,
        on_running: list[Any] | None = None,
        retry_condition_fn: Callable[..., bool] | None = None,
        viz_return_value: Any = None,
        asset_deps: list[Any] | None = None,
    ) -> None:
        if not callable(fn):
            raise TypeError("'fn' must be callable")
        if inspect.iscoroutinefunction(fn):
            raise NotImplementedError(
                "sim_prefect runs synchronous tasks only; remove 'async' to run this here."
            )
        self.fn = fn
        self.shape = CallShape(fn)
        self.name = name or fn.__name__
        self.description = description or inspect.getdoc(fn)
        self.tags = set(tags or ())
        self.version = version
        self.task_run_name = task_run_name
        self.retries = retries or 0
        self.retry_delay_seconds = _delays(retry_delay_seconds, self.retries)
        if retry_jitter_factor is not None and retry_jitter_factor < 0:
            raise ValueError("`retry_jitter_factor` must be >= 0.")
        self.retry_jitter_factor = retry_jitter_factor
        self.retry_condition_fn = retry_condition_fn
        self.timeout_seconds = float(timeout_seconds) if timeout_seconds else None
        self.log_prints = log_prints
        # Accepted for compatibility; they need Prefect's server or result storage.
        self._ignored = dict(
            cache_policy=cache_policy, cache_key_fn=cache_key_fn, cache_expiration=cache_expiration,
            persist_result=persist_result, result_storage=result_storage,
            result_storage_key=result_storage_key, result_serializer=result_serializer,
            cache_result_in_memory=cache_result_in_memory, refresh_cache=refresh_cache,
            on_completion=on_completion, on_failure=on_failure, on_running=on_running,
            viz_return_value=viz_return_value, asset_deps=asset_deps,
        )  # fmt: skip
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", self.name)
        self.__wrapped__ = fn


    def split_parameters(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return self.shape.split(parameters)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        parameters = self.shape.bind(args, kwargs)
        return run_task(self, parameters, list(wait_for) if wait_for else None, "state" if return_state else "result")

    def submit(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Start a run that goes on while the flow does; returns a future (in a flow only)."""
        parameters = self.shape.bind(args, kwargs)
        if context.current_flow_run() is None:
            raise RuntimeError(_msgs.SUBMIT_OUTSIDE_FLOW)
        future: PrefectConcurrentFuture[R] = PrefectConcurrentFuture(self._submit(parameters, wait_for))
        if return_state:
            future.wait()
            return future.state
        return future

    def _submit(self, parameters: dict[str, Any], wait_for: Iterable[Any] | None) -> TaskRun:
        run = TaskRun(self, parameters, list(wait_for) if wait_for else None, submitted=True)
        run.session.scheduler.spawn(run.job())
        return run

    def map(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Submit one run per element of the iterable arguments; others are passed whole.

        As Prefect's task runner does: anything iterable except str and bytes is
        mapped over (dicts by their keys), `unmapped(x)` is passed whole, and
        futures given at the top level are resolved first.
        """
        try:
            given = self.shape.signature.bind_partial(*args, **kwargs).arguments
        except TypeError as exc:
            raise self.shape.bind_error(args, kwargs, exc) from None
        if context.current_flow_run() is None:
            raise RuntimeError(_msgs.MAP_OUTSIDE_FLOW)
        given = {k: _resolve_top_level(v) for k, v in given.items()}
        mapped: dict[str, list[Any]] = {}
        static: dict[str, Any] = {}
        for key, value in given.items():
            if isinstance(value, unmapped):
                static[key] = value.value
            elif _is_iterable(value):
                mapped[key] = list(value)
            else:
                static[key] = value
        if not mapped:
            raise MappingMissingIterable(_msgs.MAP_NO_ITERABLE.format(parameters=given))
        lengths = {key: len(values) for key, values in mapped.items()}
        if len(set(lengths.values())) > 1:
            raise MappingLengthMismatch(_msgs.MAP_LENGTH_MISMATCH.format(lengths=lengths))
        futures = PrefectFutureList()
        for i in range(next(iter(lengths.values()))):
            call = {key: values[i] for key, values in mapped.items()}
            call.update(static)
            parameters = self.shape.bind((), call)
            futures.append(PrefectConcurrentFuture(self._submit(parameters, wait_for)))
        if return_state:
            futures.wait()
            return [f.state for f in futures]
        return futures

    def with_options(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Iterable[str] | None = None,
        cache_policy: Any = NotSet,
        cache_key_fn: Any = None,
        task_run_name: Any = NotSet,
        cache_expiration: Any = None,
        retries: Any = NotSet,
        retry_delay_seconds: Any = NotSet,
        retry_jitter_factor: Any = NotSet,
        persist_result: Any = NotSet,
        result_storage: Any = NotSet,
        result_serializer: Any = NotSet,
        result_storage_key: Any = NotSet,
        cache_result_in_memory: bool | None = None,
        timeout_seconds: int | float | None = None,
        log_prints: Any = NotSet,
        refresh_cache: Any = NotSet,
        on_completion: list[Any] | None = None,
        on_failure: list[Any] | None = None,
        on_running: list[Any] | None = None,
        retry_condition_fn: Callable[..., bool] | None = None,
        viz_return_value: Any = None,
        asset_deps: list[Any] | None = None,
    ) -> Task[R]:
        new = copy.copy(self)
        if name is not None:
            new.name = name
        if description is not None:
            new.description = description
        if tags is not None:
            new.tags = set(tags)
        if task_run_name is not NotSet:
            new.task_run_name = task_run_name
        if retries is not NotSet:
            new.retries = retries or 0
        if retry_delay_seconds is not NotSet:
            new.retry_delay_seconds = _delays(retry_delay_seconds, new.retries)
        if retry_jitter_factor is not NotSet:
            new.retry_jitter_factor = retry_jitter_factor
        if timeout_seconds is not None:
            new.timeout_seconds = float(timeout_seconds)
        if log_prints is not NotSet:
            new.log_prints = log_prints
        if retry_condition_fn is not None:
            new.retry_condition_fn = retry_condition_fn
        return new


class unmapped:  # noqa: N801 - Prefect's name
    """Pass a value whole to every run of `Task.map`."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _is_iterable(value: Any) -> bool:
    """Prefect's `isiterable`: anything `iter()` accepts, except str, bytes and files."""
    try:
        iter(value)
    except TypeError:
        return False
    return not isinstance(value, (str, bytes, io.IOBase))


def _resolve_top_level(value: Any) -> Any:
    if isinstance(value, PrefectFuture):
        return value.result()
    if isinstance(value, State):
        return value.result()
    return value


def _delays(value: Any, retries: int) -> Any:
    """`retry_delay_seconds` as Prefect stores it: a callable is called with `retries`."""
    if value is None:
        return 0
    if callable(value):
        value = value(retries)
    elif not isinstance(value, (list, int, float)):
        raise TypeError(
            "Invalid `retry_delay_seconds` provided; must be an int, float, list or callable. "
            f"Received type {type(value)}"
        )
    if isinstance(value, list) and len(value) > 50:
        raise ValueError("Can not configure more than 50 retry delays per task.")
    return value


def task(
    __fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    tags: Iterable[str] | None = None,
    version: str | None = None,
    cache_policy: Any = NotSet,
    cache_key_fn: Any = None,
    cache_expiration: Any = None,
    task_run_name: str | Callable[..., str] | None = None,
    retries: int | None = None,
    retry_delay_seconds: float | int | list[float] | Callable[[int], list[float]] | None = None,
    retry_jitter_factor: float | None = None,
    persist_result: bool | None = None,
    result_storage: Any = None,
    result_storage_key: str | None = None,
    result_serializer: Any = None,
    cache_result_in_memory: bool = True,
    timeout_seconds: int | float | None = None,
    log_prints: bool | None = None,
    refresh_cache: bool | None = None,
    on_completion: list[Any] | None = None,
    on_failure: list[Any] | None = None,
    on_running: list[Any] | None = None,
    retry_condition_fn: Callable[..., bool] | None = None,
    viz_return_value: Any = None,
    asset_deps: list[Any] | None = None,
) -> Any:
    """Turn a function into a task, bare (``@task``) or with options (``@task(retries=2)``)."""
    options = dict(locals())
    options.pop("__fn")
    if __fn is not None:
        return Task(__fn, **options)
    return lambda fn: Task(fn, **options)


# `repr()` and tracebacks show Prefect's class path, as in Prefect: <prefect.tasks.Task object at 0x...>.
Task.__module__ = "prefect.tasks"

__all__ = ["Task", "task", "exponential_backoff", "unmapped"]
