"""Editing: saved across reloads, an "Edited" mark, two tabs, Reset with Undo, the keyboard alone, exercises."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.page_helpers import (
    EXERCISE,
    LESSON,
    SNIPPET,
    arm_finished,
    editor,
    get_code,
    original_code,
    output_text,
    run,
    set_code,
    wait_finished,
    wait_ready,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
EDIT = 'print("my own version")\n'


def editor_text(page, snippet: str = SNIPPET) -> str:
    page.wait_for_selector(f"{snippet} .cm-content")
    return str(page.eval_on_selector(f"{snippet} .cm-content", "el => el.innerText"))


def test_edits_survive_a_reload_and_a_changed_lesson_is_flagged(page, site_server) -> None:
    page.goto(site_server.url + LESSON)
    edited = page.locator(f"{SNIPPET} [data-edited-badge]")
    assert edited.is_hidden()
    set_code(page, SNIPPET, EDIT)
    assert edited.is_visible() and edited.inner_text() == "Edited"
    page.reload()
    # Saved edits are shown in the editor at once, before Python is ready.
    assert "my own version" in editor_text(page)
    assert get_code(page) == EDIT
    assert edited.is_visible()
    assert page.locator(f"{SNIPPET} [data-changed-badge]").is_hidden()
    # The lesson's code changes (a new build): the learner keeps their code, with a badge.
    page.evaluate(
        """() => {
          for (const key of Object.keys(localStorage)) {
            if (!key.endsWith("--pipeline")) continue;
            const saved = JSON.parse(localStorage.getItem(key));
            localStorage.setItem(key, JSON.stringify({ ...saved, originalHash: "an-older-lesson" }));
          }
        }"""
    )
    page.reload()
    assert get_code(page) == EDIT
    assert page.locator(f"{SNIPPET} [data-changed-badge]").is_visible()
    # Reset takes the new original, and the badges go.
    page.click(f"{SNIPPET} [data-reset]")
    assert page.locator(f"{SNIPPET} [data-changed-badge]").is_hidden()
    assert edited.is_hidden()
    page.reload()
    assert get_code(page) == original_code(page)


def test_reset_and_its_undo(pipeline) -> None:
    page = pipeline.page
    original = original_code(page)
    set_code(page, SNIPPET, EDIT)
    page.click(f"{SNIPPET} [data-reset]")
    assert get_code(page) == original
    undo = page.locator(f"{SNIPPET} .btn-undo")
    assert undo.is_visible() and undo.inner_text() == "Undo reset"
    assert page.evaluate("document.activeElement.classList.contains('btn-undo')")
    undo.click()
    assert get_code(page) == EDIT
    assert "my own version" in editor_text(page)
    assert page.locator(f"{SNIPPET} .btn-undo").count() == 0
    assert page.evaluate(
        "() => Object.entries(localStorage).some(([k, v]) => k.endsWith('--pipeline') && v.includes('my own version'))"
    )


def test_a_keyboard_only_learner_can_edit_run_and_leave_the_editor(pipeline, artifacts) -> None:
    page = pipeline.page
    wait_ready(page)
    page.focus(".site-title")  # where a keyboard user starts: the top of the page
    inside = f"() => !!document.activeElement.closest(\"{SNIPPET} [data-editor]\")"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(inside):
            break
    else:
        pytest.fail("Tab never reached the pipeline's editor")
    page.wait_for_selector(f"{SNIPPET} .cm-focused")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type('print("typed with the keyboard")')
    arm_finished(page)
    page.keyboard.press("Control+Enter")
    assert wait_finished(page)["ok"]
    assert "typed with the keyboard" in output_text(page)
    # Tab indents inside the editor; Escape then Tab leaves it, to the Run button.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-run]')"), page.evaluate("document.activeElement.outerHTML")
    box = page.locator(f"{SNIPPET} [data-controls]").bounding_box()
    clip = {"x": box["x"] - 8, "y": box["y"] - 8, "width": box["width"] + 16, "height": box["height"] + 16}
    page.screenshot(path=str(artifacts / "focus-on-run.png"), clip=clip)
    arm_finished(page)
    page.keyboard.press("Enter")
    assert wait_finished(page)["ok"]


def test_check_fails_the_starter_and_passes_the_solution(lesson, artifacts) -> None:
    page = lesson.page
    assert page.locator(EXERCISE).count(), "the lesson has no flaky_source exercise"
    starter = original_code(page, EXERCISE)
    solution = (ROOT / "demo" / "flaky_source.solution.py").read_text()
    try:
        set_code(page, EXERCISE, starter)
        run(page, EXERCISE, "[data-check-button]")
        verdict = page.locator(f"{EXERCISE} [data-check-result]")
        assert "Not yet" in verdict.inner_text() and "retries" in verdict.inner_text()
        page.locator(EXERCISE).screenshot(path=str(artifacts / "exercise-not-yet.png"))
        set_code(page, EXERCISE, solution)
        run(page, EXERCISE, "[data-check-button]")
        assert verdict.inner_text().startswith("✓ Passed")
        page.locator(EXERCISE).screenshot(path=str(artifacts / "exercise-passed.png"))
        assert page.locator(f"{EXERCISE} details.hints summary").inner_text() == "Hints"
    finally:
        set_code(page, EXERCISE, starter)


def _second_tab(page):  # type: ignore[no-untyped-def]
    other = page.context.new_page()
    other.goto(page.url)
    editor(other, SNIPPET)
    return other


def test_edits_in_another_tab_show_up_when_this_tab_has_none(page, site_server) -> None:
    page.goto(site_server.url + LESSON)
    editor(page, SNIPPET)
    other = _second_tab(page)
    set_code(other, SNIPPET, EDIT)
    page.wait_for_function(f"() => document.querySelector(\"{SNIPPET} .cm-content\").innerText.includes('my own version')")
    assert page.locator(f"{SNIPPET} [data-edited-badge]").is_visible()
    undo = page.locator(f"{SNIPPET} .btn-undo")
    assert undo.inner_text() == "Undo update"  # this tab's code is one click away
    undo.click()
    assert get_code(page) == original_code(page)  # ...and now the other tab follows
    other.wait_for_function(f"() => !document.querySelector(\"{SNIPPET} .cm-content\").innerText.includes('my own version')")


def test_alternating_edits_in_two_tabs_lose_nothing(page, site_server) -> None:
    page.goto(site_server.url + LESSON)
    set_code(page, SNIPPET, 'print("from tab one")\n')
    other = _second_tab(page)
    assert "from tab one" in editor_text(other)  # saved edits load in a new tab
    set_code(other, SNIPPET, 'print("from tab two")\n')
    page.wait_for_function(f"() => document.querySelector(\"{SNIPPET} .cm-content\").innerText.includes('from tab two')")
    status = page.locator(f"{SNIPPET} [data-status]").inner_text()
    assert status == "Updated with your edits from another tab.", status
    page.locator(f"{SNIPPET} .btn-undo").click()  # tab one wants its own version back
    assert get_code(page) == 'print("from tab one")\n'
    other.wait_for_function(f"() => document.querySelector(\"{SNIPPET} .cm-content\").innerText.includes('from tab one')")
    other.locator(f"{SNIPPET} .btn-undo").click()  # ...and tab two can still get its own back
    assert get_code(other) == 'print("from tab two")\n'
