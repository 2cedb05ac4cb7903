"""The API client (``prefect.client.orchestration``): `get_client()` in its sync and async forms.

Prefect's client talks HTTP to its server; here it reads and writes the
session's store (store.py), which the CLI and the page's run view read too.
Its methods are written once, synchronously, one part of the API per module
(as Prefect keeps them); `PrefectClient`, the async client, offers each of
them as a coroutine.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, overload

from ._artifacts import ArtifactClient
from ._blocks import BlockClient
from ._concurrency_limits import ConcurrencyLimitClient
from ._deployments import DeploymentClient
from ._events import EventClient
from ._flow_runs import FlowRunClient
from ._flows import FlowClient
from ._logs import LogClient
from ._variables import VariableClient
from ..base import PrefectResponse
from .base import BaseClient


class SyncPrefectClient(
    FlowClient, ArtifactClient, FlowRunClient, LogClient, EventClient, VariableClient, BlockClient,
    ConcurrencyLimitClient, DeploymentClient,
):  # fmt: skip
    """The synchronous client: ``with get_client(sync_client=True) as client: ...``."""

    def hello(self) -> PrefectResponse:
        """The server's greeting: a response whose JSON is a wave, as Prefect's API answers."""
        return PrefectResponse(200, "\N{WAVING HAND SIGN}")


def _as_coroutine(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs)

    return call


class PrefectClient(BaseClient):
    """The async client: ``async with get_client() as client: await client.read_flow_runs()``."""

    async def __aenter__(self) -> PrefectClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


# Every public method of the sync client, as a coroutine on the async one (and the helpers they call, as they are).
for _name, _method in inspect.getmembers(SyncPrefectClient, inspect.isfunction):
    if not hasattr(BaseClient, _name):
        setattr(PrefectClient, _name, _method if _name.startswith("_") else _as_coroutine(_method))


@overload
def get_client(httpx_settings: dict[str, Any] | None = None, *, sync_client: Literal[True]) -> SyncPrefectClient: ...
@overload
def get_client(httpx_settings: dict[str, Any] | None = None, sync_client: Literal[False] = False) -> PrefectClient: ...
def get_client(httpx_settings: dict[str, Any] | None = None, sync_client: bool = False) -> Any:
    """A client of the session's server: async by default, ``sync_client=True`` for the sync one."""
    return SyncPrefectClient() if sync_client else PrefectClient()


for _cls in (PrefectClient, SyncPrefectClient):
    _cls.__module__ = "prefect.client.orchestration"

__all__ = ["PrefectClient", "SyncPrefectClient", "get_client"]
