"""prefect-dask (``from prefect_dask import DaskTaskRunner``): importable, and refused when used.

prefect-dask is Prefect's integration with Dask. Its `DaskTaskRunner` sends
each task run a flow submits to a Dask cluster, where it runs in one of the
cluster's worker processes, on this machine or on others; `get_dask_client`
lets a task hand Dask work of its own to the same cluster. The point of both is
to use more cores, or more machines, than one Python process can.

The page has one Python thread and can start no process, so nothing here can
do that. A thread pool under Dask's name would accept ``cluster_kwargs=
{"n_workers": 4}``, ``address=`` and the rest and ignore them, and the runs
would be no faster for the CPU-bound work that Dask is chosen for: an option
accepted and silently ignored. So the names import, as code written for
Prefect expects, and each fails when used, naming itself and what to run at
home. The error comes at the line that builds the runner (``@flow(task_runner=
DaskTaskRunner(...))``), before any run starts.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .exceptions import not_imitated

AT_HOME = (
    "sim_prefect runs every task run in one thread and starts no process; with real Prefect at home: "
    "`pip install prefect prefect-dask`, then `python your_flow.py`"
)


def _refuse(name: str) -> NoReturn:
    raise not_imitated(f"prefect-dask's {name}", f"task runs in the worker processes of a Dask cluster; {AT_HOME}")


class DaskTaskRunner:
    """Runs submitted tasks on a Dask cluster: refused here (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _refuse("DaskTaskRunner")


class PrefectDaskClient:
    """A Dask client that can submit Prefect tasks: refused here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _refuse("PrefectDaskClient")


def get_dask_client(*args: Any, **kwargs: Any) -> NoReturn:
    """A task's client for the flow run's Dask cluster: refused here."""
    _refuse("get_dask_client")


def get_async_dask_client(*args: Any, **kwargs: Any) -> NoReturn:
    """The async form of `get_dask_client`: refused here."""
    _refuse("get_async_dask_client")


# Where prefect-dask defines each name (reprs and tracebacks name them as Prefect's do).
DaskTaskRunner.__module__ = "prefect_dask.task_runners"
PrefectDaskClient.__module__ = "prefect_dask.client"
get_dask_client.__module__ = get_async_dask_client.__module__ = "prefect_dask.utils"

__all__ = ["DaskTaskRunner", "PrefectDaskClient", "get_async_dask_client", "get_dask_client"]
