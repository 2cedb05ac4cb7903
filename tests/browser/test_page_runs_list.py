"""The page's runs list, like the Runs page of Prefect's UI: every flow run of every Run on the
page (from the session's store, which outlives a Run), newest first, a deployment's scheduled
runs included; a row opens its run view; Clear empties it with the cached results.

Each host gets a page of its own: the list is the whole session's.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.page_helpers import SNIPPET, run, run_code
from tests.browser.test_page_a11y import axe_violations
from tests.browser.test_page_run_view import view_ready

pytestmark = pytest.mark.browser
PANEL = "[data-runs-panel]"

SCHEDULED = '''from prefect import flow


@flow(name="nightly-report")
def nightly(day: str = "today") -> str:
    return day


nightly.to_deployment(name="every-hour", interval=3600).apply()
nightly()
'''


def rows(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    open_panel(page)
    body = page.locator(f"{PANEL} .rv-runs tbody tr")
    return [body.nth(i).locator("th, td").all_inner_texts() for i in range(body.count())]


def open_panel(page) -> None:  # type: ignore[no-untyped-def]
    if page.locator(PANEL).get_attribute("open") is None:
        page.locator(f"{PANEL} > summary").click()


def run_name(page) -> str:  # type: ignore[no-untyped-def]
    """The flow run the pipeline's last Run made, as its run view names it."""
    view_ready(page)
    return page.locator(f"{SNIPPET} [data-run-view] .rv-run-name").inner_text()


def test_two_runs_make_two_rows_newest_first_and_clear_empties_the_list(session_page) -> None:
    page = session_page
    panel = page.locator(PANEL)
    assert panel.is_visible() and panel.locator("[data-runs-count]").inner_text() == "0"
    open_panel(page)
    assert "No flow runs yet" in panel.inner_text()
    assert run(page)["ok"]
    first = run_name(page)
    page.wait_for_function("() => document.querySelector('[data-runs-count]').textContent === '1'")
    assert run(page)["ok"]
    second = run_name(page)
    page.wait_for_function("() => document.querySelector('[data-runs-count]').textContent === '2'")
    # From a Run's view, a link leads to the list at the top of the lesson, open.
    page.locator(f"{PANEL} > summary").click()
    assert panel.get_attribute("open") is None
    page.locator(f"{SNIPPET} [data-run-view]").get_by_role("link", name="All runs on this page").click()
    assert panel.get_attribute("open") is not None and page.evaluate("location.hash") == "#runs-on-this-page"
    assert panel.locator(".rv-runs").is_visible()
    listed = rows(page)
    assert [r[1] for r in listed] == [second, first], listed  # newest first
    for flow, name, state, start, duration in listed:
        assert flow == "example-pipeline" and state == "Completed"
        assert re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d", start) and duration == "10s", (start, duration)
    assert panel.locator(".rv-runs .rv-badge-COMPLETED").count() == 2  # state in colour, and in words
    # A row opens its run view, under the list.
    panel.locator(".rv-runs tbody tr").nth(1).locator("td").first.click()
    view = panel.locator(".run-view")
    view.locator(".rv-node").first.wait_for()
    assert view.locator(".rv-run-name").inner_text() == first
    assert panel.get_by_role("button", name=first).get_attribute("aria-current") == "true"
    assert [n.startswith(("fetch_data-", "process_data-")) for n in view.locator(".rv-node").evaluate_all("els => els.map((e) => e.dataset.runName)")] == [True, True]
    panel.get_by_role("button", name=second).click()
    assert view.locator(".rv-run-name").inner_text() == second
    # Clear: the cached results and the session's runs go, and every view says so.
    page.locator(f"{SNIPPET} [data-clear-cache]").click()
    page.wait_for_function("() => document.querySelector('[data-runs-count]').textContent === '0'")
    assert rows(page) == [] and "No flow runs yet" in panel.inner_text()
    assert view.is_hidden()
    assert "Cleared" in page.locator(f"{SNIPPET} [data-run-view] .rv-empty").inner_text()
    assert page.locator(f"{SNIPPET} [data-clear-cache]").is_hidden()
    # The next Run starts on an empty server: one row again.
    assert run(page)["ok"]
    third = run_name(page)
    page.wait_for_function("() => document.querySelector('[data-runs-count]').textContent === '1'")
    assert [r[1] for r in rows(page)] == [third]
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_deployment_s_scheduled_runs_are_listed_with_their_expected_start(session_page) -> None:
    page = session_page
    before = len(rows(page))
    assert run_code(page, SCHEDULED)["ok"]
    page.wait_for_function(f"() => +document.querySelector('[data-runs-count]').textContent >= {before + 4}")
    listed = [r for r in rows(page) if r[0].startswith("nightly-report")]
    scheduled = [r for r in listed if r[2] == "Scheduled"]
    assert len(scheduled) >= 3 and len(listed) == len(scheduled) + 1, listed
    for flow, name, state, start, duration in scheduled:
        assert "deployment every-hour" in flow and start.startswith("Scheduled for ") and duration == "—", (flow, start)
    starts = [r[3].removeprefix("Scheduled for ") for r in scheduled]
    assert starts == sorted(starts, reverse=True)  # the latest expected start first, as Prefect sorts its Runs page
    assert listed[-1][2] == "Completed" and listed.index(listed[-1]) == len(listed) - 1  # the run made now comes after
    # A scheduled run's view: no task runs yet, and when it is expected.
    page.locator(PANEL).get_by_role("button", name=scheduled[0][1]).click()
    view = page.locator(f"{PANEL} .run-view")
    assert view.locator(".rv-facts").inner_text().startswith("Expected to start ")
    assert "This flow run has no task runs." in view.locator(".rv-graph").inner_text()
    assert view.get_by_role("tab", name="Logs").get_attribute("aria-selected") == "true"
    assert view.locator(".rv-count").inner_text() == "Run has not yet started. Check back soon for logs."  # Prefect's words


def test_the_runs_list_fits_a_small_screen_and_passes_axe(session_page, artifacts) -> None:
    page = session_page
    if not rows(page):
        assert run(page)["ok"]
        page.wait_for_function("() => document.querySelector('[data-runs-count]').textContent !== '0'")
    open_panel(page)
    page.locator(f"{PANEL} .rv-runs tbody tr").first.locator("th button").click()
    page.locator(f"{PANEL} .run-view:not([hidden])").wait_for()
    for width in (360, 1280):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(400)  # the page marks code that scrolls sideways 200 ms after a resize
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
            page.locator(PANEL).screenshot(path=str(artifacts / f"runs-list-{width}-{scheme}.png"))
            violations = axe_violations(page)
            assert violations == [], (width, scheme, violations)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")
