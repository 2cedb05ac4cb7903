"""State change hooks: functions Prefect calls when a run enters a state.

A task's hooks are called ``hook(task, task_run, state)``, a flow's
``hook(flow, flow_run, state)``. Each run picks one list for a state (Prefect's
``call_hooks``): failed, completed, crashed (flows), running, in that order of
preference. Around each hook the run logs

    Running hook 'notify' in response to entering state 'Failed'
    Hook 'notify' finished running successfully

or, when the hook raises, ``An error was encountered while running hook
'notify'`` with the traceback; the run goes on either way. A hook that returns
a coroutine (an ``async def`` hook) is run to its end before the next one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import _msgs
from .asyncutils import run_coro_as_sync
from .states import State

Hook = Callable[..., Any]
# The hook lists each kind of run has, in the order Prefect validates them.
TASK_HOOKS = ("on_completion", "on_failure", "on_running")
FLOW_HOOKS = ("on_completion", "on_failure", "on_cancellation", "on_crashed", "on_running")


def validate_hooks(kind: str, options: dict[str, Any], names: Sequence[str]) -> None:
    """Prefect's checks at decoration time: a list (any iterable) of callables for each hook option."""
    for name in names:
        hooks = options.get(name)
        if hooks is None:
            continue
        example = dict(decorator=kind, option=name)
        try:
            items = list(hooks)
        except TypeError:
            raise TypeError(_msgs.HOOKS_NOT_ITERABLE.format(type=type(hooks).__name__, **example)) from None
        for hook in items:
            if not callable(hook):
                raise TypeError(_msgs.HOOK_NOT_CALLABLE.format(type=type(hook).__name__, **example))


def get_hook_name(hook: Hook) -> str:
    """The name Prefect shows for a hook: its ``__name__``, a partial's function's, or its class's."""
    if hasattr(hook, "__name__"):
        return str(hook.__name__)
    if isinstance(hook, functools.partial):
        return str(hook.func.__name__)  # a partial of an object with no __name__ fails here, as in Prefect
    return type(hook).__name__


def select_hooks(state: State, lists: dict[str, Iterable[Hook]]) -> Iterable[Hook]:
    """The one list of hooks that `state` calls for (Prefect's order of preference)."""
    if state.is_failed() and lists.get("on_failure"):
        return lists["on_failure"]
    if state.is_completed() and lists.get("on_completion"):
        return lists["on_completion"]
    if state.is_cancelling() and lists.get("on_cancellation"):
        return lists["on_cancellation"]
    if state.is_crashed() and lists.get("on_crashed"):
        return lists["on_crashed"]
    if state.is_running() and lists.get("on_running"):
        return lists["on_running"]
    return ()


def call_hooks(
    hooks: Iterable[Hook],
    args: tuple[Any, Any, State],
    log: Callable[..., None],
    handling: BaseException | None = None,
) -> None:
    """Call each hook with `args`, logging through `log(level, message, exc=...)`.

    `handling` is the exception the run is handling when the hooks are called;
    a hook that fails then shows it first in its traceback, as Python chains
    them in Prefect's engine.
    """
    state = args[2]
    for hook in hooks:
        name = get_hook_name(hook)
        try:
            log(logging.INFO, _msgs.HOOK_RUNNING.format(name=name, state=state.name))
            result = hook(*args)
            if asyncio.iscoroutine(result):
                run_coro_as_sync(result)
        except Exception as exc:
            if handling is not None and exc.__context__ is None and exc is not handling:
                exc.__context__ = handling
            log(logging.ERROR, _msgs.HOOK_ERROR.format(name=name), exc=exc)
        else:
            log(logging.INFO, _msgs.HOOK_FINISHED.format(name=name))


__all__ = ["FLOW_HOOKS", "TASK_HOOKS", "call_hooks", "get_hook_name", "select_hooks", "validate_hooks"]
