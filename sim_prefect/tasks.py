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
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from .callables import bind_parameters
from .engine import TaskRun, run_task
from .futures import PrefectConcurrentFuture, PrefectFutureList
from .retries import exponential_backoff

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
        self.name = name or fn.__name__
        self.description = description or inspect.getdoc(fn)
        self.tags = set(tags or ())
        self.version = version
        self.task_run_name = task_run_name
        self.retries = retries or 0
        if callable(retry_delay_seconds):
            retry_delay_seconds = retry_delay_seconds(self.retries)
        if isinstance(retry_delay_seconds, list) and len(retry_delay_seconds) > 50:
            raise ValueError("Can not configure more than 50 retry delays per task.")
        self.retry_delay_seconds = retry_delay_seconds
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

    def __repr__(self) -> str:
        return f"Task(name={self.name!r})"

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        bound = bind_parameters(self.fn, args, kwargs)
        return run_task(self, bound, list(wait_for or ()), "state" if return_state else "result")

    def submit(self, *args: Any, wait_for: Iterable[Any] | None = None, **kwargs: Any) -> PrefectConcurrentFuture[R]:
        bound = bind_parameters(self.fn, args, kwargs)
        run = TaskRun(self, bound, list(wait_for or ()))
        run.session.scheduler.spawn(run.job())
        return PrefectConcurrentFuture(run)

    def map(self, *args: Any, wait_for: Iterable[Any] | None = None, **kwargs: Any) -> PrefectFutureList:
        """Submit one run per element of the iterable arguments; others are passed whole."""
        signature = inspect.signature(self.fn)
        bound = signature.bind_partial(*args, **kwargs)
        mapped = {k: list(v) for k, v in bound.arguments.items() if _is_mappable(v)}
        static = {k: _unwrap(v) for k, v in bound.arguments.items() if k not in mapped}
        if not mapped:
            raise ValueError("No iterable parameters were received. Parameters for map must include at least one iterable.")
        lengths = {len(v) for v in mapped.values()}
        if len(lengths) > 1:
            raise ValueError("Received iterable parameters with different lengths. Parameters for map must all be the same length.")
        futures = PrefectFutureList()
        for i in range(lengths.pop()):
            call = {**static, **{k: v[i] for k, v in mapped.items()}}
            futures.append(self.submit(wait_for=wait_for, **call))
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
            new.retry_delay_seconds = (
                retry_delay_seconds(new.retries) if callable(retry_delay_seconds) else retry_delay_seconds
            )
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


def _is_mappable(value: Any) -> bool:
    if isinstance(value, unmapped):
        return False
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict))


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, unmapped) else value


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


__all__ = ["Task", "task", "exponential_backoff", "unmapped"]
