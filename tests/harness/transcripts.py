"""Comparing transcripts and state histories from either backend, once masked (normalize.py).

A transcript is what a script printed: stdout and stderr in one stream, as a
terminal would show them; `normalize.mask_transcript` masks what truly varies
between runs. What is left is compared here: state histories one line per run,
and the transcripts of concurrent runs run by run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tests.harness.normalize import ANSI, MASKED_TIME, RUN_LABEL, UUID

# A masked log line: its level, then its run (or its logger's name).
LOG_LINE = re.compile(
    rf"^{re.escape(MASKED_TIME)} \| (?:DEBUG  |INFO   |WARNING|ERROR  |CRITICAL) \| (?:{RUN_LABEL}|(?P<logger>[\w.]+)) - "
)


# -- state histories ---------------------------------------------------------------


def state_lines(records: list[dict[str, Any]], mapping: dict[str, str]) -> list[str]:
    """One line per run: its kind, name, flow, states in order, messages and run count.

    Messages read back from Prefect's server are '' where the client had None
    (the server stores task-run states from events); both count as "no message".
    """
    lines = []
    for r in records:
        name = mapping.get(r["name"], r["name"])
        where = f" in {mapping.get(r['flow'], r['flow'])}" if r["flow"] else ""
        states = " -> ".join(f"{n}({t})" for n, t in r["states"])
        messages = [UUID.sub("<uuid>", m) for m in r["messages"] if m]
        lines.append(f"{r['kind']} {name}{where}: {states} | run_count={r['run_count']} | messages={messages}")
    return lines


# -- comparing concurrent runs -------------------------------------------------------


@dataclass(frozen=True)
class RunView:
    """A transcript seen run by run: the order *within* each run, not between runs.

    `main` holds every line not written by a task run (flow runs, other loggers,
    plain output) in order; `tasks` holds each task run's lines, labelled with the
    flow run that was open when it logged, as a sorted list (task-run numbers
    are dropped: which of two concurrent runs was created first may vary).
    """

    main: tuple[str, ...]
    tasks: tuple[tuple[str, ...], ...]


GENERIC_TASK = re.compile(r"-<\d+>")


def run_view(lines: list[str]) -> RunView:
    main: list[str] = []
    tasks: dict[str, list[str]] = {}
    open_flows: list[str] = []
    for line in lines:
        match = LOG_LINE.match(ANSI.sub("", line))
        if match and match.group("kind") == "Task run":
            run = match.group("run")
            flow = open_flows[-1] if open_flows else "-"
            tasks.setdefault(run, [f"(in {flow})"]).append(GENERIC_TASK.sub("-<n>", line))
            continue
        if match and match.group("kind") == "Flow run":
            run = match.group("run")
            if run not in open_flows:
                open_flows.append(run)
            if " - Finished in state " in line and run in open_flows:
                open_flows.remove(run)
        main.append(line)
    return RunView(tuple(main), tuple(sorted(tuple(t) for t in tasks.values())))


def state_view(lines: list[str]) -> list[str]:
    """State lines with task-run numbers dropped and task runs sorted within each flow run."""
    flows: list[str] = []
    tasks: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("flow "):
            flows.append(line)
        else:
            flow = line.split(" in ", 1)[1].split(":", 1)[0] if " in " in line else "-"
            tasks.setdefault(flow, []).append(GENERIC_TASK.sub("-<n>", line))
    out = list(flows)
    for flow in sorted(tasks):
        out += sorted(tasks[flow])
    return out


Rewrite = Callable[[str], str]


def apply(lines: list[str], rewrites: Iterable[Rewrite]) -> list[str]:
    text = "\n".join(lines)
    for rewrite in rewrites:
        text = rewrite(text)
    return text.splitlines()


__all__ = ["RunView", "apply", "run_view", "state_lines", "state_view"]
