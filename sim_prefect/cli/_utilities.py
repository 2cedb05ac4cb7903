"""What every command shares (Prefect's ``prefect/cli/_utilities.py`` and ``_prompts.py``).

A command prints through its `Context`: the console (stdout, wrapped at the
terminal's width), stderr (Prefect's logger warnings and tracebacks), the
session whose server it reads and writes, and a client of that server.
`exit_with_error` and `exit_with_success` print a message and end the
command with its status, as Prefect's do; `confirm` asks a yes/no question
when the console is interactive (a terminal, or ``--prompt``), as Prefect's
prompts do (without one, nothing is asked and the command goes ahead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NoReturn, TextIO

from .. import _msgs as engine_msgs  # Prefect's log line layout, shared with the engine
from ..client.orchestration import SyncPrefectClient
from ..formatting import format_time
from ..session import Session
from . import _msgs
from ._console import Console


class Exit(Exception):
    """A command ends with this status (Prefect's ``SystemExit``)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Context:
    """Where a command prints, what it may ask, and the session it works on."""

    console: Console
    stderr: TextIO
    stdin: TextIO | None
    interactive: bool
    session: Session

    @property
    def client(self) -> SyncPrefectClient:
        return SyncPrefectClient(self.session)

    def now(self) -> float:
        return self.session.now()

    def warn(self, logger: str, message: str) -> None:
        """A WARNING from one of Prefect's CLI loggers, on stderr in Prefect's format."""
        line = engine_msgs.LINE_OTHER.format(time=format_time(self.now()), level="WARNING", logger=logger, message=message)
        self.stderr.write(line + "\n")

    def confirm(self, message: str, default: bool | None = None) -> bool:
        """Ask `message`; True for yes (rich's ``Confirm.ask``: ``[y/n]``, with ``(n)`` when the default is no)."""
        shown = "" if default is None else f" ({'y' if default else 'n'})"
        self.console.file.write(_msgs.CONFIRM.format(message=message, default=shown))
        self.console.file.flush()
        while True:
            answer = (self.stdin.readline() if self.stdin is not None else "").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            if default is not None or self.stdin is None:
                return bool(default)


def exit_with_error(ctx: Context, message: str, code: int = 1) -> NoReturn:
    ctx.console.print(message)
    raise Exit(code)


def exit_with_success(ctx: Context, message: str) -> NoReturn:
    ctx.console.print(message)
    raise Exit(0)


def json_output(value: Any) -> str:
    """JSON as Prefect's CLI prints it (orjson, two-space indent, text as it is)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def check_output(ctx: Context, output: str | None) -> bool:
    """Whether JSON was asked for; any other format ends the command, as Prefect's do."""
    if output and output.lower() != "json":
        exit_with_error(ctx, _msgs.ONLY_JSON)
    return bool(output)


__all__ = ["Context", "Exit", "check_output", "exit_with_error", "exit_with_success", "json_output"]
