"""sim_prefect: Prefect 3's flow/task engine, imitated in pure standard-library Python.

Code written for Prefect runs on it with only the import changed::

    from sim_prefect import flow, task

It prints what Prefect prints (to stderr, in Prefect's format) and records every
run's state history. It runs the same on CPython 3.11+ and on Pyodide, where
real Prefect cannot run: there is no server, no threads, and no real waiting
unless you ask for it. PORT.yaml lists what differs from Prefect and why.

Beyond Prefect's API, four things are the simulator's own:

- `configure(mode=...)`: ``real``, ``fast`` or ``deterministic`` time and names;
- `state_log()`: every run's ordered states (`print_state_log()` prints it);
- `subscribe(fn)`: the structured event stream the page and tests read;
- `install_as_prefect()`: make ``import prefect`` import the simulator, so a
  script written for Prefect runs here unchanged.

The conformance suite (tests/conformance) runs the same scripts on real Prefect
and on sim_prefect and compares what they print and the runs' state histories.
"""

from __future__ import annotations

import importlib
import sys
from typing import IO, Any, Callable

from . import artifacts, cache_policies, futures, runtime, states, tasks
from .aliases import install_as_prefect
from . import learner_clock
from .asyncutils import install_clock_loops
from .annotations import allow_failure, quote, unmapped
from .current_run import tags
from .run_events import Event
from .store import RunRecord
from .exceptions import MissingContextError
from .flows import Flow, aserve, flow, serve
from .formatting import format_state_log
from .loggers import get_run_logger
from .prefect_settings import PREFECT_VERSION
from .session import configure, session
from .states import State
from .tasks import Task, task

# Prefect's top-level names for its server-side features, each loaded from its module when
# first used (PEP 562), so that a Run that never uses them never loads them.
LAZY_NAMES = {
    "get_client": "sim_prefect.client.orchestration",
    "Transaction": "sim_prefect.transactions",
    "deploy": "sim_prefect.deployments.runner",
    "pause_flow_run": "sim_prefect.flow_runs",
    "apause_flow_run": "sim_prefect.flow_runs",
    "suspend_flow_run": "sim_prefect.flow_runs",
    "asuspend_flow_run": "sim_prefect.flow_runs",
    "resume_flow_run": "sim_prefect.flow_runs",
    "aresume_flow_run": "sim_prefect.flow_runs",
}


def __getattr__(name: str) -> Any:
    module = LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'prefect' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


# asyncio.run(my_flow()) makes its loop before the first flow starts a session: on the clock.
install_clock_loops()
# A run's time.sleep waits on the session's scheduler, so that waits overlap as in Prefect's threads.
learner_clock.install()

__version__ = "0.1.0"


def state_log() -> list[RunRecord]:
    """Every run so far in this session, in creation order, with all its states: this process's runs,
    not those of earlier ones that its server kept (the page hands each Run the store of the last)."""
    store = session().store
    return [r for r in store.runs if r.run_id not in store.inherited] if store.inherited else store.runs


def print_state_log(file: IO[str] | None = None) -> None:
    """Print the state log as a compact table (to stdout by default)."""
    print(format_state_log(state_log()), file=file or sys.stdout)


def subscribe(fn: Callable[[Event], None]) -> Callable[[], None]:
    """Call `fn` with every event from now on; returns the unsubscribe function."""
    return session().bus.subscribe(fn)


__all__ = [
    # Prefect's own top-level names
    "Flow", "State", "Task", "Transaction", "allow_failure", "apause_flow_run", "aresume_flow_run", "aserve",
    "asuspend_flow_run", "deploy", "flow", "get_client", "get_run_logger", "pause_flow_run", "resume_flow_run",
    "serve", "suspend_flow_run", "tags", "task", "unmapped",
    # Prefect's modules that example code imports from `prefect`
    "artifacts", "cache_policies", "futures", "runtime", "states", "tasks",
    # sim_prefect's own
    "MissingContextError", "configure", "install_as_prefect", "print_state_log", "quote", "state_log", "subscribe",
]  # fmt: skip
