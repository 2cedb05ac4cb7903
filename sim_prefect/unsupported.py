"""Prefect's top-level names for features sim_prefect leaves out.

They import, as in Prefect, so a script that imports them and uses something
else still runs; using one raises `NotImitatedError`, naming the feature.
PORT.yaml lists them with the reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from .exceptions import not_imitated


def _unavailable(name: str, feature: str) -> Callable[..., NoReturn]:
    def unavailable(*args: Any, **kwargs: Any) -> NoReturn:
        raise not_imitated(feature, f"{name}()")

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__module__ = "prefect"
    return unavailable


_SERVER = "a Prefect server"
serve = _unavailable("serve", "deployments, which need " + _SERVER)
aserve = _unavailable("aserve", "deployments, which need " + _SERVER)
deploy = _unavailable("deploy", "deployments, which need " + _SERVER)
pause_flow_run = _unavailable("pause_flow_run", "pausing a flow run, which needs " + _SERVER)
apause_flow_run = _unavailable("apause_flow_run", "pausing a flow run, which needs " + _SERVER)
suspend_flow_run = _unavailable("suspend_flow_run", "suspending a flow run, which needs " + _SERVER)
asuspend_flow_run = _unavailable("asuspend_flow_run", "suspending a flow run, which needs " + _SERVER)
resume_flow_run = _unavailable("resume_flow_run", "resuming a flow run, which needs " + _SERVER)
aresume_flow_run = _unavailable("aresume_flow_run", "resuming a flow run, which needs " + _SERVER)

__all__ = [
    "apause_flow_run", "aresume_flow_run", "aserve", "asuspend_flow_run", "deploy",
    "pause_flow_run", "resume_flow_run", "serve", "suspend_flow_run",
]  # fmt: skip
