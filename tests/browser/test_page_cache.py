"""Cached results outlive a Run, as Prefect's outlive a process; the timeline shows Cached runs.

Page 4's first example, clicked twice: the second Run finds every result the
first one stored, as `python cache_inputs.py` run twice at home does. "Clear
cached results" empties the page's store, and a Check always starts from an
empty one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.page_helpers import original_code, output_text, run, set_code, wait_ready

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
PAGE = "04-caching-and-results.html"
CACHE = "[data-snippet$='--cache_inputs']"
EXERCISE = "[data-snippet$='--geocode']"


@pytest.fixture(scope="module")
def caching_page(browser, site_server) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    wait_ready(page, CACHE)
    yield page
    context.close()


def cached_lines(page, snippet: str = CACHE) -> int:
    return output_text(page, snippet).count("Finished in state Cached(type=COMPLETED)")


def test_a_second_run_finds_the_first_runs_results(caching_page) -> None:
    page = caching_page
    assert run(page, CACHE)["ok"]
    first = output_text(page, CACHE)
    assert re.findall(r"Asking the weather service about (\w+)$", first, re.M) == ["Oslo", "Lima", "Pune"]
    assert cached_lines(page) == 2
    clear = page.locator(f"{CACHE} [data-clear-cache]")
    assert clear.is_visible()
    assert run(page, CACHE)["ok"]
    assert "Asking the weather service" not in output_text(page, CACHE)
    assert cached_lines(page) == 5
    # The timeline gives Cached runs their own colour, with a legend entry.
    cached = page.locator(f"{CACHE} rect.tl-seg.st-CACHED")
    assert cached.count() == 5
    assert page.locator(f"{CACHE} .timeline-legend .tl-swatch.st-CACHED").count() == 1
    legend = page.locator(f"{CACHE} .timeline-legend").inner_text()
    assert "Cached" in legend and "Completed" in legend
    colours = page.evaluate(
        """s => ["st-CACHED", "st-COMPLETED"].map((c) => getComputedStyle(document.querySelector(`${s} rect.tl-seg.${c}`)).fill)""",
        CACHE,
    )
    assert colours[0] != colours[1], colours


def test_clear_cached_results_makes_the_next_run_compute_again(caching_page) -> None:
    page = caching_page
    run(page, CACHE)
    clear = page.locator(f"{CACHE} [data-clear-cache]")
    assert clear.is_visible()
    clear.click()
    assert "Cached results cleared" in page.locator(f"{CACHE} [data-status]").inner_text()
    assert clear.is_hidden()
    run(page, CACHE)
    assert cached_lines(page) == 2  # only the second flow run's repeats, as on a first run


def test_check_runs_on_an_empty_cache(caching_page) -> None:
    """Results that Runs stored do not reach a Check: after two Runs of the solution (every
    geocode then Cached), its Check still sees three real calls, and passes."""
    page = caching_page
    solution = (ROOT / "demo" / "geocode.solution.py").read_text(encoding="utf-8")
    try:
        set_code(page, EXERCISE, solution)
        run(page, EXERCISE)
        run(page, EXERCISE)
        assert output_text(page, EXERCISE).count("Finished in state Cached(type=COMPLETED)") == 6
        result = run(page, EXERCISE, "[data-check-button]")
        assert result["passed"] is True, result
    finally:
        set_code(page, EXERCISE, original_code(page, EXERCISE))
