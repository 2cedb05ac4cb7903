"""Stop, floods and huge output: the page never freezes, and the next Run is there at once.

Stop terminates the Run's worker, and the spare worker (started from the page's
snapshot when the Run began) serves the next Run. So Stop needs no second boot
of Python on any host: not on the first Run, not during a sleep, not during a
long call into C. The time bounds here are loose on purpose (the benchmark
measures them): they tell "no reboot" (well under a second) from a reboot
(2.5 s and more), the problem this file was written for.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.page_helpers import (
    LESSON,
    SNIPPET,
    arm_finished,
    output_text,
    run,
    run_code,
    set_code,
    status_text,
    wait_finished,
    wait_ready,
)

pytestmark = pytest.mark.browser

LOOP = "n = 0\nwhile True:\n    n += 1\n"
SLEEPS = "import time\nwhile True:\n    time.sleep(30)\n"
C_CALL = "print('summing')\nprint(sum(range(10**12)))\n"
FLOOD = "i = 0\nwhile True:\n    print('line', i)\n    i += 1\n"
FLOOD_NO_NEWLINE = "while True:\n    print('x' * 50, end='')\n"
NO_REBOOT_S = 1.5

FRAME_DELAY = """() => new Promise((resolve) => {
  const started = performance.now();
  requestAnimationFrame(() => resolve(performance.now() - started));
})"""


def start_and_stop(page, code: str, *, busy_ms: int = 600) -> tuple[dict, float]:
    """Run `code` (which never ends), check the page stays responsive, Stop it, and time
    Stop -> the next Run's first output."""
    set_code(page, SNIPPET, code)
    wait_ready(page)
    arm_finished(page)
    page.click(f"{SNIPPET} [data-run]")
    try:
        page.wait_for_timeout(busy_ms)
        assert status_text(page) == "Running…"
        assert page.locator(f"{SNIPPET} [data-stop]").is_enabled()
        assert page.locator(f"{SNIPPET} [data-run]").is_disabled()
        # The worker spins; the page still paints frames and answers.
        delays = sorted(page.evaluate(FRAME_DELAY) for _ in range(5))
        assert delays[2] < 100 and delays[-1] < 1_000, delays  # median frame, and the worst one
    finally:
        stopped_at = time.perf_counter()
        page.click(f"{SNIPPET} [data-stop]")
        result = wait_finished(page)
    assert result["stopped"], result
    assert status_text(page).startswith("Stopped after")
    assert "[Stopped after" in output_text(page)
    set_code(page, SNIPPET, "print('next run')\n")
    again = run(page)
    elapsed = time.perf_counter() - stopped_at
    assert again["ok"] and output_text(page) == "next run\n", again
    return result, elapsed


@pytest.mark.parametrize("code", [LOOP, SLEEPS, C_CALL], ids=["loop", "sleeps", "c-call"])
def test_stop_ends_the_run_and_the_next_run_needs_no_reboot(on_both_hosts, code) -> None:
    page = on_both_hosts.page
    _, elapsed = start_and_stop(page, code)
    assert elapsed < NO_REBOOT_S + 1.0, f"Stop -> next output took {elapsed:.2f} s (includes typing the code)"
    assert not page.locator(f"{SNIPPET} [data-load-progress]").is_visible()
    assert on_both_hosts.errors == []


@pytest.mark.parametrize("host", ["site_server", "isolated_server"])
def test_stop_on_the_very_first_run_needs_no_reboot(fresh_page, request, host) -> None:
    """The first Run of a fresh page is a loop: Stop, and the next Run comes at once."""
    page = fresh_page
    steps: list[str] = []
    page.expose_binding("__step", lambda source, text: steps.append(text))
    page.add_init_script(
        """new MutationObserver(() => {
             const status = document.querySelector("[data-python-status]");
             if (status) window.__step(status.textContent);
           }).observe(document, { subtree: true, childList: true, characterData: true });"""
    )
    page.goto(request.getfixturevalue(host).url + LESSON)
    wait_ready(page)
    booted = len(steps)
    result, elapsed = start_and_stop(page, LOOP, busy_ms=300)
    assert result["stopped"]
    assert elapsed < NO_REBOOT_S + 1.0, f"Stop -> next output took {elapsed:.2f} s"
    assert not any("Downloading" in s or "Starting Python" in s for s in steps[booted:]), steps[booted:]


def test_a_run_started_while_the_spare_boots_waits_for_it(pipeline) -> None:
    """Two Runs in a row, the second clicked as soon as the first ends: both finish."""
    page = pipeline.page
    set_code(page, SNIPPET, "print('quick')\n")
    for _ in range(3):
        assert run(page)["ok"]
        assert output_text(page) == "quick\n"


def _flood_until_capped(page, code: str) -> None:  # type: ignore[no-untyped-def]
    """Run `code` (which prints without end) until the output cap shows its notice."""
    set_code(page, SNIPPET, code)
    arm_finished(page)
    page.click(f"{SNIPPET} [data-run]")
    page.wait_for_function(f"() => document.querySelector(\"{SNIPPET} [data-output]\").textContent.includes('Output stopped')", timeout=30_000)


def _stop(page) -> str:  # type: ignore[no-untyped-def]
    """Click Stop, wait for the Run to end, and return what the output shows."""
    page.click(f"{SNIPPET} [data-stop]")
    wait_finished(page)
    return output_text(page)


def test_an_output_flood_is_capped_and_the_page_stays_responsive(pipeline) -> None:
    page = pipeline.page
    _flood_until_capped(page, FLOOD)
    delays = sorted(page.evaluate(FRAME_DELAY) for _ in range(5))
    assert delays[2] < 100, delays
    shown = _stop(page)
    lines = shown.splitlines()
    assert "[Output stopped after 2,000 lines; the rest of the run continued without showing its output.]" in lines
    numbers = [int(m[1]) for line in lines if (m := re.fullmatch(r"line (\d+)", line))]
    assert numbers == list(range(2000)), numbers[-3:]
    assert len(lines) < 2010


def test_a_flood_without_newlines_is_capped_too(pipeline) -> None:
    page = pipeline.page
    _flood_until_capped(page, FLOOD_NO_NEWLINE)
    shown = _stop(page)
    assert shown.count("Output stopped after 100,000 characters") == 1
    assert 100_000 <= len(shown) < 100_300


def test_a_huge_line_shows_its_beginning_then_one_notice(pipeline) -> None:
    page = pipeline.page
    result = run_code(page, "print('A' * 50_000_000)\nprint('after')\n")
    assert result["ok"], result
    shown = output_text(page)
    assert shown.startswith("A" * 1000)
    assert shown.count("A") == 100_000
    assert shown.rstrip().endswith("[Output stopped after 100,000 characters; the rest of the run continued without showing its output.]")
    assert "\nafter\n" not in shown
