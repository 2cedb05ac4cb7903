"""The timeline ends a run where Python says its state is final (the `final` flag of each
state event, sim_prefect's State.to_dict), and draws a state that is not final as open."""

from __future__ import annotations

import pytest

from tests.browser.page_helpers import SNIPPET, arm_finished, set_code, wait_finished, wait_ready

pytestmark = pytest.mark.browser

STUCK = '''from sim_prefect import flow, task


@task
def quick():
    return 1


@task
def stuck():
    n = 0
    while True:  # printing now and then, so that the page hears the states before it
        n += 1
        if n % 100_000 == 0:
            print("still going")


@flow
def pipeline():
    quick()
    stuck()


pipeline()
'''
FINAL_SEGMENT = 7  # px: web/timeline.js draws a final state as a short cap


def segments(page) -> list[dict]:
    return page.eval_on_selector_all(
        f"{SNIPPET} [data-timeline] rect.tl-seg",
        "els => els.map((e) => ({run: e.dataset.runName, state: e.dataset.state,"
        " open: e.classList.contains('is-open'), w: +e.getAttribute('width')}))",
    )


def test_final_states_end_a_run_and_the_others_stay_open_until_stop(pipeline) -> None:
    page = pipeline.page
    set_code(page, SNIPPET, STUCK)
    wait_ready(page)
    arm_finished(page)
    page.click(f"{SNIPPET} [data-run]")
    try:
        page.wait_for_selector(f"{SNIPPET} rect.tl-seg.is-open[data-run-name^='stuck-']", timeout=30_000)
        page.wait_for_timeout(100)  # one more frame drawn
        during = segments(page)
    finally:
        page.click(f"{SNIPPET} [data-stop]")
        assert wait_finished(page)["stopped"]
    last = {s["run"]: s for s in during}  # each run's latest state
    quick = next(s for name, s in last.items() if name.startswith("quick-"))
    assert quick["state"] == "Completed" and not quick["open"] and abs(quick["w"] - FINAL_SEGMENT) < 0.01, quick
    flow = during[0]["run"]  # the first row: the flow run, with a generated name
    stuck = next(name for name in last if name.startswith("stuck-"))
    assert {name for name, s in last.items() if s["open"]} == {flow, stuck}, during
    assert all(s["state"] == "Running" for s in last.values() if s["open"])
    # Once the Run has ended, nothing is drawn as still going on.
    assert not any(s["open"] for s in segments(page))
    assert pipeline.errors == []
