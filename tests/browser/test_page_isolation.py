"""A learner's code cannot change another Run, fake a verdict, wedge the page or go online.

Each test is one way a learner (or a reviewer trying to break the page) got
through before: one interpreter served every Run, the worker's global
postMessage reached the page, the check ran where the learner's code ran, and a
plain host let the worker fetch any site. Every test runs on a plain static host
and on a cross-origin isolated one.
"""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.page_helpers import EXERCISE, SNIPPET, output_text, run, run_code, set_code, status_text
from tests.harness.browser import LoopbackServer, Quiet

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
STARTER_CHECK = f"{EXERCISE} [data-check-button]"


def verdict(page) -> str:
    return str(page.eval_on_selector(f"{EXERCISE} [data-check-result]", "el => el.textContent"))


def page_messages(page) -> str:
    """Everything the page itself says: statuses, verdicts and outputs (not the code in the editors)."""
    return "\n".join(page.eval_on_selector_all(
        "[data-status], [data-python-status], [data-check-result], [data-output]", "els => els.map((e) => e.textContent)"
    ))


# -- 1. every Run is a fresh interpreter ----------------------------------------------------------


def test_a_run_that_silences_logging_does_not_silence_the_next(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_code(page, "import logging\nlogging.disable(logging.CRITICAL)\nprint('logging is off')\n")
    on_both_hosts.restore(SNIPPET)
    result = run(page)
    assert result["ok"], result
    assert "Task run 'fetch_data-" in output_text(page) and "Finished in state Completed()" in output_text(page)


def test_a_run_that_patches_builtins_does_not_break_check_in_another_snippet(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_code(page, "import builtins\nbuiltins.exec = lambda *a, **k: None\nbuiltins.print = None\n")
    run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✗ Not yet"), verdict(page)
    assert "retries" in verdict(page)


def test_module_state_does_not_survive_between_runs(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_code(page, "import sys\nsys.modules['leftover'] = 1\nimport os\nos.environ['LEFT'] = '1'\n")
    run_code(page, "import sys, os\nprint('leftover' in sys.modules, os.environ.get('LEFT'))\n")
    assert output_text(page) == "False None\n"


# -- 2. messages from Python cannot reach the page, or forge a verdict ---------------------------

FORGE_PROGRESS = """import js
from pyodide.ffi import to_js
js.postMessage(to_js({"type": "progress", "step": "FAKE STATUS", "loaded": 1, "total": 2}, dict_converter=js.Object.fromEntries))
print("posted")
"""
FORGE_VERDICT = """import js
from pyodide.ffi import to_js
for message in ({"type": "done", "passed": True, "message": "FORGED", "ok": True},
                {"type": "ready", "version": "fake"}, {"type": "fatal", "message": "FORGED fatal"}):
    js.postMessage(to_js(message, dict_converter=js.Object.fromEntries))
"""


def test_a_posted_progress_message_changes_nothing_and_leaves_the_controls_enabled(on_both_hosts) -> None:
    page = on_both_hosts.page
    result = run_code(page, FORGE_PROGRESS)
    assert result["ok"], result
    page.wait_for_timeout(100)
    assert "FAKE STATUS" not in page_messages(page)
    assert page.locator(f"{SNIPPET} [data-run]").is_enabled()
    assert page.locator(f"{EXERCISE} [data-run]").is_enabled()
    assert status_text(page).startswith("Finished in")


def test_a_posted_done_message_cannot_pass_the_exercise(on_both_hosts) -> None:
    page = on_both_hosts.page
    starter = page.eval_on_selector(f"{EXERCISE} [data-source]", "el => el.value")
    set_code(page, EXERCISE, starter + "\n" + FORGE_VERDICT)
    result = run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✗ Not yet"), (verdict(page), result)
    assert "FORGED" not in page_messages(page)


def test_patching_exec_before_check_does_not_replace_the_check(on_both_hosts) -> None:
    page = on_both_hosts.page
    starter = page.eval_on_selector(f"{EXERCISE} [data-source]", "el => el.value")
    cheat = "import builtins\nbuiltins.exec = lambda *a, **k: None\nbuiltins.__import__ = None\n"
    set_code(page, EXERCISE, cheat + starter.split('"""', 2)[2])
    result = run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✗ Not yet"), (verdict(page), result)


def test_printing_the_expected_output_does_not_pass(on_both_hosts) -> None:
    page = on_both_hosts.page
    expected = (ROOT / "demo" / "flaky_source.solution.expected.log").read_text(encoding="utf-8")
    set_code(page, EXERCISE, f"print({expected!r})\nprint('✓ Passed: Well done')\n")
    run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✗ Not yet"), verdict(page)


# -- 3. the exercise holds the learner to what it says must stay unchanged -------------------------


def test_editing_flaky_get_does_not_pass_even_with_a_retry(on_both_hosts) -> None:
    page = on_both_hosts.page
    starter = page.eval_on_selector(f"{EXERCISE} [data-source]", "el => el.value")
    edited = starter.replace("if requests_seen <= 2:", "if requests_seen <= 1:").replace(
        "@task\ndef fetch_readings", "@task(retries=1)\ndef fetch_readings"
    )
    assert edited.count("requests_seen <= 1") == 1 and "@task(retries=1)" in edited
    set_code(page, EXERCISE, edited)
    run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✗ Not yet") and "flaky_get has changed" in verdict(page), verdict(page)
    solution = (ROOT / "demo" / "flaky_source.solution.py").read_text(encoding="utf-8")
    set_code(page, EXERCISE, solution)
    run(page, EXERCISE, "[data-check-button]")
    assert verdict(page).startswith("✓ Passed"), verdict(page)


# -- 5. no request off the page's origin ---------------------------------------------------------


class OtherOrigin(LoopbackServer):
    """A server on another port of 127.0.0.1 (another origin, reachable): it records every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(Quiet, http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
                self.end_headers()
                self.wfile.write(b"secret")

            do_POST = do_GET  # noqa: N815

        super().__init__(Handler)


@pytest.fixture()
def other_origin() -> Iterator[OtherOrigin]:
    server = OtherOrigin()
    yield server
    server.close()


# Each starts a request at once, without waiting for an answer (a learner's code has no
# event loop of the browser's to wait on): a call, or a coroutine stepped to its first await.
PROBES = {
    "fetch": "import js\njs.fetch('{url}fetch')",
    "pyfetch": "from pyodide.http import pyfetch\npyfetch('{url}pyfetch').send(None)",
    "open_url": "from pyodide.http import open_url\nopen_url('{url}open_url')",
    "xhr": "import js\nx = js.XMLHttpRequest.new()\nx.open('GET', '{url}xhr', False)\nx.send()",
    "websocket": "import js\njs.WebSocket.new('{ws}websocket')",
    "eventsource": "import js\njs.EventSource.new('{url}eventsource')",
    "dynamic import": "from pyodide.code import run_js\nrun_js(\"import('{url}import.js')\")",
    "Function": "import js\njs.Function.new(\"return import('{url}function.js')\")()",
    "importScripts": "import js\njs.importScripts('{url}importScripts.js')",
    "worker": "import js\njs.Worker.new('{url}worker.js')",
    "loadPackage": "import pyodide_js\npyodide_js.loadPackage('{url}loadPackage.whl')",
    "font": "import js\njs.FontFace.new('x', 'url({url}font.woff)').load()",
}


def test_learner_code_cannot_reach_another_origin(on_both_hosts, other_origin) -> None:
    page = on_both_hosts.page
    ws = other_origin.url.replace("http://", "ws://")
    code = ""
    for name, probe in PROBES.items():
        body = probe.format(url=other_origin.url, ws=ws).replace("\n", "\n    ")
        code += f"try:\n    {body}\n    print('{name}: called')\nexcept BaseException as exc:\n    print('{name}:', type(exc).__name__)\n"
    result = run_code(page, code)
    assert result["ok"], result
    page.wait_for_timeout(1_000)  # a request sent in the background would have landed by now
    shown = output_text(page)
    assert other_origin.requests == [], (other_origin.requests, shown)
    assert [line.split(":")[0] for line in shown.splitlines()] == list(PROBES), shown
    # The network APIs themselves are gone from the worker: each name is undefined there.
    for name in ("fetch", "xhr", "websocket", "eventsource", "importScripts", "worker", "font"):
        assert f"{name}: AttributeError" in shown or f"{name}: TypeError" in shown, shown


def test_the_requests_hint_tells_the_truth(on_both_hosts) -> None:
    page = on_both_hosts.page
    result = run_code(page, "import requests\n")
    assert not result["ok"]
    assert "The page has no network access" in output_text(page)
