"""The one formatter: events in, Prefect's text out.

`format_record` turns a `LogEmitted` into the exact line real Prefect prints
(``prefect/logging/logging.yml``, formatter ``standard``). `highlight` splits a
line into styled segments with Prefect's console highlighter rules
(``prefect/logging/highlighters.py``); the terminal renders the segments as
ANSI codes and the page renders them as ``<span class=...>`` built with
``textContent``. The terminal, the expected logs and the page therefore show
the same text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from . import _msgs
from .events import LogEmitted, RunRecord


def format_time(timestamp: float) -> str:
    """``HH:MM:SS.mmm`` in local time, milliseconds truncated as `logging` does."""
    micros = round(timestamp * 1_000_000)
    seconds, rest = divmod(micros, 1_000_000)
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{rest // 1000:03d}"


def format_record(record: LogEmitted) -> str:
    """One log record as Prefect prints it; tracebacks follow unprefixed."""
    fields = {
        "time": format_time(record.timestamp),
        "level": record.level,
        "message": record.message,
        "run_name": record.run_name,
        "logger": record.logger,
    }
    if record.run_kind == "flow":
        line = _msgs.LINE_FLOW.format(**fields)
    elif record.run_kind == "task":
        line = _msgs.LINE_TASK.format(**fields)
    else:
        line = _msgs.LINE_OTHER.format(**fields)
    if record.traceback:
        line = f"{line}\n{record.traceback}"
    return line


# -- colours: Prefect's highlighter rules, applied to the whole line -------------

_HIGHLIGHTS: list[tuple[str, re.Pattern[str]]] = [
    ("info_level", re.compile(r"INFO")),
    ("warning_level", re.compile(r"WARNING")),
    ("error_level", re.compile(r"ERROR")),
    ("critical_level", re.compile(r"CRITICAL")),
    ("web_url", re.compile(r"(https|http|ws|wss)://[0-9a-zA-Z$\-_+!`(),.?/;:&=%#]*")),
    ("local_url", re.compile(r"file://[0-9a-zA-Z$\-_+!`(),.?/;:&=%#]*")),
    ("flow_run_name", re.compile(r"(?i)(?<=flow run) '(.*?)'")),
    ("flow_name", re.compile(r"(?i)(?<=flow) '(.*?)'")),
    ("completed_state", re.compile(r"Completed")),
    ("failed_state", re.compile(r"Failed")),
    ("cancelled_state", re.compile(r"Cancelled")),
    ("crashed_state", re.compile(r"Crashed")),
]

# Rich's rendering of Prefect's theme with TERM=xterm-256color.
ANSI = {
    "info_level": "36",
    "warning_level": "38;5;184",
    "error_level": "38;5;160",
    "critical_level": "91",
    "web_url": "94",
    "local_url": "94",
    "flow_run_name": "35",
    "flow_name": "1;35",
    "completed_state": "32",
    "failed_state": "38;5;160",
    "cancelled_state": "38;5;184",
    "crashed_state": "91",
}

Segment = tuple[str, "str | None"]


def highlight(text: str) -> list[Segment]:
    """Split `text` into (text, style) runs; later rules win where they overlap."""
    styles: list[str | None] = [None] * len(text)
    for style, pattern in _HIGHLIGHTS:
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                styles[i] = style
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or styles[i] != styles[start]:
            segments.append((text[start:i], styles[start]))
            start = i
    return segments


def to_ansi(segments: Iterable[Segment]) -> str:
    return "".join(
        f"\x1b[{ANSI[style]}m{text}\x1b[0m" if style else text for text, style in segments
    )


# -- the state log as a compact table ---------------------------------------------


def _depths(runs: list[RunRecord]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for run in runs:
        depth[run.run_id] = depth.get(run.parent_id or "", -1) + 1 if run.parent_id else 0
    return depth


def format_state_log(runs: list[RunRecord]) -> str:
    """Each run on one line: name, start, duration, and its states in order."""
    if not runs:
        return "State log: no runs yet."
    depth = _depths(runs)
    rows = []
    for run in runs:
        label = "  " * depth[run.run_id] + f"{run.kind} run {run.name!r}"
        start = run.states[0].timestamp.timestamp() if run.states else None
        end = run.states[-1].timestamp.timestamp() if run.states else None
        when = format_time(start) if start is not None else "--:--:--.---"
        took = f"{end - start:.3f}s" if start is not None and end is not None else "-"
        rows.append((label, when, took, " -> ".join(run.state_names)))
    w_label = max(len(r[0]) for r in rows)
    w_took = max(len(r[2]) for r in rows)
    lines = [f"State log ({len(runs)} run{'s' if len(runs) != 1 else ''})"]
    for label, when, took, states in rows:
        lines.append(f"  {label:<{w_label}}  {when}  {took:>{w_took}}  {states}")
    return "\n".join(lines)
