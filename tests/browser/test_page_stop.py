"""Stop, floods and late output: the page never freezes, and the next Run works."""

from __future__ import annotations

import re

import pytest

from page_helpers import SNIPPET, arm_finished, get_code, output_text, run, set_code, status_text, wait_finished, wait_ready

pytestmark = pytest.mark.browser

LOOP = "n = 0\nwhile True:\n    n += 1\n"
FLOOD = "i = 0\nwhile True:\n    print('line', i)\n    i += 1\n"
FLOOD_NO_NEWLINE = "while True:\n    print('x' * 50, end='')\n"

FRAME_DELAY = """() => new Promise((resolve) => {
  const started = performance.now();
  requestAnimationFrame(() => resolve(performance.now() - started));
})"""


def start_and_stop(lesson, code: str, *, busy_ms: int = 400) -> dict:
    """Run `code` (which never ends), check the page stays responsive, then Stop it."""
    page = lesson.page
    set_code(page, SNIPPET, code)
    wait_ready(page)
    page.evaluate("window.lessonPython.whenStopIsInstant().then(() => true)")
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
        page.click(f"{SNIPPET} [data-stop]")
        result = wait_finished(page)
    assert result.get("stopped") or (result.get("error") or {}).get("interrupted"), result
    assert status_text(page).startswith("Stopped after")
    # Ready for the next Run at once: a warm standby (plain) or the same worker (isolated).
    page.wait_for_selector(f"{SNIPPET} [data-run]:not([disabled])", timeout=1_000)
    return result


@pytest.mark.parametrize("fixture", ["lesson", "isolated_lesson"])
def test_stop_ends_a_busy_loop_and_the_next_run_works(fixture, request) -> None:
    lesson = request.getfixturevalue(fixture)
    page = lesson.page
    original = page.eval_on_selector(f"{SNIPPET} [data-source]", "el => el.value")
    isolated = page.evaluate("window.lessonPython.isolated")
    assert isolated == (fixture == "isolated_lesson")
    try:
        result = start_and_stop(lesson, LOOP)
        if isolated:
            assert result["error"]["interrupted"], result  # KeyboardInterrupt, in the same worker
            assert "KeyboardInterrupt" in output_text(page)
        else:
            assert result["stopped"]
        assert "[Stopped after" in output_text(page)
        set_code(page, SNIPPET, original)
        again = run(page)
        assert again["ok"], again
        assert "Flow run" in output_text(page) and "Finished in state Completed()" in output_text(page)
        assert lesson.errors == []
    finally:
        set_code(page, SNIPPET, original)


def test_an_output_flood_is_capped_and_the_page_stays_responsive(pipeline) -> None:
    page = pipeline.page
    start_and_stop(pipeline, FLOOD, busy_ms=1_000)
    shown = output_text(page)
    lines = shown.splitlines()
    assert "Output stopped after 2,000 lines" in shown
    numbers = [int(m[1]) for line in lines if (m := re.fullmatch(r"line (\d+)", line))]
    # 2,000 full lines; the runner may pass on the 2,001st line's text before its newline trips the cap.
    assert numbers == list(range(len(numbers))) and len(numbers) in (2000, 2001), numbers[-3:]
    assert len(lines) < 2010


def test_a_flood_without_newlines_is_capped_too(pipeline) -> None:
    page = pipeline.page
    start_and_stop(pipeline, FLOOD_NO_NEWLINE, busy_ms=1_000)
    shown = output_text(page)
    assert "Output stopped after" in shown
    assert len(shown) < 600_000


def test_output_after_the_run_ended_is_dropped(pipeline) -> None:
    """A message for a finished run id (as a stopped worker could still send) is ignored."""
    page = pipeline.page
    run(page)
    before = output_text(page)
    page.evaluate(
        """() => {
          const host = window.lessonPython;
          host.onMessage(host.active, { id: host.nextId - 1, type: "messages", messages: [{ type: "stdout", text: "LATE\\n" }] });
        }"""
    )
    page.wait_for_timeout(50)
    assert output_text(page) == before
    assert "LATE" not in get_code(page)


def test_code_that_swallows_the_interrupt_is_still_stopped(isolated_lesson) -> None:
    """Isolated, Stop interrupts; a loop that catches KeyboardInterrupt gets the worker replaced."""
    page = isolated_lesson.page
    original = page.eval_on_selector(f"{SNIPPET} [data-source]", "el => el.value")
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n"
    try:
        set_code(page, SNIPPET, stubborn)
        wait_ready(page)
        arm_finished(page)
        page.click(f"{SNIPPET} [data-run]")
        page.wait_for_timeout(300)
        page.click(f"{SNIPPET} [data-stop]")
        result = wait_finished(page)
        assert result["stopped"], result
        assert 1_000 <= result["stopMs"] < 5_000, result  # interrupts for 1.5 s, then a new worker
        set_code(page, SNIPPET, original)
        assert run(page)["ok"]  # once the new worker is up
    finally:
        set_code(page, SNIPPET, original)
