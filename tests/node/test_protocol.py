"""The page's messages and error shape (web/protocol.js) agree with what Python builds.

An error outcome is made in two languages: by playground/runner.py for the learner's
errors (`_describe`, inside `run_json`'s outcome) and by web/protocol.js (`errorOutcome`)
for the ones the page and the worker meet themselves. The snippet reads both the same
way, so their keys must be the same: these tests hold them so, reading the JS module
through Node as the worker and the page do.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from playground import runner

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = (ROOT / "web" / "protocol.js").as_uri()
pytestmark = pytest.mark.node


def node_json(body: str) -> object:
    """Run `body` (an ES module body that has `p`, web/protocol.js) in Node and return what it prints as JSON."""
    node = shutil.which("node")
    assert node, "Node.js is required to read web/protocol.js"
    script = f"import * as p from {json.dumps(PROTOCOL)};\n{body}"
    proc = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def js() -> dict:
    return node_json(
        """
const outcome = p.errorOutcome("WorkerError", "it broke");
const made = {
  init: p.toWorker.init({ port: new MessageChannel().port1, pyodideUrl: "/pyodide/", pythonUrl: "/python.zip" }),
  start: p.toWorker.start(),
  run: p.toWorker.run("print(1)", "main.py", { mode: "fast" }),
  judge: p.toWorker.judge("def check(a): ...", "{}", ""),
  command: p.toWorker.command("prefect version", { columns: 80 }),
  typed: p.toWorker.typed(1, "prefect flow-run ls", { columns: 80 }),
  control: p.toWorker.control(2, { speed: 60 }),
  progress: p.toPage.progress("Downloading Python…", 10, 100),
  snapshot: p.toPage.snapshot(new Blob([new Uint8Array(2)]), new Blob([new Uint8Array(3)])),
  ready: p.toPage.ready("0.0.0", "3.14.0"),
  fatal: p.toPage.fatal("no"),
  messages: p.toPage.messages("[]"),
  done: p.toPage.done("{}"),
  said: p.toPage.said(1, "[]"),
  answered: p.toPage.answered(2, "{}"),
};
const refused = (make) => { try { make(); return false; } catch (err) { return err instanceof TypeError; } };
console.log(JSON.stringify({
  errorKeys: p.ERROR_KEYS,
  madeErrorKeys: Object.keys(outcome.error),
  outcomeKeys: Object.keys(outcome),
  outcome,
  toWorker: Object.keys(p.toWorker),
  toPage: Object.keys(p.toPage),
  accepted: Object.fromEntries(Object.entries(made).map(([type, m]) =>
    [type, m.type === type && p.isMessage(m, type in p.toPage ? p.toPage : p.toWorker)])),
  crossed: p.isMessage(made.run, p.toPage) || p.isMessage(made.done, p.toWorker),
  rejected: [
    p.isMessage({ type: "done", outcome: { ok: true } }, p.toPage),
    p.isMessage({ type: "progress", step: "x", loaded: "1", total: 2 }, p.toPage),
    p.isMessage({ type: "hello" }, p.toPage),
    p.isMessage(null, p.toPage),
    p.isMessage("done", p.toPage),
  ],
  refused: [
    refused(() => p.toWorker.run("x", undefined, {})),
    refused(() => p.toPage.snapshot([1, 2], new Uint8Array(1))),
    refused(() => p.toWorker.init({ pyodideUrl: "/pyodide/" })),
    refused(() => p.toWorker.typed("1", "prefect version", {})),
  ],
  malformed: p.readOutcome("{not json"),
  notAnOutcome: p.readOutcome("[1, 2]"),
  batch: p.readBatch('[{"type": "stdout", "text": "hi"}, 3, null]'),
  notABatch: p.readBatch('{"type": "stdout"}'),
}));
"""
    )


def test_python_errors_have_exactly_the_keys_of_the_pages_error_shape(js: dict) -> None:
    assert js["madeErrorKeys"] == js["errorKeys"]
    for exc, line in [(ZeroDivisionError("division by zero"), 2), (SyntaxError("invalid syntax"), None)]:
        assert list(runner._describe(exc, "main.py", line)) == js["errorKeys"], type(exc).__name__


def test_a_failed_run_json_outcome_has_the_shape_of_an_error_outcome(js: dict) -> None:
    outcome = json.loads(runner.run_json("1 / 0\n", "main.py", lambda _json: None, '{"mode": "deterministic"}'))
    # A Run's outcome may carry more (its records for a check, the session's store); never less.
    assert js["outcomeKeys"] == ["ok", "error"] and list(outcome)[:2] == js["outcomeKeys"], list(outcome)
    assert outcome["ok"] is js["outcome"]["ok"] is False
    assert list(outcome["error"]) == js["errorKeys"]
    # The values are of the same kinds on both sides.
    made = js["outcome"]["error"]
    for key, value in outcome["error"].items():
        assert type(value) is type(made[key]) or value is None or made[key] is None, key


def test_an_error_made_by_the_page_reads_as_the_snippet_expects(js: dict) -> None:
    assert js["outcome"] == {
        "ok": False,
        "error": {"type": "WorkerError", "message": "it broke", "line": None, "traceback": "it broke",
                  "summary": "it broke", "interrupted": False},
    }  # fmt: skip


def test_every_message_type_is_named_once_in_its_direction(js: dict) -> None:
    assert js["toWorker"] == ["init", "start", "run", "judge", "command", "typed", "control"]
    assert js["toPage"] == ["progress", "snapshot", "ready", "fatal", "messages", "done", "said", "answered"]
    assert all(js["accepted"].values()), js["accepted"]
    assert js["crossed"] is False


def test_malformed_messages_are_refused_where_made_and_where_read(js: dict) -> None:
    assert js["rejected"] == [False] * 5
    assert js["refused"] == [True] * 4


def test_what_python_sends_is_parsed_into_data_never_an_exception(js: dict) -> None:
    assert js["malformed"]["error"]["type"] == js["notAnOutcome"]["error"]["type"] == "WorkerError"
    assert js["batch"] == [{"type": "stdout", "text": "hi"}]
    assert js["notABatch"] == []
