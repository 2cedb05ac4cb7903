"""Flows: the `@flow` decorator and the `Flow` object (``prefect.flows``).

As in Prefect, `flow` is an instance of `FlowDecorator`, so an unknown keyword
fails with ``FlowDecorator.__call__() got an unexpected keyword argument``.
"""

from __future__ import annotations

import importlib
import inspect
import linecache
from types import ModuleType
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from . import names, task_runners
from .current_run import in_async_context
from .exceptions import not_imitated
from .flow_engine import run_flow, run_flow_async
from .hooks import Hook
from .options import Option, OptionTable
from .results import MemoryStore, store_for
from .runnable import Runnable, check_serializer, decorator_parameter, self_parameter

P = ParamSpec("P")
R = TypeVar("R")


FLOW_OPTIONS = OptionTable("Flow", {
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
})  # fmt: skip


class Flow(Runnable[P, R]):
    """A function made into a flow (``prefect.flows.Flow``): calling it makes a flow run."""

    kind = "flow"
    table = FLOW_OPTIONS
    hook_names = ("on_completion", "on_failure", "on_cancellation", "on_crashed", "on_running")
    # Options the engine reads as they were given (set by the table; the derived ones are set below).
    flow_run_name: str | Callable[..., str] | None
    should_validate_parameters: bool
    persist_result: bool | None
    log_prints: bool | None
    result_storage: Any
    result_serializer: Any
    on_completion_hooks: list[Hook]
    on_failure_hooks: list[Hook]
    on_cancellation_hooks: list[Hook]
    on_crashed_hooks: list[Hook]
    on_running_hooks: list[Hook]

    def __init__(self, fn: Callable[P, R], **options: Any) -> None:
        name = options.get("name")
        if name is not None and not isinstance(name, str):  # Prefect checks the name first of all
            hint = " Perhaps you meant to call it? e.g. '@flow(name=get_flow_run_name())'" if callable(name) else " "
            raise TypeError(f"Expected string for flow parameter 'name'; got {type(name).__name__} instead.{hint}")
        super().__init__(fn, **options)

    def _configure(self, o: dict[str, Any]) -> None:
        """Derive the flow's attributes from its options, as Prefect's ``Flow.__init__`` does."""
        fn = self.fn
        self.name = o["name"] or names.flow_name_from_function(fn.__name__)
        names.check_run_name_template("flow", o["flow_run_name"])
        self.version = o["version"] or _source_hash(fn)
        self.retries = o["retries"] or 0
        self.retry_delay_seconds = o["retry_delay_seconds"] or 0
        self.description = o["description"] or inspect.getdoc(fn)
        self.timeout_seconds = float(o["timeout_seconds"]) if o["timeout_seconds"] else None
        self.task_runner = task_runners.resolve(o["task_runner"])
        if o["persist_result"] is None and (o["result_storage"] is not None or o["result_serializer"] is not None):
            self.persist_result = True  # tasks inherit it (the flow's own result is not stored here)
        store_for(o["result_storage"], None, MemoryStore())  # a storage block fails loudly now, as in Prefect
        check_serializer(o["result_serializer"])
        # Results are always kept in memory here, whatever cache_result_in_memory says.

    def on_cancellation(self, fn: Hook) -> Hook:
        return self._add_hook("on_cancellation", fn)

    def on_crashed(self, fn: Hook) -> Hook:
        return self._add_hook("on_crashed", fn)

    def __call__(
        self, *args: Any, return_state: bool = False, wait_for: Iterable[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Run the flow and return its result (an ``async def`` flow: a coroutine to await)."""
        parameters = self.shape.bind(args, kwargs)
        run = run_flow_async if self.isasync else run_flow
        return run(self, parameters, "state" if return_state else "result")

    # -- deployments: the server-side modules load when first used (runner/, deployments/) -----------
    def serve(
        self,
        name: str | None = None,
        interval: Any = None,
        cron: Any = None,
        rrule: Any = None,
        paused: bool | None = None,
        schedule: Any = None,
        schedules: Any = None,
        global_limit: Any = None,
        triggers: Any = None,
        parameters: dict[str, Any] | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        version: str | None = None,
        enforce_parameter_schema: bool = True,
        pause_on_shutdown: bool = True,
        print_starting_message: bool = True,
        limit: int | None = None,
        webserver: bool = False,
        entrypoint_type: Any = None,
    ) -> None:
        """Make a deployment of this flow and run its runs in this process until stopped (Ctrl-C, Stop)."""
        _server_side("sim_prefect.runner.runner").serve_flow(
            self, name, interval=interval, cron=cron, rrule=rrule, paused=paused, schedule=schedule,
            schedules=schedules, global_limit=global_limit, triggers=triggers, parameters=parameters,
            description=description, tags=tags, version=version, enforce_parameter_schema=enforce_parameter_schema,
            pause_on_shutdown=pause_on_shutdown, print_starting_message=print_starting_message, limit=limit,
            webserver=webserver, entrypoint_type=entrypoint_type,
        )  # fmt: skip

    async def ato_deployment(self, name: str, **options: Any) -> Any:
        """`to_deployment`, to be awaited."""
        return self._to_deployment(name, **options)

    def to_deployment(
        self,
        name: str,
        interval: Any = None,
        cron: Any = None,
        rrule: Any = None,
        paused: bool | None = None,
        schedule: Any = None,
        schedules: Any = None,
        concurrency_limit: Any = None,
        parameters: dict[str, Any] | None = None,
        triggers: Any = None,
        description: str | None = None,
        tags: list[str] | None = None,
        version: str | None = None,
        version_type: Any = None,
        enforce_parameter_schema: bool = True,
        work_pool_name: str | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        entrypoint_type: Any = None,
        _sla: Any = None,
        _sync: bool | None = None,
    ) -> Any:
        """A deployment of this flow (a ``RunnerDeployment``), to serve with ``serve(...)``; in async code, a
        coroutine giving it, as Prefect's."""
        options = dict(
            interval=interval, cron=cron, rrule=rrule, paused=paused, schedule=schedule, schedules=schedules,
            concurrency_limit=concurrency_limit, parameters=parameters, triggers=triggers, description=description,
            tags=tags, version=version, version_type=version_type, enforce_parameter_schema=enforce_parameter_schema,
            work_pool_name=work_pool_name, work_queue_name=work_queue_name, job_variables=job_variables,
            entrypoint_type=entrypoint_type, _sla=_sla,
        )  # fmt: skip
        if _sync is False or (_sync is None and in_async_context()):
            return self.ato_deployment(name, **options)
        return self._to_deployment(name, **options)

    def _to_deployment(self, name: str, **options: Any) -> Any:
        runner = _server_side("sim_prefect.deployments.runner")
        if not name.endswith(".py"):
            _server_side("sim_prefect.server.deployments").check_name(name)
        return runner.RunnerDeployment.from_flow(self, name, **options)

    def deploy(self, *args: Any, **kwargs: Any) -> Any:
        """To a work pool, for a worker to run: not imitated; fails naming the feature, with what to run at home."""
        return _server_side("sim_prefect.runner.runner").deploy_flow(self, *args, **kwargs)

    @classmethod
    def from_source(cls, *args: Any, **kwargs: Any) -> None:
        raise not_imitated(
            "Flow.from_source()", "flow code loaded from a repository or storage; serve the flow from your script instead"
        )

    def visualize(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("flow.visualize()", "drawing the task graph needs graphviz")


def _server_side(module: str) -> ModuleType:
    """A server-side module, loaded when a flow is first served or deployed (as ``LAZY_NAMES`` in __init__):
    a Run that never serves never loads them, so the page's first Run stays quick."""
    return importlib.import_module(module)


def serve(*args: Any, **kwargs: Any) -> None:
    """``prefect.serve`` (also ``prefect.flows.serve``): serve several deployments (runner/runner.py)."""
    _server_side("sim_prefect.runner.runner").serve(*args, **kwargs)


async def aserve(*args: Any, **kwargs: Any) -> None:
    """``prefect.aserve``: `serve` from async code."""
    await _server_side("sim_prefect.runner.runner").aserve(*args, **kwargs)


def _source_hash(fn: Callable[..., Any]) -> str | None:
    """Prefect's default flow version: the md5 of the file that defines the flow (in the page, the code of the
    snippet's file, which the runner keeps in linecache as it would be on disk)."""
    import hashlib  # when first needed: it costs the page's first boot

    try:
        path = inspect.getsourcefile(fn)
        if path is None:
            return None
        with open(path, "rb") as source:
            return hashlib.md5(source.read(), usedforsecurity=False).hexdigest()
    except OSError:
        lines: Any = linecache.cache.get(path or "")  # (size, mtime, lines, fullname), mtime None for in-memory code
        if lines is None or lines[1] is not None:  # no file, and no in-memory code in its place: the REPL
            return None
        return hashlib.md5("".join(lines[2]).encode(), usedforsecurity=False).hexdigest()
    except TypeError:
        return None


class FlowDecorator:
    """``@flow``: Prefect's decorator is an object too, so its errors name ``FlowDecorator.__call__``."""

    if TYPE_CHECKING:  # the decorator's options, written out for type checkers; a test holds them equal to the table

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
        ) -> Any: ...

    else:

        @FLOW_OPTIONS.shown_in("decorator", [self_parameter(), decorator_parameter("_FlowDecorator__fn")])
        def __call__(self, __fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
            """Turn a function into a flow, bare (``@flow``) or with options."""
            options = FLOW_OPTIONS.from_decorator("FlowDecorator.__call__", options)
            if __fn is not None:
                return Flow(__fn, **options)
            return lambda fn: Flow(fn, **options)


flow = FlowDecorator()

# `repr()` and tracebacks show Prefect's class path, as in Prefect: <prefect.flows.Flow object at 0x...>.
Flow.__module__ = FlowDecorator.__module__ = serve.__module__ = aserve.__module__ = "prefect.flows"

__all__ = ["Flow", "aserve", "flow", "serve"]
