"""The second-tab problem (issue 16): a learner with two tabs of the same lesson can go on typing in either.

Tab A edits pipeline.py; tab B shows "Updated with your edits from another tab." with an
Undo. A click into B's editor must put the focus there, and what is typed there must land,
every time: an update from another tab must neither take the focus (it is not this tab's
doing) nor come back as an echo that undoes what this tab typed since. Typed key by key,
as a learner types, so that each key is its own save and its own `storage` event.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.page_helpers import LESSON, SNIPPET, STORAGE_PREFIX, editor, get_code, original_code, wait_ready

pytestmark = pytest.mark.browser
UPDATED = "Updated with your edits from another tab."


@pytest.fixture(params=["plain", "isolated"])
def two_tabs(request, browser) -> Iterator[tuple[object, object]]:  # type: ignore[no-untyped-def]
    """Two tabs of the lesson in one browser (one localStorage), both with Python ready and an editor."""
    server = request.getfixturevalue("site_server" if request.param == "plain" else "isolated_server")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tabs = []
    for _ in range(2):
        tab = context.new_page()
        tab.goto(server.url + LESSON)
        wait_ready(tab)
        editor(tab, SNIPPET)
        tabs.append(tab)
    yield tabs[0], tabs[1]
    context.close()


EDITOR_TEXT = "el => Array.from(el.querySelectorAll('.cm-line'), (line) => line.textContent).join('\\n')"


def editor_text(tab) -> str:  # type: ignore[no-untyped-def]
    """The lines the editor draws. CodeMirror draws the lines in view, so the editor's top is brought into view
    first, and given two frames to draw (typing at the end may have scrolled the page past its first lines)."""
    tab.eval_on_selector(
        f"{SNIPPET} .cm-editor",
        "el => { el.scrollIntoView({block: 'start'}); return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); }",
    )
    return str(tab.eval_on_selector(f"{SNIPPET} .cm-content", EDITOR_TEXT))


def editor_ends_with(tab, text: str) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_function(f"() => ({EDITOR_TEXT})(document.querySelector(\"{SNIPPET} .cm-content\")).endsWith({text!r})")


def focus_in_editor(tab) -> bool:  # type: ignore[no-untyped-def]
    return bool(tab.evaluate(f"() => document.querySelector(\"{SNIPPET} .cm-content\").contains(document.activeElement)"))


def type_at_end(tab, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into the editor's last line, as a learner does, go to the end of the code and type."""
    tab.locator(f"{SNIPPET} .cm-content .cm-line").last.click()
    tab.keyboard.press("Control+End")
    tab.keyboard.type(text, delay=15)


def test_the_second_tab_takes_typing_after_an_update_from_the_first(two_tabs) -> None:  # type: ignore[no-untyped-def]
    a, b = two_tabs
    original = original_code(a)
    type_at_end(a, "\n# edited in tab A")
    assert editor_text(a) == original + "\n# edited in tab A"  # every key landed in A too
    editor_ends_with(b, "# edited in tab A")
    assert b.locator(f"{SNIPPET} [data-status]").inner_text() == UPDATED
    undo = b.locator(f"{SNIPPET} .btn-undo")
    assert undo.is_visible() and undo.get_attribute("aria-label") == "Undo update of pipeline.py"
    assert editor_text(b) == original + "\n# edited in tab A"
    # The update did not take the focus from wherever the learner was.
    assert not b.evaluate("() => document.activeElement?.classList.contains('btn-undo')")
    for attempt in range(1, 4):  # "three tries in a row"
        typed = f"\n# typed in tab B, try {attempt}"
        before = editor_text(b)
        type_at_end(b, typed)
        assert focus_in_editor(b), f"try {attempt}: the focus is on {b.evaluate('() => document.activeElement.outerHTML.slice(0, 120)')}"
        b.wait_for_timeout(300)  # time for any echo from tab A to come back
        assert editor_text(b) == before + typed, f"try {attempt}: what was typed did not land"
        assert get_code(b) == before + typed  # saved
        # Tab A follows, and nothing of it comes back to undo what B typed.
        editor_ends_with(a, typed)
    assert b.evaluate(f"() => JSON.parse(localStorage.getItem({STORAGE_PREFIX!r} + document.querySelector({SNIPPET!r}).dataset.snippet)).code").endswith(
        "try 3"
    )


def test_both_tabs_typing_in_turn_keep_every_key(two_tabs) -> None:  # type: ignore[no-untyped-def]
    """Turns taken quickly, a line each: each tab ends with all the lines, in order, and the focus stays put."""
    a, b = two_tabs
    original = original_code(a)
    expected = original
    for turn in range(4):
        tab = (a, b)[turn % 2]
        line = f"\n# turn {turn}"
        type_at_end(tab, line)
        expected += line
        assert focus_in_editor(tab)
        assert editor_text(tab).endswith(line) and get_code(tab) == expected, f"turn {turn}"
    for tab in (a, b):
        editor_ends_with(tab, expected[-40:])
    b.wait_for_timeout(300)
    assert get_code(a) == get_code(b) == expected
    assert editor_text(a).endswith(expected[-40:]) and editor_text(b).endswith(expected[-40:])
