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

import functools
import re
import time
from collections.abc import Iterable

from . import _msgs
from .run_events import LogEmitted
from .store import RunRecord


def format_time(timestamp: float) -> str:
    """``HH:MM:SS.mmm`` in local time, milliseconds truncated as `logging` does."""
    micros = round(timestamp * 1_000_000)
    seconds, rest = divmod(micros, 1_000_000)
    return _hh_mm_ss(seconds) + f".{rest // 1000:03d}"


@functools.lru_cache(maxsize=64)
def _hh_mm_ss(seconds: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(seconds))


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
    elif record.thread is not None:
        line = _msgs.LINE_INTERNAL.format(**fields, thread=record.thread)
    else:
        line = _msgs.LINE_OTHER.format(**fields)
    if record.traceback:
        line = f"{line}\n{record.traceback}"
    return line


# -- colours: Prefect's highlighter rules, applied to the whole line -------------
#
# Prefect's console handler gives the formatted line (traceback included) to
# rich with PrefectConsoleHighlighter (``prefect/logging/highlighters.py``) and
# the styles in ``logging.yml``. Rich applies every rule's matches in order;
# where they overlap the styles combine (bold stays, the later colour wins).

_HIGHLIGHTS: list[tuple[str, re.Pattern[str]]] = [
    ("info_level", re.compile(r"INFO")),
    ("warning_level", re.compile(r"WARNING")),
    ("error_level", re.compile(r"ERROR")),
    ("critical_level", re.compile(r"CRITICAL")),
    ("web_url", re.compile(r"(https|http|ws|wss):\/\/[0-9a-zA-Z\$\-\_\+\!`\(\)\,\.\?\/\;\:\&\=\%\#]*")),
    ("local_url", re.compile(r"(file):\/\/[0-9a-zA-Z\$\-\_\+\!`\(\)\,\.\?\/\;\:\&\=\%\#]*")),
    ("flow_run_name", re.compile(r"(?i)(?<=flow run) \'(.*?)\'")),
    ("flow_name", re.compile(r"(?i)(?<=flow) \'(.*?)\'")),
    ("completed_state", re.compile(r"Completed")),
    ("failed_state", re.compile(r"Failed")),
    ("cancelled_state", re.compile(r"Cancelled")),
    ("crashed_state", re.compile(r"Crashed")),
    ("cached_state", re.compile(r"Cached(?=\(type=COMPLETED\))")),
]

# Each style as (bold, colour): logging.yml's theme.
STYLES: dict[str, tuple[bool, str | None]] = {
    "info_level": (False, "cyan"),
    "warning_level": (False, "yellow3"),
    "error_level": (False, "red3"),
    "critical_level": (False, "bright_red"),
    "web_url": (False, "bright_blue"),
    "local_url": (False, "bright_blue"),
    "flow_run_name": (False, "magenta"),
    "flow_name": (True, "magenta"),
    "completed_state": (False, "green"),
    "failed_state": (False, "red3"),
    "cancelled_state": (False, "yellow3"),
    "crashed_state": (False, "bright_red"),
    "cached_state": (False, "bright_blue"),
}

# How rich writes these colours for each colour system (checked with rich 15).
PALETTES: dict[str, dict[str, str]] = {
    "256": {
        "cyan": "36", "yellow3": "38;5;184", "red3": "38;5;160", "bright_red": "91",
        "bright_blue": "94", "magenta": "35", "green": "32",
    },
    "standard": {
        "cyan": "36", "yellow3": "93", "red3": "31", "bright_red": "91",
        "bright_blue": "94", "magenta": "35", "green": "32",
    },
}  # fmt: skip

Segment = tuple[str, "str | None"]
StyledRun = tuple[str, "tuple[str, ...]"]


def highlight(text: str) -> list[Segment]:
    """Split `text` into (text, style) runs for the page: where rules overlap, the later one.

    The page gives each run the CSS class ``log-<style>``.
    """
    return [(chunk, names[-1] if names else None) for chunk, names in style_runs(text)]


def style_runs(text: str) -> list[StyledRun]:
    """Split `text` into runs of text, each with the names of all the styles on it (in rule order)."""
    styles: list[tuple[str, ...]] = [()] * len(text)
    for style, pattern in _HIGHLIGHTS:
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                styles[i] = styles[i] + (style,)
    segments: list[StyledRun] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or styles[i] != styles[start]:
            segments.append((text[start:i], styles[start]))
            start = i
    return segments


def sgr(names: tuple[str, ...], palette: str | None) -> str:
    """The ANSI parameters for these styles combined; `palette` None means no colours (bold only)."""
    bold = any(STYLES[n][0] for n in names)
    colour = None
    for name in names:
        colour = STYLES[name][1] or colour
    codes = ["1"] if bold else []
    if colour is not None and palette is not None:
        codes.append(PALETTES[palette][colour])
    return ";".join(codes)


def to_ansi(segments: Iterable[StyledRun], palette: str | None = "256") -> str:
    """The runs as ANSI escape codes, as rich writes them (`palette` None: bold only)."""
    out = []
    for text, names in segments:
        codes = sgr(names, palette) if names else ""
        out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
    return "".join(out)


# -- the state log as a compact table ---------------------------------------------


def _depths(runs: list[RunRecord]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for run in runs:
        depth[run.run_id] = depth.get(run.parent_id or "", -1) + 1 if run.parent_id else 0
    return depth


def format_state_log(runs: list[RunRecord]) -> str:
    """Each run on one line: name, start, duration, and its states in order.

    The task runs Prefect adds to track subflow calls are left out: the subflow
    run itself is shown, indented under its parent.
    """
    runs = [r for r in runs if r.tracks is None]
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
