"""Flows: the `@flow` decorator and the `Flow` object (``prefect.flows``).

As in Prefect, `flow` is an instance of `FlowDecorator`, so an unknown keyword
fails with ``FlowDecorator.__call__() got an unexpected keyword argument``.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from . import names
from .callables import CallShape
from .engine import run_flow

R = TypeVar("R")


class Flow(Generic[R]):
    def __init__(
        self,
        fn: Callable[..., R],
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
    ) -> None:
        if not callable(fn):
            raise TypeError("'fn' must be callable")
        if inspect.iscoroutinefunction(fn):
            raise NotImplementedError(
                "sim_prefect runs synchronous flows only; remove 'async' to run this here."
            )
        self.fn = fn
        self.shape = CallShape(fn)
        self.name = name or names.flow_name_from_function(fn.__name__)
        self.version = version or _source_hash(fn)
        self.flow_run_name = flow_run_name
        self.retries = retries or 0
        self.retry_delay_seconds = retry_delay_seconds or 0
        self.description = description or inspect.getdoc(fn)
        self.timeout_seconds = float(timeout_seconds) if timeout_seconds else None
        self.log_prints = log_prints
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", self.name)
        self.__wrapped__ = fn


    def split_parameters(self, parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return self.shape.split(parameters)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        parameters = self.shape.bind(args, kwargs)
        return run_flow(self, parameters, "state" if return_state else "result")

    def with_options(
        self,
        *,
        name: str | None = None,
        version: str | None = None,
        retries: int | None = None,
        retry_delay_seconds: int | float | None = None,
        description: str | None = None,
        flow_run_name: str | Callable[[], str] | None = None,
        task_runner: Any = None,
        timeout_seconds: int | float | None = None,
        validate_parameters: bool | None = None,
        persist_result: Any = None,
        result_storage: Any = None,
        result_serializer: Any = None,
        cache_result_in_memory: bool | None = None,
        log_prints: bool | None = None,
        on_completion: list[Any] | None = None,
        on_failure: list[Any] | None = None,
        on_cancellation: list[Any] | None = None,
        on_crashed: list[Any] | None = None,
        on_running: list[Any] | None = None,
    ) -> Flow[R]:
        new = copy.copy(self)
        for key, value in dict(
            name=name, version=version, retries=retries, retry_delay_seconds=retry_delay_seconds,
            description=description, flow_run_name=flow_run_name, log_prints=log_prints,
        ).items():  # fmt: skip
            if value is not None:
                setattr(new, key, value)
        if timeout_seconds is not None:
            new.timeout_seconds = float(timeout_seconds)
        return new

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
        options = dict(locals())
        options.pop("self")
        options.pop("_FlowDecorator__fn")  # `__fn` is name-mangled inside the class
        if __fn is not None:
            return Flow(__fn, **options)
        return lambda fn: Flow(fn, **options)


flow = FlowDecorator()

# `repr()` and tracebacks show Prefect's class path, as in Prefect: <prefect.flows.Flow object at 0x...>.
Flow.__module__ = "prefect.flows"

__all__ = ["Flow", "flow"]
