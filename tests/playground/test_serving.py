"""A Run that serves or pauses in the page (playground/serving.py), driven as the page drives it, in CPython.

Here the page's wait is a plain sleep (no WebAssembly stack switching), and the page's messages come from
another thread: what they do to the Run is the same. The browser test (tests/browser/test_page_serving.py)
holds the same in Chromium, through the worker.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from playground import serving
from playground.runner import run
from sim_prefect.learner_clock import ORIGINAL

# While a Run goes on, the page's runner sends every time.sleep to the session's clock (there is one
# thread in the page); this test's own waits are real ones.
sleep, monotonic = ORIGINAL["sleep"], ORIGINAL["monotonic"]

SERVE_ENDLESS = """
from prefect import flow

@flow(log_prints=True)
def tick():
    print("tick")

tick.serve(name="every-minute", interval=60)
print("after serving")
"""

SERVE_BOUNDED = """
import sim_prefect
from prefect import flow

@flow
def tick():
    pass

sim_prefect.session().serving.until = sim_prefect.session().now() + 3 * 24 * 3600
tick.serve(name="hourly", interval=3600)
"""

PAUSE = """
from prefect import flow, pause_flow_run
from prefect.input import RunInput

class Approval(RunInput):
    approved: bool
    reviewer: str = "nobody"

@flow(log_prints=True)
def payout():
    answer = pause_flow_run(wait_for_input=Approval, timeout=600)
    print(f"approved={answer.approved} by {answer.reviewer}")

payout()
"""


class Page:
    """The page's side: every message the Run sends, and the page's controls from another thread."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.seen = threading.Condition()

    def post(self, batch: str) -> None:
        with self.seen:
            self.messages.extend(json.loads(batch))
            self.seen.notify_all()

    def wait_for(self, test: Any, timeout: float = 20.0) -> dict[str, Any]:
        with self.seen:
            assert self.seen.wait_for(lambda: any(test(m) for m in self.messages), timeout), self.messages[-5:]
            return next(m for m in self.messages if test(m))

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]


@pytest.fixture(autouse=True)
def _stop_whatever_serves() -> Iterator[None]:
    yield
    serving.control_json(json.dumps({"stop": True}))  # a failed test's serve ends too


def _a_served_run(message: dict[str, Any]) -> bool:
    return message.get("type") == "log" and "Finished in state Completed()" in message["text"]


def _in_thread(code: str, page: Page, speed: float | None) -> tuple[threading.Thread, dict[str, Any]]:
    done: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: done.update(result=run(code, post=page.post, mode="fast", speed=speed)), daemon=True)
    thread.start()
    return thread, done


def test_an_endless_serve_runs_at_the_pages_speed_until_stop_and_stops_as_ctrl_c() -> None:
    page = Page()
    thread, done = _in_thread(SERVE_ENDLESS, page, speed=3600)  # a run every 60/3600 s
    started = page.wait_for(lambda m: m.get("type") == "serving" and m["active"])
    assert started["deployments"] == ["tick/every-minute"] and started["endless"] and started["speed"] == 3600
    page.wait_for(_a_served_run)
    assert thread.is_alive()  # it serves on, as `python serve.py` does
    assert json.loads(serving.control_json(json.dumps({"stop": True}))) == {"ok": True}
    thread.join(10)
    assert not thread.is_alive()
    result = done["result"]
    assert result.ok, result.error
    assert "Received KeyboardInterrupt, shutting down..." in result.output
    assert result.output.rstrip().endswith("after serving")
    assert not page.of_type("serving")[-1]["active"]
    served = [r for r in result.store.runs if r.kind == "flow" and r.state is not None and r.state.is_completed()]
    assert served and page.of_type("store"), "every served run sends the store, for the runs list"


def test_a_serve_with_its_own_end_runs_to_it_at_once_whatever_the_speed() -> None:
    page = Page()
    began = monotonic()
    result = run(SERVE_BOUNDED, post=page.post, mode="fast", speed=1)
    assert monotonic() - began < 10, "three days of hourly runs at 1x would take three days"
    assert result.ok, result.error
    assert len([r for r in result.store.runs if r.kind == "flow" and r.state.is_completed()]) >= 70
    assert page.of_type("serving")[0]["endless"] is False


def test_the_speed_control_changes_the_pace_of_a_serve_under_way() -> None:
    page = Page()
    thread, _ = _in_thread(SERVE_ENDLESS, page, speed=1)  # one run a minute, for real
    page.wait_for(lambda m: m.get("type") == "serving" and m["active"])
    sleep(1.5)
    assert len([m for m in page.messages if _a_served_run(m)]) <= 1  # the first is due at once, the next in a minute
    assert json.loads(serving.control_json(json.dumps({"speed": 3600})))["ok"]
    with page.seen:
        assert page.seen.wait_for(lambda: len([m for m in page.messages if _a_served_run(m)]) >= 3, 10)
    assert json.loads(serving.control_json(json.dumps({"speed": 7}))) == {"ok": False, "errors": ["speed must be one of (1, 60, 3600)"]}
    serving.control_json(json.dumps({"stop": True}))
    thread.join(10)
    assert not thread.is_alive()


def test_a_line_typed_while_serving_runs_on_the_served_session_and_its_run_is_served() -> None:
    page = Page()
    thread, done = _in_thread(SERVE_ENDLESS, page, speed=60)
    page.wait_for(lambda m: m.get("type") == "serving" and m["active"])
    said: list[str] = []
    typed = json.loads(serving.typed_json("prefect deployment run tick/every-minute", said.append, "{}"))
    assert typed["exit"] == 0, typed["output"]
    assert "Creating flow run for deployment 'tick/every-minute'..." in typed["output"]
    asked = [r for r in typed["store"]["runs"] if r["kind"] == "flow" and r.get("auto_scheduled") is False]
    assert asked, "the run asked for is on the served session's server"
    run_id = asked[-1]["run_id"]
    # The serving process picks it up at its next poll (10 s of the session's clock, 1/6 s here).
    page.wait_for(lambda m: m.get("type") == "store" and any(
        r["run_id"] == run_id and r["states"][-1]["type"] == "COMPLETED" for r in m["store"]["runs"]))
    serving.control_json(json.dumps({"stop": True}))
    thread.join(10)
    assert done["result"].ok


def test_a_paused_run_shows_its_form_refuses_bad_input_and_goes_on_with_good_input() -> None:
    page = Page()
    thread, done = _in_thread(PAUSE, page, speed=60)
    paused = page.wait_for(lambda m: m.get("type") == "paused" and m["form"] is not None)
    form = paused["form"]
    assert [(f["name"], f["required"], f["default"]) for f in form["fields"]] == [("approved", True, None), ("reviewer", False, "nobody")]
    assert form["timeout"] == 600
    refused = json.loads(serving.control_json(json.dumps({"resume": paused["flow_run_id"], "values": {"approved": "perhaps"}})))
    assert not refused["ok"] and "approved" in refused["errors"][0], refused
    assert thread.is_alive()
    accepted = json.loads(serving.control_json(json.dumps({"resume": paused["flow_run_id"], "values": {"approved": True, "reviewer": "ada"}})))
    assert accepted == {"ok": True, "errors": []}
    thread.join(20)
    result = done["result"]
    assert result.ok, result.error
    assert "approved=True by ada" in result.output
    assert page.of_type("paused")[-1]["form"] is None
