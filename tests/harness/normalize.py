"""The one normaliser: what varies between two runs of the same script, masked, and nothing else.

Three comparisons use it, each through its own function; they share every rule
(one regex per varying field, in this module only):

- `mask_transcript`: the conformance suite and the lesson's claims compare what a
  script printed on real Prefect and on sim_prefect, line by line (tests/conformance);
- `mask_page_output`: the browser tests compare a Run in the page (``fast`` mode, as
  learners see it: wall-clock times, random names) with the demo's expected log,
  recorded in deterministic mode (tests/browser);
- `mask_interpreters`: the same script, run through the page's runner in CPython and
  in Pyodide, deterministic on both, must print the same bytes (tests/conformance).

The fields:

- timestamps (``HH:MM:SS.mmm``): at the start of each log line, and, in page output,
  in the state-log table too (a transcript drops that table: sim_prefect's own);
- generated run names: flow-run slugs (``persimmon-rat``) and the 3-hex suffix of
  task-run names (``fetch_data-82b``). A transcript numbers them in order of first
  appearance (its runs are compared one by one); page output numbers flow runs and
  blanks task suffixes (``-<xxx>``);
- uuids and the id of a timeout's cancel scope; ``0x`` addresses;
- in a transcript only: jittered retry delays (a float with many decimals); where the
  checkout and Python's standard library are (``<scenarios>``, ``<stdlib>``) and the
  line number of a warning raised from the standard library, which changes with
  the Python version; the runner's run tag; real Prefect's temporary-server lines
  (sim_prefect has no server); traceback frames that belong to the engine, not the
  user (Prefect's ``site-packages/prefect/``, sim_prefect's, the ``contextlib``
  frames of their context managers, and pydantic's, which validates Prefect's models) and every caret line (``^^^^``), because
  sim_prefect deliberately prints only user frames, without carets;
- in page output only: the durations in the state-log table (``10.018s``), which
  include real elapsed time, and that table's column padding, which follows the
  length of the random names;
- across interpreters only: where sim_prefect is installed in a traceback, caret
  lines, and Python 3.14's "Did you mean ...?" after a mistyped keyword.

Deviations that are known and accepted are *not* masked here: each conformance
scenario names its own (test_conformance.py), so every difference stays visible in
one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# -- the varying fields, one pattern each ------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIME = r"\d{2}:\d{2}:\d{2}\.\d{3}"
MASKED_TIME = "HH:MM:SS.mmm"
LOG_TIMESTAMP = re.compile(rf"^{TIME}(?= \| )")  # the time a log line starts with
ANY_TIME = re.compile(rf"\b{TIME}\b")  # also the state-log table's start times
SLUG = r"[a-z]+-[a-z]+"  # a generated flow-run name
FLOW_RUN_SLUG = re.compile(rf"^{SLUG}$")
BEGINNING = re.compile(rf"Beginning (?:sub)?flow run '({SLUG})'")
SUFFIX = r"-[0-9a-f]{3}"  # a generated task-run name's suffix
TASK_RUN_SUFFIX = re.compile(rf"^(?P<task>.+){SUFFIX}$")
TASK_SUFFIX_IN_TEXT = re.compile(rf"(?<=[A-Za-z0-9_]){SUFFIX}(?=['\:])")
RUN_LABEL = r"(?P<kind>Flow run|Task run) (?P<q>['\"])(?P<run>.*?)(?P=q)"  # a log line's run
RUN_PREFIX = re.compile(rf"\| {RUN_LABEL} - ")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
CANCEL_SCOPE = re.compile(r"(?<=cancel scope )[0-9a-f]+\b")
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
CARETS = re.compile(r"^\s*[\^~]+\s*$")
STDLIB_LINE = re.compile(r"(<stdlib>/[\w/.]+\.py):\d+:")
JITTERED = re.compile(r"(will start )\d+\.\d{5,}( second\(s\) from now)")
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line \d+, in ')
SIM_PREFECT_FRAME = re.compile(r'File "[^"]*/sim_prefect/')
DID_YOU_MEAN = re.compile(r"\. Did you mean '\w+'\?$", re.M)
STATE_LOG_HEADER = re.compile(r"^State log(?: \(\d+ runs?\)|: no runs yet\.)$")
STATE_LOG_ROW = re.compile(r"^( +)((?:flow|task) run ['\"].*)$", re.M)
DURATION = re.compile(r" +\d+\.\d{3}s(?= )")
RUN_TAG = re.compile(r"conformance-[0-9a-f]{32}")  # the tag tests/harness/runner.py gives every run
SERVER_LINES = (
    re.compile(r"\| prefect - Starting temporary server on "),
    re.compile(r"^See https://\S*prefect\.io/\S*/server#how-to-guides "),
    re.compile(r"\| prefect - Stopping temporary server on "),
)


def _common(text: str) -> str:
    """The masks every comparison applies: uuids and cancel scopes."""
    text = UUID.sub("<uuid>", text)
    return CANCEL_SCOPE.sub("<scope>", text)


def _without_carets(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if not CARETS.match(ANSI.sub("", line))]


# -- transcripts: real Prefect against sim_prefect ----------------------------------------


def is_engine_frame(filename: str) -> bool:
    """A traceback frame from Prefect's or sim_prefect's engine (or the contextlib they use, or pydantic,
    which validates Prefect's own models, such as an event)."""
    path = filename.replace("\\", "/")
    return (
        "/site-packages/prefect/" in path or "/site-packages/pydantic/" in path or "/sim_prefect/" in path
        or path.endswith("/contextlib.py")
    )  # fmt: skip


def _drop_engine_frames(lines: list[str]) -> list[str]:
    """Remove engine frames (their source line too) and every caret line."""
    out: list[str] = []
    skipping = False
    for line in _without_carets(lines):
        plain = ANSI.sub("", line)
        frame = FRAME.match(plain)
        if frame:
            skipping = is_engine_frame(frame.group("file"))
            if not skipping:
                out.append(line)
            continue
        if skipping and plain.startswith("    "):
            continue  # the engine frame's source line
        skipping = False
        out.append(line)
    return out


def _drop_state_logs(lines: list[str]) -> list[str]:
    """Remove each state-log table: its header and the indented rows under it."""
    out: list[str] = []
    in_table = False
    for line in lines:
        if STATE_LOG_HEADER.match(line):
            in_table = True
            continue
        if in_table and STATE_LOG_ROW.match(line):
            continue
        in_table = False
        out.append(line)
    return out


def run_names(text: str, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Map each generated run name to a placeholder numbered by first appearance.

    Names come from the transcript's ``Flow run '...'`` / ``Task run '...'``
    prefixes, then from `extra` (kind, name) pairs such as the state records.
    Only generated names are mapped: templated ones (``run-for-Paris-3``) are
    the same in every run and stay as they are. A task run named like a flow run
    (``cheerful-robin``: the one run_deployment adds in a flow) is ``<task-run-N>``.
    """
    found: list[tuple[str, str]] = [
        ("flow" if m.group("kind") == "Flow run" else "task", m.group("run"))
        for m in RUN_PREFIX.finditer(ANSI.sub("", text))
    ]
    found.extend(extra)
    mapping: dict[str, str] = {}
    flows = tasks = slugs = 0
    for kind, name in found:
        if name in mapping:
            continue
        if kind == "flow" and FLOW_RUN_SLUG.match(name):
            flows += 1
            mapping[name] = f"<flow-run-{flows}>"
        elif kind == "task" and (m := TASK_RUN_SUFFIX.match(name)):
            tasks += 1
            mapping[name] = f"{m.group('task')}-<{tasks}>"
        elif kind == "task" and FLOW_RUN_SLUG.match(name):  # the task run run_deployment adds: the server names it
            slugs += 1
            mapping[name] = f"<task-run-{slugs}>"
    return mapping


def rename(text: str, mapping: dict[str, str]) -> str:
    for raw in sorted(mapping, key=len, reverse=True):
        text = text.replace(raw, mapping[raw])
    return text


def mask_transcript(text: str, mapping: dict[str, str], paths: dict[str, str] | None = None) -> list[str]:
    """A script's transcript with only the truly varying fields masked, as lines.

    `mapping` comes from `run_names`; `paths` maps folders (where the checkout
    happens to be) to fixed labels.
    """
    lines = [line for line in text.splitlines() if not any(p.search(ANSI.sub("", line)) for p in SERVER_LINES)]
    lines = _drop_state_logs(_drop_engine_frames(lines))
    text = "\n".join(LOG_TIMESTAMP.sub(MASKED_TIME, line) for line in lines)
    for folder, label in (paths or {}).items():
        text = text.replace(folder, label)
    text = STDLIB_LINE.sub(r"\1:<line>:", text)  # a warning's location: varies with the Python version
    text = _common(rename(text, mapping))
    text = ADDRESS.sub("0x<address>", text)
    text = JITTERED.sub(r"\1<jittered>\2", text)
    text = RUN_TAG.sub("conformance-<tag>", text)
    return text.splitlines()


# -- CLI transcripts: real Prefect's `prefect` command against sim_prefect.cli -----------------

CLI_COMMAND = re.compile(r"^\$ (?:COLUMNS=\d+ )?prefect")  # the line a transcript shows before a command's output
DATE = r"\d{4}-\d{2}-\d{2}"
ISO_TIME = re.compile(rf"\b{DATE}T\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d+)?(?:Z|[+-]\d{{2}}:\d{{2}})?")
LOG_DATE = re.compile(rf"^{DATE} \d{{2}}:\d{{2}}:\d{{2}}\.\d{{3}}(?= \| )", re.M)  # `prefect flow-run logs`
SHOWN_TIME = re.compile(rf"\b{DATE} \d{{2}}:\d{{2}}:\d{{2}} [A-Z]{{2,5}}\b")  # a scheduled start time
DATETIME_REPR = re.compile(r"\b(?:DateTime|datetime\.datetime)\(\d{4}, [^)]*?tzinfo=(?:Timezone\('UTC'\)|TzInfo\(0\))\)")
DURATION_REPR = re.compile(r"\bdatetime\.timedelta\([^)]*\)")
DURATION_JSON = re.compile(r'("(?:total_run_time|estimated_run_time|estimated_start_time_delta)": )[-0-9.e]+')
RELATIVE = re.compile(
    r"\b(?:in (?:a few seconds|\d+ (?:second|minute|hour|day|week|month|year)s?)"
    r"|(?:a few seconds|\d+ (?:second|minute|hour|day|week|month|year)s?) ago)\b"
)
WATCH_LINE = re.compile(r"^● .{12} .{12} ")  # a `--watch` event line: time and run id
CUT_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f-]*…")  # an id cut short to fit its table column
BOX_FILL = re.compile(r"([━─])\1+| {2,}")
BOX_CHARS = re.compile(r"[┃│┏┓┗┛┡┩└┘╭╮╰╯┳┻╇┴┬┼━─]")


def _without_widths(lines: list[str]) -> list[str]:
    """A table or panel without the widths its cells give it: runs of spaces and rules made one, titles unpadded."""
    return [BOX_FILL.sub(lambda m: m.group(1) or " ", line) if BOX_CHARS.search(line) else line.strip() for line in lines]


# `prefect deployment run` without --flow-run-name: the run's generated name (adjective-animal).
CREATED_GENERATED_NAME = re.compile(rf"^(Created flow run '){SLUG}('\.)$", re.M)


def mask_cli_transcript(text: str, paths: dict[str, str] | None = None) -> list[str]:
    """A CLI session's transcript (tests/harness/cli_session.py) with only what varies masked, as lines.

    Ids, dates and times (ISO, reprs, log lines, scheduled start times), durations, and
    the engine's traceback frames (as in `mask_transcript`). A command marked
    ``# relative`` tells times in words ("2 minutes ago"): those are masked, and its
    tables' widths, which follow their length, are not compared.
    """
    for folder, label in (paths or {}).items():
        text = text.replace(folder, label)
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        header, body = block[0], _drop_engine_frames(block[1:])
        body_text = "\n".join(LOG_TIMESTAMP.sub(MASKED_TIME, line) for line in body)
        body_text = LOG_DATE.sub("<date> HH:MM:SS.mmm", body_text)
        body_text = DATETIME_REPR.sub("<datetime>", body_text)
        body_text = ISO_TIME.sub("<datetime>", body_text)
        body_text = SHOWN_TIME.sub("<date> <time> <zone>", body_text)
        body_text = DURATION_REPR.sub("<duration>", body_text)
        body_text = DURATION_JSON.sub(r"\1<duration>", body_text)
        body_text = "\n".join(WATCH_LINE.sub("● <time> <run-id> ", line) for line in body_text.split("\n"))
        if "--flow-run-name" not in header:
            body_text = CREATED_GENERATED_NAME.sub(r"\1<flow-run>\2", body_text)  # a name Prefect made up
        lines = CUT_UUID.sub("<uuid>…", _common(body_text)).split("\n")
        if header.endswith("# relative"):
            lines = _without_widths([RELATIVE.sub("<relative>", line) for line in lines])
        out.extend([_common(header), *lines])
        block.clear()

    for line in text.splitlines():
        if CLI_COMMAND.match(line):
            flush()
        block.append(line)
    flush()
    return out


# -- page output: a Run in the page against the expected log ------------------------------


PYTEST_SUMMARY_TIME = re.compile(r"^(\d+ (?:passed|failed|error)\b[^\n]*?) in \d+\.\d+s$", re.M)
UNSTARTED_RUN_ROW = re.compile(rf"^( +(?:task|flow) run '){SLUG}'", re.M)


def mask_page_output(text: str) -> str:
    """Output of the page's fast mode and the deterministic expected log, made comparable."""
    for i, name in enumerate(dict.fromkeys(BEGINNING.findall(text))):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"<flow-run-{i}>", text)
    text = ANY_TIME.sub(MASKED_TIME, text)
    text = TASK_SUFFIX_IN_TEXT.sub("-<xxx>", text)
    # State-log rows of runs that never began (a deployment's runs ahead, Late ones, the task run that stands for a
    # deployment's run in the flow that called run_deployment): generated names.
    text = UNSTARTED_RUN_ROW.sub(r"\1<generated>'", text)
    text = DURATION.sub(" <T>s", text)
    text = PYTEST_SUMMARY_TIME.sub(r"\1 in <T>s", text)  # pytest's own measure of a test module's Run
    text = _common(text)
    return STATE_LOG_ROW.sub(lambda m: m.group(1) + " ".join(m.group(2).split()), text)


# -- CPython against Pyodide ------------------------------------------------------------------


def mask_interpreters(text: str) -> str:
    """The same deterministic run in CPython and in Pyodide: what only the interpreter changes."""
    text = ADDRESS.sub("0x<address>", text)
    text = DID_YOU_MEAN.sub("", text)
    text = SIM_PREFECT_FRAME.sub('File "<sim_prefect>/', text)
    return "\n".join(_without_carets(text.split("\n")))


__all__ = [
    "ANSI",
    "FLOW_RUN_SLUG",
    "MASKED_TIME",
    "RUN_LABEL",
    "TASK_RUN_SUFFIX",
    "UUID",
    "is_engine_frame",
    "mask_interpreters",
    "mask_cli_transcript",
    "mask_page_output",
    "mask_transcript",
    "rename",
    "run_names",
]
