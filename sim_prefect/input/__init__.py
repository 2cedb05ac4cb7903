"""Input for paused flow runs (``prefect.input``): `RunInput`, its keys, and the run's stored input.

See run_input.py; ``create_flow_run_input`` / ``read_flow_run_input`` keep and
read a run's input by key, as Prefect's do.
"""

from __future__ import annotations

from typing import Any

from ..server.flow_runs import read_input, write_input
from ..session import session
from .run_input import (
    AutomaticRunInput,
    Keyset,
    RunInput,
    keyset_from_base_key,
    keyset_from_paused_state,
    receive_input,
    run_input_subclass_from_type,
    send_input,
)
from .run_input import _flow_run_id


def create_flow_run_input(key: str, value: Any, flow_run_id: Any = None, sender: str | None = None) -> None:
    """Keep `value` (made JSON) under `key` for the flow run (by default the current one)."""
    write_input(session(), _flow_run_id(flow_run_id), key, value)


def read_flow_run_input(key: str, flow_run_id: Any = None) -> Any:
    """The value kept under `key` for the flow run (None if there is none)."""
    return read_input(session(), _flow_run_id(flow_run_id), key)


def delete_flow_run_input(key: str, flow_run_id: Any = None) -> None:
    session().store.flow_run_inputs.get(_flow_run_id(flow_run_id), {}).pop(key, None)


__all__ = [
    "AutomaticRunInput", "Keyset", "RunInput", "create_flow_run_input", "delete_flow_run_input",
    "keyset_from_base_key", "keyset_from_paused_state", "read_flow_run_input", "receive_input",
    "run_input_subclass_from_type", "send_input",
]  # fmt: skip
