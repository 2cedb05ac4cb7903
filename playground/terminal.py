"""The page's terminal, in Python: a line typed there, run on the page's session (web/terminal.js is its view).

A learner types what they would type in a terminal at home, next to ``python
main.py``: ``prefect flow-run ls``, ``prefect deployment run NAME --param
k=v``, ``prefect variable set ...`` (sim_prefect.cli, the Prefect CLI on the
session's server). The page keeps one server for all of them (its store, which
every Run hands over and back), so the CLI lists the runs of the page's Runs,
and a variable set here is read by the next Run.

- `run_command` runs one line in a fresh interpreter as the page does for a Run
  (web/host.js: a fresh worker started from the snapshot): it loads the page's
  store, runs the line, and returns the exit status and the store afterwards,
  for the page to keep. The text the line prints streams out as the messages a
  Run's output has (``stdout`` / ``stderr``, with ANSI colours as segments).
- `run_typed` runs it on the current session: the served process's own
  (a Run that serves, while the terminal types beside it).

The line is read as a shell reads it: words split and quoted as ``sh`` does, a
``#`` comment dropped, ``NAME=value`` before the command set for it
(``COLUMNS=60 prefect deployment ls`` wraps at 60 columns, as a terminal that
narrow does). ``python FILE.py`` with one of the page's files is a Run of that
snippet, which the page starts itself; every other program is unknown here,
as a shell says.
"""

from __future__ import annotations

import json
import os
import shlex
import textwrap
from collections.abc import Callable
from typing import Any, TextIO, cast

import sim_prefect
from sim_prefect.clock import FastForwardClock
from sim_prefect.session import Mode
from sim_prefect.store import Store

from .output import Output, OutputStream

DEFAULT_COLUMNS = 80
MIN_COLUMNS, MAX_COLUMNS = 20, 400
PROGRAMS = ("prefect", "python", "help", "clear")
HELP = """\
The Prefect CLI on this page's runs, as at
home against your Prefect server.

  prefect --help
    every command; COMMAND --help: one
  prefect flow-run ls
    the flow runs of this page's Runs
  prefect deployment run FLOW/NAME
    asks for a run of a deployment
  prefect variable set NAME VALUE
    a variable flows read (Variable.get)
  python FILE.py
    runs a file of this page, as Run does{files}
  clear
    empties the terminal

Up/Down: earlier lines. Ctrl-C stops the
command (or the Run) in progress.
"""
NOT_FOUND = "bash: {name}: command not found"
WHAT_RUNS = "This terminal runs: prefect, python FILE.py, help and clear."
NO_SUCH_FILE = "python: can't open file '{path}': [Errno 2] No such file or directory"
NO_PROMPT = (
    "This terminal has no Python prompt: run a file of this page with python FILE.py{files}."
)
SHELL_SYNTAX = "bash: syntax error: {error}"


def split(line: str) -> tuple[dict[str, str], list[str]]:
    """A typed line as ``sh`` reads it: (its ``NAME=value`` assignments, its words); ValueError for an open quote."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = list(lexer)
    assignments: dict[str, str] = {}
    while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
        name, value = words.pop(0).split("=", 1)
        assignments[name] = value
    return assignments, words


def columns_of(assignments: dict[str, str], default: int) -> int:
    text = assignments.get("COLUMNS", "")
    width = int(text) if text.isdigit() else default
    return max(MIN_COLUMNS, min(MAX_COLUMNS, width))


def run_typed(line: str, output: Output, *, columns: int = DEFAULT_COLUMNS, files: list[str] | None = None) -> int:
    """Run a typed line on the current session, its text into `output`; its exit status."""
    out, err = OutputStream("stdout", output), OutputStream("stderr", output)
    names = ", ".join(files or [])
    try:
        assignments, words = split(line)
    except ValueError as exc:
        err.write(SHELL_SYNTAX.format(error=exc) + "\n")
        return 2
    if not words:
        return 0
    program, argv = words[0], words[1:]
    if program == "prefect":
        from sim_prefect import cli

        saved = {name: os.environ.get(name) for name in assignments}
        os.environ.update(assignments)
        try:
            return cli.run(argv, columns=columns_of(assignments, columns), stdout=cast(TextIO, out), stderr=cast(TextIO, err))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    if program in ("python", "python3"):
        # The page runs its own files itself (a Run of that snippet): what reaches here names none of them.
        script = next((word for word in argv if not word.startswith("-")), None)
        if script is None:
            err.write(NO_PROMPT.format(files=f" ({names})" if names else "") + "\n")
            return 2
        err.write(NO_SUCH_FILE.format(path=script) + "\n")
        if names:
            err.write(f"The files of this page: {names}.\n")
        return 2
    if program == "help":
        listed = textwrap.fill(f"({names})", 42, initial_indent="    ", subsequent_indent="    ") if names else ""
        out.write(HELP.format(files="\n" + listed if listed else ""))
        return 0
    err.write(NOT_FOUND.format(name=program) + "\n" + WHAT_RUNS + "\n")
    return 127


def run_command(
    line: str,
    *,
    post: Callable[[str], None] | None = None,
    columns: int = DEFAULT_COLUMNS,
    mode: Mode = "fast",
    store: dict[str, Any] | None = None,
    files: list[str] | None = None,
) -> dict[str, Any]:
    """One typed line on a fresh session that starts from the page's `store`: its outcome, the store afterwards included."""
    output = Output(post)
    session = sim_prefect.configure(mode, terminal=False, store=Store.from_dict(store) if store else None)
    _after_the_store(session)
    try:
        status = run_typed(line, output, columns=columns, files=files)
    except KeyboardInterrupt:
        status = 130
    finally:
        session.scheduler.close()
    output.flush()
    return {"ok": True, "error": None, "exit": status, "output": output.shown, "store": session.store.to_dict()}


def _after_the_store(session: Any) -> None:
    """A fast clock that skipped waits ran ahead of real time: the next session goes on from where the last
    left off (a run that ended "in a few seconds" would be odd), as time only moves forward at home."""
    clock = session.clock
    latest = max((r.states[-1].timestamp.timestamp() for r in session.store.runs if r.states), default=None)
    if isinstance(clock, FastForwardClock) and latest is not None and latest > clock.now():
        clock.offset += latest - clock.now()


def run_command_json(line: str, post: Callable[[str], None] | None = None, options_json: str = "{}") -> str:
    """`run_command` for the page's worker. Options: ``columns``, ``store``, ``files`` (the page's file names), ``mode``."""
    options = json.loads(options_json)
    outcome = run_command(
        line, post=post, columns=int(options.get("columns") or DEFAULT_COLUMNS), mode=options.get("mode", "fast"),
        store=options.get("store"), files=[str(f) for f in options.get("files", [])],
    )  # fmt: skip
    from .runner import keep_newest

    keep_newest(outcome["store"])
    return json.dumps(outcome, default=repr)


__all__ = ["HELP", "run_command", "run_command_json", "run_typed", "split"]
