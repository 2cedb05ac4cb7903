"""The Prefect CLI on sim_prefect (Prefect's ``prefect/cli/``): ``prefect flow-run ls`` and the rest, on the session.

`run` is the ``prefect`` command: it takes the words of a typed line (without
``prefect``), prints what Prefect 3.9.1's CLI prints for them, wrapped at
`columns`, and returns its exit status. The commands read and write the
current session's server (``sim_prefect.session()``) through the client, so a
learner lists the runs of their own Runs, creates the variables and limits
their flows use, and triggers deployments that the session serves. `run_line`
does the same for a line as typed (split like a shell splits it); the page's
terminal uses it, and ``python -m sim_prefect.cli ...`` runs it in a terminal.

One module per command group, as Prefect keeps them: flow_run.py,
deployment.py, variable.py, concurrency_limit.py, global_concurrency_limit.py,
block.py, version.py; root.py lists every command. Underneath, the parts of
cyclopts and rich the CLI's output depends on: _app.py (commands, parameters,
parsing, usage errors), _help.py (help pages), _console.py, _renderables.py,
_table.py, _pretty.py and _text.py (rich's layout), _models.py (Prefect's API
objects as it prints them), _msgs.py (every text). What the CLI cannot do
here (commands that need Prefect's server processes, workers or UI) fails
loudly, naming the command.
"""

from __future__ import annotations

import shlex
import sys
import traceback
from typing import TextIO

from ..prefect_settings import PREFECT_VERSION
from ..exceptions import NotImitatedError, not_imitated
from ..session import session
from . import _msgs
from ._app import Command, Line, UsageError, dispatch
from ._console import Console
from ._help import print_help
from ._utilities import Context, Exit
from .root import ROOT

KNOWN_PROFILES = ("ephemeral",)  # the profile sim_prefect's session is (Prefect's default)


def run(
    argv: list[str],
    *,
    columns: int = 100,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run ``prefect <argv>`` on the current session; its exit status.

    `stdin` is where a prompt's answer is read (``--prompt``); without one, the
    console is not interactive and nothing is asked, as when Prefect's output
    is not a terminal.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    console = Console(out, columns)
    if argv and argv[0] in ("--version", "-v"):
        out.write(PREFECT_VERSION + "\n")
        return 0
    try:
        line = dispatch(argv if argv != ["--help"] else [], ROOT)
    except UsageError as exc:
        Console(err, columns).error_panel(str(exc))
        return 1
    if line.profile is not None and line.profile not in KNOWN_PROFILES:
        err.write(_msgs.UNKNOWN_PROFILE.format(name=line.profile) + "\n")
        return 1
    interactive = line.prompt if line.prompt is not None else bool(stdin is not None and _is_terminal(out))
    ctx = Context(console, err, stdin, interactive, session())
    try:
        _run_line(ctx, line)
    except Exit as exc:
        return exc.code
    except NotImitatedError as exc:
        console.print(str(exc), markup=False)
        return 1
    except KeyboardInterrupt:
        return 1
    except Exception:
        traceback.print_exc(file=err)
        console.print(_msgs.AN_EXCEPTION_OCCURRED)
        return 1
    return 0


def _run_line(ctx: Context, line: Line) -> None:
    target = line.target
    path = " ".join(line.path)
    if isinstance(target, Command) and (target.handler is None and (not line.help or target.params is None)):
        raise not_imitated(_msgs.NOT_IMITATED_COMMAND.format(command=path), _msgs.NOT_IMITATED_WHY)
    if line.help:
        print_help(ctx.console, line.path, target)
        return
    assert isinstance(target, Command) and target.handler is not None
    target.handler(ctx, **line.arguments)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False


def run_line(
    line: str,
    *,
    columns: int = 100,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run a typed line (``prefect flow-run ls --limit 3``, or without ``prefect``), split as a shell splits it
    (a quote left open is the shell's error, status 2)."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        (stderr if stderr is not None else sys.stderr).write(_msgs.SHELL_SPLIT_ERROR.format(error=exc) + "\n")
        return 2
    if words and words[0] == "prefect":
        words = words[1:]
    return run(words, columns=columns, stdout=stdout, stderr=stderr, stdin=stdin)


__all__ = ["run", "run_line"]
