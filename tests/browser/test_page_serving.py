"""A Run that keeps going, in Chromium: serving until Stop, and a paused run answered through its form.

As a learner would: page 6's serving example, its page-only stop line deleted (so it serves until
Stop, as `python serve.py` does until Ctrl-C), on an hourly schedule at 3600× (a run each real
second); a run asked for from the Terminal while it serves, and served by it; Stop, which ends
serving as Ctrl-C does. Page 8's refunds wait for a person: the form built from their RunInput
refuses an answer that does not fit (Prefect's reason shown) and resumes the run with one that does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.browser.page_helpers import arm_finished, original_code, output_text, set_code, status_text, wait_finished, wait_ready
from tests.browser.test_page_a11y import axe_violations
from tests.browser.test_page_terminal import type_line

pytestmark = pytest.mark.browser
SERVING_PAGE = "06-deployments-and-schedules.html"
SERVE = "[data-snippet$='--serve_prices']"
PAUSING_PAGE = "08-transactions-limits-and-people.html"
REFUNDS = "[data-snippet$='--approve_refunds']"
RUNS = "#runs-on-this-page"
WAIT_MS = 30_000

SERVE_ENDLESS = '''\
from prefect import flow


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    print(f"Refreshing {source} prices in {currency}")


if __name__ == "__main__":
    refresh_prices.serve(name="hourly", interval=3600, parameters={"source": "suppliers"})
    print("serving ended")
'''


@pytest.fixture(params=["plain", "isolated"])
def page_of(request, browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    server = request.getfixturevalue("site_server" if request.param == "plain" else "isolated_server")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]

    def open_page(path: str, snippet: str):  # type: ignore[no-untyped-def]
        page.goto(server.url + path)
        wait_ready(page, snippet)
        return page

    yield open_page
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def _serve_endless(page_of):  # type: ignore[no-untyped-def]
    """Page 6's serving example without its stop line, Run: the page and its Serving panel, once it serves."""
    page = page_of(SERVING_PAGE, SERVE)
    set_code(page, SERVE, SERVE_ENDLESS)
    arm_finished(page, SERVE)
    page.click(f"{SERVE} [data-run]")
    serving = page.get_by_role("group", name="Serving serve_prices.py")
    serving.wait_for(timeout=WAIT_MS)
    return page, serving


def test_a_run_that_serves_goes_on_until_stop_at_the_chosen_speed_and_serves_a_run_asked_for_in_the_terminal(page_of) -> None:
    page, serving = _serve_endless(page_of)
    assert "Serving 'refresh-prices/hourly'. Stop ends it, as Ctrl-C does at home." in serving.inner_text()
    assert status_text(page, SERVE) == "Serving…"
    speed = serving.get_by_role("group", name="Clock speed")
    assert speed.get_by_label("60×", exact=True).is_checked()
    speed.get_by_label("3600×", exact=True).check()
    # An hourly schedule at 3600×: a run each real second, each in the output and the runs list.
    page.wait_for_function(
        "s => (document.querySelector(s + ' [data-output]').textContent.match(/Finished in state Completed\\(\\)/g) || []).length >= 3",
        arg=SERVE, timeout=WAIT_MS,
    )  # fmt: skip
    assert page.evaluate("window.__finished") is None, "it serves on"

    text, status = type_line(page, "prefect deployment run refresh-prices/hourly --param source=web")
    assert status == 0, text
    created = re.search(r"Created flow run '([a-z]+-[a-z]+)'", text)
    assert created, text
    name = created[1]
    run_id = re.search(r"UUID: ([0-9a-f-]{36})", text)
    assert run_id, text
    # The served process picks it up at its next poll, and runs it with the parameter given.
    page.wait_for_function(
        "s => document.querySelector(s + ' [data-output]').textContent.includes('Refreshing web prices in EUR')",
        arg=SERVE, timeout=WAIT_MS,
    )  # fmt: skip
    inspected, status = type_line(page, f"prefect flow-run inspect {run_id[1]}")
    assert status == 0 and "state_type=StateType.COMPLETED" in inspected, inspected

    page.click(f"{SERVE} [data-stop]")
    detail = wait_finished(page)
    assert detail["ok"] and not detail["stopped"], detail
    out = output_text(page, SERVE)
    assert "Received KeyboardInterrupt, shutting down..." in out
    assert out.rstrip().endswith("serving ended")
    assert not serving.count() or not serving.is_visible()
    # What the served process's server knew is kept: the runs list has the run asked for, Completed.
    page.locator(f"{RUNS} > summary").click()
    row = page.locator(f"{RUNS} .rv-runs tbody tr", has_text=name)
    row.wait_for(timeout=WAIT_MS)
    assert "Completed" in row.inner_text()


def test_a_paused_run_is_answered_through_its_form_which_shows_prefects_reason_for_a_bad_answer(page_of) -> None:
    page = page_of(PAUSING_PAGE, REFUNDS)
    arm_finished(page, REFUNDS)
    page.click(f"{REFUNDS} [data-run]")
    form = page.get_by_role("form", name=re.compile(r"^Resume flow run "))
    form.wait_for(timeout=WAIT_MS)
    assert "Pay 2 refunds, 155.00 EUR in all?" in form.inner_text()
    assert "It times out after 600 s of the session's clock (10 s at 60×)" in form.inner_text()
    # The form starts from the run's initial data (approve=False); the reviewer is required: leaving it
    # out is refused with the validation's reason, and the run stays paused.
    approve = form.get_by_label("Approve", exact=True)
    assert approve.input_value() == "false"
    approve.select_option("true")
    form.get_by_role("button", name="Resume").click()
    alert = form.get_by_role("alert")
    page.wait_for_function("el => el.textContent.length > 0", arg=alert.element_handle(), timeout=WAIT_MS)
    assert "reviewer" in alert.inner_text().lower()
    assert page.evaluate("window.__finished") is None
    form.get_by_label("Reviewer (required)").fill("Ana")
    form.get_by_role("button", name="Resume").click()
    detail = wait_finished(page)
    assert detail["ok"], detail
    out = output_text(page, REFUNDS)
    assert "Resuming flow run execution!" in out
    assert "Ana approved the refunds" in out
    assert "paid 2 refunds, 155.00 EUR in all" in out


def _look_at(page, panel, artifacts, name: str) -> None:  # type: ignore[no-untyped-def]
    """The panel at 360 and 1280 px, light and dark: no sideways scroll, a screenshot of it; then axe."""
    for width in (360, 1280):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)
            panel.scroll_into_view_if_needed()
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
            panel.screenshot(path=str(artifacts / f"{name}-{width}-{scheme}.png"))
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_serving_panel_and_a_paused_runs_form_fit_a_small_screen_and_pass_axe(page_of, artifacts) -> None:
    page, serving = _serve_endless(page_of)
    _look_at(page, page.locator(f"{SERVE} .live-run"), artifacts, "live-serving")
    page.click(f"{SERVE} [data-stop]")
    wait_finished(page)

    page = page_of(PAUSING_PAGE, REFUNDS)
    # Ten hours to answer (ten minutes of real time at 60×): time enough to look at the form.
    set_code(page, REFUNDS, original_code(page, REFUNDS).replace("timeout=600", "timeout=36000"))
    arm_finished(page, REFUNDS)
    page.click(f"{REFUNDS} [data-run]")
    form = page.get_by_role("form", name=re.compile(r"^Resume flow run "))
    form.wait_for(timeout=WAIT_MS)
    form.get_by_role("button", name="Resume").click()  # no reviewer: the refusal shows too
    page.wait_for_function("el => el.textContent.length > 0", arg=form.get_by_role("alert").element_handle(), timeout=WAIT_MS)
    _look_at(page, page.locator(f"{REFUNDS} .live-run"), artifacts, "live-pause-form")
    form.get_by_label("Reviewer (required)").fill("Ana")
    form.get_by_role("button", name="Resume").click()
    assert wait_finished(page)["ok"]


def test_python_file_in_the_terminal_hands_the_prompt_back_once_the_script_serves(page_of) -> None:
    page = page_of(SERVING_PAGE, SERVE)
    set_code(page, SERVE, SERVE_ENDLESS)
    arm_finished(page, SERVE)
    text, status = type_line(page, "python serve_prices.py")
    assert status == 0 and "serves on under its snippet" in text, text
    assert "Your flow 'refresh-prices' is being served and polling for scheduled runs!" in text
    listed, status = type_line(page, "prefect deployment ls")
    assert status == 0 and "refresh-prices/hourly" in listed, listed
    assert page.evaluate("window.__finished") is None
    page.click(f"{SERVE} [data-stop]")
    assert wait_finished(page)["ok"]
    assert "Received KeyboardInterrupt, shutting down..." in output_text(page, SERVE)
