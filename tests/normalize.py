"""The one normalisation the runtime checks use, and only for the page.

CPython and Node's Pyodide run the demos in sim_prefect's deterministic mode, so
their output is compared with the expected log byte for byte. The page runs in
``fast`` mode, as learners see it: real wall-clock timestamps and random run
names. `normalize` hides exactly those, and nothing else:

- the ``HH:MM:SS.mmm`` time at the start of each log line, and in the state-log table;
- flow-run names (``adjective-animal``, learnt from the "Beginning flow run" lines),
  quoted or as a script prints them;
- the 3-hex-character suffix of task-run names, quoted or followed by a colon;
- the durations in the state-log table (``10.018s``), which include real elapsed time,
  and that table's column padding, which follows the length of the random names;
- run ids (UUIDs) quoted in messages, and the random id of a timeout's cancel scope.
"""

from __future__ import annotations

import re

_TIME = re.compile(r"\b\d{2}:\d{2}:\d{2}\.\d{3}\b")
_FLOW_RUN = re.compile(r"Beginning (?:sub)?flow run '([a-z]+-[a-z]+)'")
_TASK_SUFFIX = re.compile(r"(?<=[A-Za-z0-9_])-[0-9a-f]{3}(?=['\:])")
_DURATION = re.compile(r" +\d+\.\d{3}s(?= )")
_TABLE_ROW = re.compile(r"^( +)((?:flow|task) run '.*)$", re.M)
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_CANCEL_SCOPE = re.compile(r"(?<=cancel scope )[0-9a-f]{12}\b")


def normalize(text: str) -> str:
    for i, name in enumerate(dict.fromkeys(_FLOW_RUN.findall(text))):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"<flow-run-{i}>", text)
    text = _TIME.sub("HH:MM:SS.mmm", text)
    text = _TASK_SUFFIX.sub("-<xxx>", text)
    text = _DURATION.sub(" <T>s", text)
    text = _UUID.sub("<uuid>", text)
    text = _CANCEL_SCOPE.sub("<scope>", text)
    return _TABLE_ROW.sub(lambda m: m.group(1) + " ".join(m.group(2).split()), text)
