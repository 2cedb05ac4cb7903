"""Tasks: the `@task` decorator and the `Task` object (``prefect.tasks``).

The decorator and `with_options` take exactly Prefect 3's keyword arguments
(the table `TASK_OPTIONS`), so an unknown one fails with Python's own words,
``TypeError: task() got an unexpected keyword argument ...``, as it does in
Prefect. Every option does what it does in Prefect; the few that need what
sim_prefect leaves out fail with an error that names it (PORT.yaml lists them).
``on_commit`` and ``on_rollback`` hooks, which run when the task run's
transaction commits or rolls back (transactions.py), are given to the
constructor (``Task(fn, on_commit=[...])``) or added with ``@my_task.on_commit``;
as in Prefect, the ``@task(...)`` decorator does not take them.
"""

from __future__ import annotations

import inspect
import io
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from . import _msgs, current_run, names, prefect_settings
from .annotations import BaseAnnotation, NotSet, allow_failure, opaque, quote, unmapped
from .cache_policies import DEFAULT, NO_CACHE, CachePolicy, hash_objects, task_source_code
from .exceptions import MappingLengthMismatch, MappingMissingIterable, not_imitated
from .futures import PrefectConcurrentFuture, PrefectFuture, PrefectFutureList
from .hooks import Hook
from .loggers import emit_logger_log
from .options import Option, OptionTable
from .results import MemoryStore, store_for
from .retries import exponential_backoff
from .runnable import Runnable, check_serializer, decorator_parameter
from .states import State
from .task_engine import TaskRun, run_task, run_task_async, submit_task

P = ParamSpec("P")
R = TypeVar("R")
TASKS_LOGGER = "prefect.tasks"  # what Prefect logs about a task when it is decorated


TASK_OPTIONS = OptionTable("Task", {
    "name": Option(None, keep="falsy"),
    "description": Option(None, keep="falsy"),
    "tags": Option(None),
    "version": Option(None, in_with_options=False),
    "cache_policy": Option(NotSet, keep="notset", from_given=True),
    "cache_key_fn": Option(None, keep="falsy"),
    "cache_expiration": Option(None, keep="falsy"),
    "task_run_name": Option(None, keep="notset"),
    "retries": Option(None, keep="notset"),
    "retry_delay_seconds": Option(None, keep="notset"),
    "retry_jitter_factor": Option(None, keep="notset"),
    "persist_result": Option(None, keep="notset", from_given=True),
    "result_storage": Option(None, keep="notset"),
    "result_storage_key": Option(None, keep="notset"),
    "result_serializer": Option(None, keep="notset"),
    "cache_result_in_memory": Option(True),
    "timeout_seconds": Option(None),
    "log_prints": Option(None, keep="notset", init_default=False),
    "refresh_cache": Option(None, keep="notset"),
    "on_completion": Option(None, keep="falsy", attr="on_completion_hooks"),
    "on_failure": Option(None, keep="falsy", attr="on_failure_hooks"),
    "on_running": Option(None, keep="falsy", attr="on_running_hooks"),
    # Not the decorator's, nor with_options's; a copy keeps the hooks added since (@my_task.on_commit).
    "on_rollback": Option(None, in_decorator=False, in_with_options=False, attr="on_rollback_hooks"),
    "on_commit": Option(None, in_decorator=False, in_with_options=False, attr="on_commit_hooks"),
    "retry_condition_fn": Option(None, keep="falsy"),
    "viz_return_value": Option(None, keep="falsy"),
    "asset_deps": Option(None, keep="falsy"),
})  # fmt: skip


class Task(Runnable[P, R]):
    """A function made into a task (``prefect.tasks.Task``): calling it makes a task run."""

    kind = "task"
    table = TASK_OPTIONS
    hook_names = ("on_completion", "on_failure", "on_running", "on_rollback", "on_commit")
    # Options the engine reads as they were given (set by the table; the derived ones are set below).
    task_run_name: str | Callable[..., str] | None
    retry_jitter_factor: float | None
    retry_condition_fn: Callable[..., Any] | None
    log_prints: bool | None
    cache_key_fn: Callable[..., str | None] | None
    cache_expiration: Any
    refresh_cache: bool | None
    persist_result: bool | None
    result_storage: Any
    result_storage_key: str | None
    result_serializer: Any
    on_completion_hooks: list[Hook]
    on_failure_hooks: list[Hook]
    on_running_hooks: list[Hook]
    on_rollback_hooks: list[Hook]
    on_commit_hooks: list[Hook]

    def _configure(self, o: dict[str, Any]) -> None:
        """Derive the task's attributes from its options, as Prefect's ``Task.__init__`` does."""
        fn = self.fn
        self.name: str = o["name"] or str(getattr(fn, "__name__", type(fn).__name__))
        self.description = o["description"] or inspect.getdoc(fn)
        self.tags = set(o["tags"] or ())
        names.check_run_name_template("task", o["task_run_name"])
        self.retries = o["retries"] or 0
        self.retry_delay_seconds = _delays(o["retry_delay_seconds"], self.retries)
        if o["retry_jitter_factor"] is not None and o["retry_jitter_factor"] < 0:
            raise ValueError("`retry_jitter_factor` must be >= 0.")
        condition = o["retry_condition_fn"]
        if condition is not None and not callable(condition):
            raise TypeError(f"Expected `retry_condition_fn` to be callable, got {type(condition).__name__} instead.")
        self.timeout_seconds = float(o["timeout_seconds"]) if o["timeout_seconds"] else None
        if o["asset_deps"]:
            raise not_imitated("assets", "asset_deps")
        check_serializer(o["result_serializer"])
        # viz_return_value is read by flow.visualize() only, which is not imitated; results are
        # always kept in memory here, whatever cache_result_in_memory says.
        self.source_code = task_source_code(fn)
        # Prefect's: the function's own name (the last part of its qualified name) and a hash of its code.
        qualname = getattr(fn, "__qualname__", self.name).split(".")[-1]
        self.task_key = f"{qualname}-{hash_objects(fn.__code__.co_code.hex())[:8]}"  # type: ignore[index]
        self._configure_caching(o)

    def _configure_caching(self, o: dict[str, Any]) -> None:
        """Which cache policy applies and whether results persist: Prefect's rules, line for line."""
        cache_policy, cache_key_fn, persist_result = o["cache_policy"], o["cache_key_fn"], o["persist_result"]
        result_storage, result_storage_key = o["result_storage"], o["result_storage_key"]
        if prefect_settings.default_no_cache() and cache_policy is NotSet:
            cache_policy = NO_CACHE
        if cache_policy is not NotSet and cache_key_fn is not None:
            emit_logger_log(TASKS_LOGGER, logging.WARNING, _msgs.BOTH_CACHE_OPTIONS.format(task=self))
        if cache_key_fn:
            cache_policy = CachePolicy.from_cache_key_fn(cache_key_fn)
        if persist_result is None and any([
            cache_policy and cache_policy != NO_CACHE and cache_policy is not NotSet,
            cache_key_fn is not None, result_storage_key is not None, result_storage is not None,
            o["result_serializer"] is not None,
        ]):  # fmt: skip
            persist_result = True
        if prefect_settings.disable_caching():
            cache_policy = NO_CACHE
        if persist_result is False:
            self.cache_policy: Any = None if cache_policy is None else NO_CACHE
            if cache_policy and cache_policy is not NotSet and cache_policy != NO_CACHE:
                emit_logger_log(TASKS_LOGGER, logging.WARNING, _msgs.IGNORING_CACHE_POLICY)
        elif cache_policy is NotSet and result_storage_key is None:
            self.cache_policy = DEFAULT
        elif cache_policy != NO_CACHE and result_storage_key:
            self.cache_policy = None  # the storage key is the cache key
        else:
            self.cache_policy = cache_policy
        self.persist_result = persist_result
        store_for(result_storage, getattr(self.cache_policy, "key_storage", None), MemoryStore())  # a block fails now

    def on_commit(self, fn: Hook) -> Hook:
        """Run `fn(transaction)` when the task run's transaction commits (``@my_task.on_commit``)."""
        return self._add_hook("on_commit", fn)

    def on_rollback(self, fn: Hook) -> Hook:
        """Run `fn(transaction)` when the task run's transaction rolls back (``@my_task.on_rollback``)."""
        return self._add_hook("on_rollback", fn)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Run the task now and return its result (an ``async def`` task: a coroutine to await)."""
        parameters = self.shape.bind(args, kwargs)
        run = run_task_async if self.isasync else run_task
        return run(self, parameters, list(wait_for) if wait_for else None, "state" if return_state else "result")

    def submit(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Start a run that goes on while the flow does; returns a future (in a flow only)."""
        parameters = self.shape.bind(args, kwargs)
        if current_run.current_flow_run() is None:
            raise RuntimeError(_msgs.SUBMIT_OUTSIDE_FLOW)
        future: PrefectConcurrentFuture[R] = PrefectConcurrentFuture(self._submit(parameters, wait_for))
        if return_state:
            future.wait()
            return future.state
        return future

    def _submit(self, parameters: dict[str, Any], wait_for: Iterable[Any] | None) -> TaskRun:
        return submit_task(self, parameters, list(wait_for) if wait_for else None)

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
            raise self.shape.bind_error(args, kwargs, exc)
        if current_run.current_flow_run() is None:
            raise RuntimeError(_msgs.MAP_OUTSIDE_FLOW)
        given = {k: _resolve_top_level(v) for k, v in given.items()}
        mapped: dict[str, list[Any]] = {}
        static: dict[str, Any] = {}
        annotated: dict[str, BaseAnnotation[Any]] = {}
        for key, value in given.items():
            if isinstance(value, (allow_failure, opaque, quote)):  # mapped over what they hold, then re-wrapped
                annotated[key] = value
                value = value.unwrap()
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
            for key, annotation in annotated.items():
                call[key] = annotation.rewrap(call[key])
            parameters = self.shape.bind((), call)
            futures.append(PrefectConcurrentFuture(self._submit(parameters, wait_for)))
        if return_state:
            futures.wait()
            return [f.state for f in futures]
        return futures

    def delay(self, *args: Any, **kwargs: Any) -> Any:
        raise not_imitated("background tasks", "task.delay() needs task workers and a server")

    def apply_async(self, *args: Any, **kwargs: Any) -> Any:
        raise not_imitated("background tasks", "task.apply_async() needs task workers and a server")


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
        return value.result(_sync=True)
    return value


def task_input_hash(context: Any, arguments: dict[str, Any]) -> str | None:
    """A cache key from the task and its arguments, for ``cache_key_fn=`` (None if they cannot be hashed)."""
    return hash_objects(context.task.task_key, context.task.fn.__code__.co_code.hex(), arguments)


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


if TYPE_CHECKING:  # the decorator's options, written out for type checkers; a test holds them equal to the table

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
    ) -> Any: ...

else:

    @TASK_OPTIONS.shown_in("decorator", [decorator_parameter()])
    def task(__fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
        """Turn a function into a task, bare (``@task``) or with options (``@task(retries=2)``)."""
        options = TASK_OPTIONS.from_decorator("task", options)
        if __fn is not None:
            return Task(__fn, **options)
        return lambda fn: Task(fn, **options)


# `repr()` and tracebacks show Prefect's class path, as in Prefect: <prefect.tasks.Task object at 0x...>.
Task.__module__ = "prefect.tasks"

__all__ = ["Task", "exponential_backoff", "task", "task_input_hash", "unmapped"]
