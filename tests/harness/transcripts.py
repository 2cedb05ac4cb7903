"""Normalising and comparing transcripts and state histories from either backend.

A transcript is what a scenario printed: stdout and stderr in one stream, as a
terminal would show them. Two runs of the same script differ in a few fields
that truly vary, and only those are masked here:

- timestamps (``HH:MM:SS.mmm``);
- generated names: flow-run slugs (``persimmon-rat``) and the 3-hex suffix of
  task-run names (``fetch_data-82b``), numbered in order of first appearance;
- uuids and ``0x`` addresses;
- jittered retry delays (a float with many decimals);
- where the checkout and Python's standard library are (``<scenarios>``,
  ``<stdlib>``), and the line number in a warning raised from the standard
  library, which changes with the Python version;
- traceback frames that belong to the engine, not the user: Prefect's
  (``site-packages/prefect/``) or sim_prefect's, and the ``contextlib`` frames
  that Prefect's context managers add; also every caret line (``^^^^``),
  because sim_prefect deliberately prints only user frames, without carets.

The state log that sim_prefect's `print_state_log()` prints (the simulator's
own table; the runs' histories are compared separately) is dropped too.

The temporary-server lines of real Prefect ("Starting temporary server ...",
its "See https://..." continuation, "Stopping temporary server ...") are
dropped: sim_prefect has no server. The suite starts one dedicated server, so
these lines only appear if a scenario is run without it.

Deviations that are known and accepted are *not* masked here: each scenario
names its own (see test_conformance.py), so that every difference stays visible
in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMESTAMP = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3}(?= \| )")
LOG_LINE = re.compile(
    r"^HH:MM:SS\.mmm \| (?:DEBUG  |INFO   |WARNING|ERROR  |CRITICAL) \| "
    r"(?:(?P<kind>Flow run|Task run) (?P<q>['\"])(?P<run>.*?)(?P=q)|(?P<logger>[\w.]+)) - "
)
RUN_PREFIX = re.compile(r"\| (?P<kind>Flow run|Task run) (?P<q>['\"])(?P<run>.*?)(?P=q) - ")
FLOW_RUN_SLUG = re.compile(r"^[a-z]+-[a-z]+$")
TASK_RUN_SUFFIX = re.compile(r"^(?P<task>.+)-[0-9a-f]{3}$")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
STDLIB_LINE = re.compile(r"(<stdlib>/[\w/.]+\.py):\d+:")
JITTERED = re.compile(r"(will start )\d+\.\d{5,}( second\(s\) from now)")
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line \d+, in ')
CARETS = re.compile(r"^\s*[\^~]+\s*$")
STATE_LOG_HEADER = re.compile(r"^State log(?: \(\d+ runs?\)|: no runs yet\.)$")
CANCEL_SCOPE = re.compile(r"(Cancelled via cancel scope )[0-9a-f]+")
RUN_TAG = re.compile(r"conformance-[0-9a-f]{32}")  # the tag the runner gives every run
SERVER_LINES = (
    re.compile(r"\| prefect - Starting temporary server on "),
    re.compile(r"^See https://\S*prefect\.io/\S*/server#how-to-guides "),
    re.compile(r"\| prefect - Stopping temporary server on "),
)


def is_engine_frame(filename: str) -> bool:
    """A traceback frame from Prefect's or sim_prefect's engine (or the contextlib they use)."""
    path = filename.replace("\\", "/")
    return (
        "/site-packages/prefect/" in path
        or "/sim_prefect/" in path
        or path.endswith("/contextlib.py")
    )


def _drop_engine_frames(lines: list[str]) -> list[str]:
    """Remove engine frames (their source line too) and every caret line."""
    out: list[str] = []
    skipping = False
    for line in lines:
        plain = ANSI.sub("", line)
        frame = FRAME.match(plain)
        if frame:
            skipping = is_engine_frame(frame.group("file"))
            if not skipping:
                out.append(line)
            continue
        if CARETS.match(plain):
            continue
        if skipping and plain.startswith("    "):
            continue  # the engine frame's source line
        skipping = False
        out.append(line)
    return out


def run_names(text: str, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Map each generated run name to a placeholder numbered by first appearance.

    Names come from the transcript's ``Flow run '...'`` / ``Task run '...'``
    prefixes, then from `extra` (kind, name) pairs such as the state records.
    Only generated names are mapped: templated ones (``run-for-Paris-3``) are
    the same in every run and stay as they are.
    """
    found: list[tuple[str, str]] = [
        ("flow" if m.group("kind") == "Flow run" else "task", m.group("run"))
        for m in RUN_PREFIX.finditer(ANSI.sub("", text))
    ]
    found.extend(extra)
    mapping: dict[str, str] = {}
    flows = tasks = 0
    for kind, name in found:
        if name in mapping:
            continue
        if kind == "flow" and FLOW_RUN_SLUG.match(name):
            flows += 1
            mapping[name] = f"<flow-run-{flows}>"
        elif kind == "task" and (m := TASK_RUN_SUFFIX.match(name)):
            tasks += 1
            mapping[name] = f"{m.group('task')}-<{tasks}>"
    return mapping


def rename(text: str, mapping: dict[str, str]) -> str:
    for raw in sorted(mapping, key=len, reverse=True):
        text = text.replace(raw, mapping[raw])
    return text


def normalize(text: str, mapping: dict[str, str], paths: dict[str, str] | None = None) -> list[str]:
    """The transcript with only the truly varying fields masked, as lines.

    `paths` maps folders (where the checkout happens to be) to fixed labels.
    """
    lines = [
        line
        for line in text.splitlines()
        if not any(p.search(ANSI.sub("", line)) for p in SERVER_LINES)
    ]
    lines = _drop_state_logs(_drop_engine_frames(lines))
    text = "\n".join(TIMESTAMP.sub("HH:MM:SS.mmm", line) for line in lines)
    for folder, label in (paths or {}).items():
        text = text.replace(folder, label)
    text = STDLIB_LINE.sub(r"\1:<line>:", text)  # a warning's location: varies with the Python version
    text = rename(text, mapping)
    text = UUID.sub("<uuid>", text)
    text = ADDRESS.sub("0x<address>", text)
    text = JITTERED.sub(r"\1<jittered>\2", text)
    text = CANCEL_SCOPE.sub(r"\1<scope>", text)
    text = RUN_TAG.sub("conformance-<tag>", text)
    return text.splitlines()


def _drop_state_logs(lines: list[str]) -> list[str]:
    """Remove each state-log table: its header and the indented rows under it."""
    out: list[str] = []
    in_table = False
    for line in lines:
        if STATE_LOG_HEADER.match(line):
            in_table = True
            continue
        if in_table and line.startswith("  "):
            continue
        in_table = False
        out.append(line)
    return out


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


__all__ = [
    "RunView",
    "apply",
    "is_engine_frame",
    "normalize",
    "rename",
    "run_names",
    "run_view",
    "state_lines",
    "state_view",
]
