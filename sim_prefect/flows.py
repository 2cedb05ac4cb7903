"""Flows: the `@flow` decorator and the `Flow` object (``prefect.flows``).

As in Prefect, `flow` is an instance of `FlowDecorator`, so an unknown keyword
fails with ``FlowDecorator.__call__() got an unexpected keyword argument``.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

from . import names
from .callables import CallShape
from .flow_engine import run_flow
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
    "on_completion": Option(None, keep="falsy"),
    "on_failure": Option(None, keep="falsy"),
    "on_cancellation": Option(None, keep="falsy"),
    "on_crashed": Option(None, keep="falsy"),
    "on_running": Option(None, keep="falsy"),
}


class Flow(Generic[P, R]):
    """A function made into a flow (``prefect.flows.Flow``): calling it makes a flow run."""

    def __init__(self, fn: Callable[P, R], **options: Any) -> None:
        if not callable(fn):
            raise TypeError("'fn' must be callable")
        if inspect.iscoroutinefunction(fn):
            raise NotImplementedError(
                "sim_prefect runs synchronous flows only; remove 'async' to run this here."
            )
        self.options = complete("Flow", FLOW_OPTIONS, options)
        self.fn = fn
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
        **later: Any,
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

    def split_parameters(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return self.shape.split(parameters)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        parameters = self.shape.bind(args, kwargs)
        return run_flow(self, parameters, "state" if return_state else "result")

    def with_options(self, **changes: Any) -> Flow[P, R]:
        """A copy of the flow with some options changed (the others stay as they are)."""
        return Flow(self.fn, **merge("Flow", FLOW_OPTIONS, self, changes))

    def serve(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "flow.serve() needs a Prefect server, which cannot run here. With real Prefect, "
            "it creates a deployment; see the lesson's 'Deployments' section."
        )

    def deploy(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "flow.deploy() needs a Prefect server and a work pool, which cannot run here."
        )


def _source_hash(fn: Callable[..., Any]) -> str | None:
    """Prefect's default flow version: the md5 of the file that defines the flow."""
    try:
        path = inspect.getsourcefile(fn)
        if path is None:
            return None
        with open(path, "rb") as source:
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
Flow.__module__ = "prefect.flows"

__all__ = ["Flow", "flow"]
