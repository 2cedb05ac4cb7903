"""The built site in Debian's Chromium: a learner clicks Run and sees the state log,
and the state timeline drawn from the run's events."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lessonbuild.demos import Demo, diff
from tests.browser.page_helpers import LESSON, SNIPPET, output_text, run, status_text, wait_ready
from tests.harness.normalize import mask_page_output

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
CONCURRENCY = "[data-snippet$='--concurrency']"


def test_page_shows_expected_output_and_disabled_run_before_python_is_ready(page, site_server, artifacts) -> None:
    page.goto(site_server.url + LESSON)
    shown = page.eval_on_selector(f"{SNIPPET} [data-output]", "el => el.textContent")
    assert shown == Demo(ROOT / "demo" / "pipeline.py").expected()
    assert page.locator(f"{SNIPPET} [data-run]").is_disabled()
    assert page.locator(f"{SNIPPET} [data-run]").inner_text() == "Run"
    # While Python loads: the step in words, and the bytes so far.
    page.wait_for_function(f"() => /MB$/.test(document.querySelector(\"{SNIPPET} [data-load-bytes]\").textContent)")
    assert page.locator(f"{SNIPPET} [data-load-progress]").is_visible()
    assert status_text(page).startswith(("Downloading Python", "Starting Python", "Loading sim_prefect"))
    page.locator(f"{SNIPPET} [data-controls]").screenshot(path=str(artifacts / "loading-controls.png"))


def test_run_prints_the_expected_state_log(pipeline) -> None:
    page = pipeline.page
    result = run(page)
    assert result["ok"], result
    output = output_text(page)
    expected = Demo(ROOT / "demo" / "pipeline.py").expected() or ""
    assert mask_page_output(output) == mask_page_output(expected), diff(mask_page_output(expected), mask_page_output(output), "pipeline.py")
    assert "Retry 1/2 will start 10 second(s) from now" in output
    assert status_text(page).startswith("Finished in")
    # Prefect's colours come from the runner's segments, as spans with classes.
    assert page.locator(f"{SNIPPET} [data-output] .log-info_level").count() >= 9
    assert page.locator(f"{SNIPPET} [data-output] .log-completed_state").count() >= 3
    assert pipeline.errors == []


def test_timeline_draws_the_retry_as_an_awaiting_retry_segment(pipeline) -> None:
    page = pipeline.page
    run(page)
    timeline = page.locator(f"{SNIPPET} [data-timeline]")
    assert timeline.is_visible()
    rows = page.eval_on_selector_all(f"{SNIPPET} [data-timeline] .tl-label", "els => els.map((e) => e.dataset.runName)")
    assert len(rows) == 3 and rows[1].startswith("fetch_data-") and rows[2].startswith("process_data-")
    segments = page.eval_on_selector_all(
        f"{SNIPPET} [data-timeline] rect.tl-seg",
        "els => els.map((e) => ({run: e.dataset.runName, state: e.dataset.state, cls: e.getAttribute('class'),"
        " x: +e.getAttribute('x'), w: +e.getAttribute('width')}))",
    )
    fetch = [s for s in segments if s["run"].startswith("fetch_data-")]
    assert [s["state"] for s in fetch] == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    waiting = fetch[2]
    assert "st-SCHEDULED" in waiting["cls"]
    # The 10 s wait dominates the 10.02 s flow: the AwaitingRetry segment spans most of the plot.
    flow = [s for s in segments if s["run"] == rows[0]]
    flow_width = flow[-1]["x"] + flow[-1]["w"] - flow[0]["x"]
    assert waiting["w"] > 0.8 * flow_width, (waiting, flow)
    legend = page.eval_on_selector(f"{SNIPPET} .timeline-legend", "el => el.textContent")
    assert "AwaitingRetry" in legend and "Retrying" in legend
    table = page.eval_on_selector(f"{SNIPPET} .timeline-table", "el => el.textContent")
    assert "Pending +" in table and "AwaitingRetry +" in table


def test_timeline_puts_submitted_task_runs_side_by_side(lesson) -> None:
    page = lesson.page
    assert page.locator(CONCURRENCY).count(), "the lesson has no concurrency snippet"
    run(page, CONCURRENCY)
    segments = page.eval_on_selector_all(
        f"{CONCURRENCY} [data-timeline] rect.tl-seg[data-state='AwaitingRetry']",
        "els => els.map((e) => [+e.getAttribute('x'), +e.getAttribute('x') + +e.getAttribute('width')])",
    )
    assert len(segments) == 9
    sequential, submitted = segments[:3], segments[3:6]
    assert sequential[0][1] <= sequential[1][0] + 1 and sequential[1][1] <= sequential[2][0] + 1
    overlap = min(end for _, end in submitted) - max(start for start, _ in submitted)
    assert overlap > 0.5 * (submitted[0][1] - submitted[0][0]), submitted


def test_boot_reports_bytes_and_loads_only_from_its_own_origin(fresh_page, site_server) -> None:
    page = fresh_page
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    progress: list[str] = []
    page.expose_binding("__progress", lambda source, text: progress.append(text))
    page.add_init_script(
        """new MutationObserver(() => {
             const el = document.querySelector("[data-snippet] [data-load-bytes]");
             const status = document.querySelector("[data-snippet] [data-status]");
             if (el && status) window.__progress(status.textContent + " | " + el.textContent);
           }).observe(document, { subtree: true, childList: true, characterData: true });"""
    )
    page.goto(site_server.url + LESSON)
    wait_ready(page)
    # What the learner was told while loading: the step in words, and the bytes so far.
    assert any(p.startswith("Downloading Python") for p in progress), progress[:5]
    megabytes = [float(m[1]) for p in progress if (m := re.search(r"\| ([\d.]+) of [\d.]+ MB$", p))]
    assert megabytes and max(megabytes) > 12.0, progress[-5:]  # the wasm (9.6 MB) and the stdlib (2.5 MB)
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("blob:", "data:"))}
    assert hosts == {urlsplit(site_server.url).netloc}, f"requests left 127.0.0.1: {hosts}"
    # Our Python package is downloaded once; later workers get it from the page.
    assert sum(1 for url in requests if "/assets/python-" in url) == 1


def test_a_failed_download_is_reported_not_hidden(browser, site_server) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(site_server.url + LESSON)
    page.wait_for_function(
        f"() => /could not download pyodide.asm.wasm \\(HTTP 404\\)/.test(document.querySelector(\"{SNIPPET} [data-status]\").textContent)",
        timeout=30_000,
    )
    assert page.locator(f"{SNIPPET} [data-run]").is_disabled()
    assert "could not download" in page.eval_on_selector("[data-python-status]", "el => el.textContent")
    assert page.eval_on_selector(f"{SNIPPET} [data-output]", "el => el.textContent") == Demo(ROOT / "demo" / "pipeline.py").expected()
    context.close()


def test_without_javascript_the_page_is_a_static_lesson_that_says_why(browser, site_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.url + LESSON)
    assert page.locator(f"{SNIPPET} [data-controls]").is_hidden()
    note = page.locator(f"{SNIPPET} .noscript")
    assert note.is_visible() and "JavaScript" in note.inner_text() and "recorded run" in note.inner_text()
    assert page.locator(f"{SNIPPET} [data-editor] .highlight").is_visible()  # the build's highlighted code
    assert page.locator(f"{SNIPPET} [data-output]").inner_text().startswith("09:00:00.004 | INFO")
    assert page.locator(f"{SNIPPET} [data-output-label]").inner_text() == "Expected output (recorded run)"
    context.close()
