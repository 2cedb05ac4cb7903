"""``prefect version`` (Prefect's ``prefect/cli/version.py``): the version, the Python, and the server.

The release, API version, git commit and build date are Prefect 3.9.1's, the
release sim_prefect imitates. Python, the platform and pydantic are this
interpreter's. The server type follows ``PREFECT_API_URL`` as Prefect's does
("server" when it is set, "ephemeral" otherwise); the database line names the
SQLite that Prefect's default server would use. No integrations are listed:
``prefect-*`` packages do not run on sim_prefect.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from typing import Any

from ..prefect_settings import PREFECT_VERSION
from . import _msgs
from ._app import Command, Param
from ._utilities import Context


def _sqlite_version() -> str | None:
    try:
        import sqlite3  # not in every Python (Pyodide loads it on request)
    except ImportError:
        return None
    return sqlite3.sqlite_version


def version(ctx: Context, *, omit_integrations: bool) -> None:
    try:
        pydantic = installed_version("pydantic")
    except PackageNotFoundError:
        pydantic = "Not installed"
    info: dict[str, Any] = {
        "Version": PREFECT_VERSION,
        "API version": _msgs.API_VERSION,
        "Python version": platform.python_version(),
        "Git commit": _msgs.GIT_COMMIT,
        "Built": _msgs.BUILT,
        "OS/Arch": f"{sys.platform}/{platform.machine()}",
        "Profile": "ephemeral",
        "Server type": "server" if os.environ.get("PREFECT_API_URL") else "ephemeral",
        "Pydantic version": pydantic,
    }
    server: dict[str, Any] = {"Database": "sqlite"}
    sqlite = _sqlite_version()
    if sqlite is not None:
        server["SQLite version"] = sqlite
    info["Server"] = server
    _display(ctx, info)


def _display(ctx: Context, info: dict[str, Any], nesting: int = 0) -> None:
    for key, value in info.items():
        key += ":"
        prefix = " " * nesting
        if isinstance(value, dict):
            ctx.console.print(prefix + key)
            _display(ctx, value, nesting + 2)
        else:
            ctx.console.print(f"{prefix}{key.ljust(21 - len(prefix))} {value}")


COMMAND = Command(
    "version", "Get the current Prefect version and integration information.", handler=version, help_flag=False,
    params=(Param("omit_integrations", "--omit-integrations", type="bool", default=False, help=_msgs.HELP_VERSION_OMIT,
                  show_default=True),),
)  # fmt: skip

__all__ = ["COMMAND", "version"]
