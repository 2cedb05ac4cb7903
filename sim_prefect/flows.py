"""Flows: the `@flow` decorator and the `Flow` object (``prefect.flows``).

As in Prefect, `flow` is an instance of `FlowDecorator`, so an unknown keyword
fails with ``FlowDecorator.__call__() got an unexpected keyword argument``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

from . import names
from .callables import CallShape
from . import task_runners
from .exceptions import not_imitated
from .flow_engine import run_flow, run_flow_async
from .hooks import FLOW_HOOKS, Hook, validate_hooks
from .results import MemoryStore, store_for
from .options import NotSet, Option, complete, from_decorator, merge

P = ParamSpec("P")
R = TypeVar("R")


FLOW_OPTIONS: dict[str, Option] = {
    "name": Option(None, keep="falsy"),
    "version": Option(None, keep="falsy"),
    "flow_run_name": Option(None, keep="falsy"),
    "retries": Option(None),
    "retry_delay_seconds": Option(None),
    "task_runner": Option(None),
    "description": Option(None, keep="falsy"),
    "timeout_seconds": Option(None),
    "validate_parameters": Option(True, attr="should_validate_parameters"),
    "persist_result": Option(None, keep="notset"),
    "result_storage": Option(None, keep="notset"),
    "result_serializer": Option(None, keep="notset"),
    "cache_result_in_memory": Option(True),
    "log_prints": Option(None, keep="notset"),
    "on_completion": Option(None, keep="falsy", attr="on_completion_hooks"),
    "on_failure": Option(None, keep="falsy", attr="on_failure_hooks"),
    "on_cancellation": Option(None, keep="falsy", attr="on_cancellation_hooks"),
    "on_crashed": Option(None, keep="falsy", attr="on_crashed_hooks"),
    "on_running": Option(None, keep="falsy", attr="on_running_hooks"),
}


class Flow(Generic[P, R]):
    """A function made into a flow (``prefect.flows.Flow``): calling it makes a flow run."""

    def __init__(self, fn: Callable[P, R], **options: Any) -> None:
        self.options = complete("Flow", FLOW_OPTIONS, options)
        name = self.options["name"]
        if name is not None and not isinstance(name, str):
            hint = " Perhaps you meant to call it? e.g. '@flow(name=get_flow_run_name())'" if callable(name) else " "
            raise TypeError(f"Expected string for flow parameter 'name'; got {type(name).__name__} instead.{hint}")
        validate_hooks("flow", self.options, FLOW_HOOKS)
        if not callable(fn):
            raise TypeError("'fn' must be callable")
        self.fn = fn
        self.isasync = inspect.iscoroutinefunction(fn)
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise not_imitated("generator flows", "a flow that yields its results")
        self.shape = CallShape(fn)
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", "flow")
        self.__wrapped__ = fn
        self._configure(**self.options)

    def _configure(
        self,
        *,
        name: str | None,
        version: str | None,
        flow_run_name: Any,
        retries: int | None,
        retry_delay_seconds: float | None,
        description: str | None,
        timeout_seconds: float | None,
        validate_parameters: bool,
        log_prints: bool | None,
        task_runner: Any,
        on_completion: list[Hook] | None,
        on_failure: list[Hook] | None,
        on_cancellation: list[Hook] | None,
        on_crashed: list[Hook] | None,
        on_running: list[Hook] | None,
        persist_result: bool | None,
        result_storage: Any,
        result_serializer: Any,
        cache_result_in_memory: bool,
    ) -> None:
        """Derive the flow's attributes from its options, as Prefect's ``Flow.__init__`` does."""
        fn = self.fn
        self.name = name or names.flow_name_from_function(fn.__name__)
        if flow_run_name is not None and not isinstance(flow_run_name, str) and not callable(flow_run_name):
            raise TypeError(
                f"Expected string or callable for 'flow_run_name'; got {type(flow_run_name).__name__} instead."
            )
        self.flow_run_name = flow_run_name
        self.version = version or _source_hash(fn)
        self.retries = retries or 0
        self.retry_delay_seconds = retry_delay_seconds or 0
        self.description = description or inspect.getdoc(fn)
        self.timeout_seconds = float(timeout_seconds) if timeout_seconds else None
        self.should_validate_parameters = validate_parameters
        self.log_prints = log_prints
        self.task_runner = task_runners.resolve(task_runner)
        self.on_completion_hooks = on_completion or []
        self.on_failure_hooks = on_failure or []
        self.on_cancellation_hooks = on_cancellation or []
        self.on_crashed_hooks = on_crashed or []
        self.on_running_hooks = on_running or []
        if persist_result is None and (result_storage is not None or result_serializer is not None):
            persist_result = True
        self.persist_result = persist_result  # tasks inherit it (the flow's own result is not stored here)
        store_for(result_storage, None, MemoryStore())  # a storage block fails loudly now, as in Prefect
        if result_serializer not in (None, "pickle", "json"):
            raise not_imitated("result serializers other than 'pickle' and 'json'", f"{result_serializer!r}")
        self.result_storage = result_storage
        self.result_serializer = result_serializer
        self.cache_result_in_memory = cache_result_in_memory  # results are always kept in memory here

    @property
    def hooks(self) -> dict[str, Iterable[Hook]]:
        return {
            "on_completion": self.on_completion_hooks, "on_failure": self.on_failure_hooks,
            "on_cancellation": self.on_cancellation_hooks, "on_crashed": self.on_crashed_hooks,
            "on_running": self.on_running_hooks,
        }  # fmt: skip

    # -- hooks as decorators: @my_flow.on_failure --------------------------------------------
    def on_completion(self, fn: Hook) -> Hook:
        self.on_completion_hooks.append(fn)
        return fn

    def on_failure(self, fn: Hook) -> Hook:
        self.on_failure_hooks.append(fn)
        return fn

    def on_cancellation(self, fn: Hook) -> Hook:
        self.on_cancellation_hooks.append(fn)
        return fn

    def on_crashed(self, fn: Hook) -> Hook:
        self.on_crashed_hooks.append(fn)
        return fn

    def on_running(self, fn: Hook) -> Hook:
        self.on_running_hooks.append(fn)
        return fn

    def split_parameters(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return self.shape.split(parameters)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Run the flow and return its result (an ``async def`` flow: a coroutine to await)."""
        parameters = self.shape.bind(args, kwargs)
        run = run_flow_async if self.isasync else run_flow
        return run(self, parameters, "state" if return_state else "result")

    def with_options(self, **changes: Any) -> Flow[P, R]:
        """A copy of the flow with some options changed (the others stay as they are)."""
        return Flow(self.fn, **merge("Flow", FLOW_OPTIONS, self, changes))

    def serve(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("flow.serve()", "deployments need a Prefect server")

    def deploy(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("flow.deploy()", "deployments need a Prefect server and a work pool")

    def to_deployment(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("flow.to_deployment()", "deployments need a Prefect server")

    @classmethod
    def from_source(cls, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("Flow.from_source()", "flow code stored remotely")

    def visualize(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("flow.visualize()", "drawing the task graph needs graphviz")


def _source_hash(fn: Callable[..., Any]) -> str | None:
    """Prefect's default flow version: the md5 of the file that defines the flow."""
    try:
        path = inspect.getsourcefile(fn)
        if path is None:
            return None
        with open(path, "rb") as source:
            import hashlib  # when first needed: it costs the page's first boot

            return hashlib.md5(source.read(), usedforsecurity=False).hexdigest()
    except (OSError, TypeError):
        return None  # no file: the REPL, the browser's in-memory code


class FlowDecorator:
    def __call__(
        self,
        __fn: Callable[..., Any] | None = None,
        *,
        name: str | None = None,
        version: str | None = None,
        flow_run_name: str | Callable[[], str] | None = None,
        retries: int | None = None,
        retry_delay_seconds: int | float | None = None,
        task_runner: Any = None,
        description: str | None = None,
        timeout_seconds: int | float | None = None,
        validate_parameters: bool = True,
        persist_result: bool | None = None,
        result_storage: Any = None,
        result_serializer: Any = None,
        cache_result_in_memory: bool = True,
        log_prints: bool | None = None,
        on_completion: list[Any] | None = None,
        on_failure: list[Any] | None = None,
        on_cancellation: list[Any] | None = None,
        on_crashed: list[Any] | None = None,
        on_running: list[Any] | None = None,
    ) -> Any:
        """Turn a function into a flow, bare (``@flow``) or with options."""
        options = from_decorator(FLOW_OPTIONS, locals())
        if __fn is not None:
            return Flow(__fn, **options)
        return lambda fn: Flow(fn, **options)


flow = FlowDecorator()

# `repr()` and tracebacks show Prefect's class path, as in Prefect: <prefect.flows.Flow object at 0x...>.
Flow.__module__ = FlowDecorator.__module__ = "prefect.flows"

__all__ = ["Flow", "flow"]
