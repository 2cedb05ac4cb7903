"""Learner output is text, never markup; errors are trimmed and point at the line."""

from __future__ import annotations

import pytest

from page_helpers import SNIPPET, output_text, run, set_code, status_text

pytestmark = pytest.mark.browser

XSS = '''from sim_prefect import flow

print("<img src=x onerror=alert(1)>")


@flow(name="<img src=y onerror=alert(2)>", log_prints=True)
def sneaky():
    print("<script>alert(3)</script>")


sneaky()
'''

EXCEPTION = '''def divide(a, b):
    return a / b


print("before the error")
divide(1, 0)
'''

SYNTAX_ERROR = '''print("fine")
if True
    print("never")
'''


def error_line_text(page) -> list[str]:
    return page.eval_on_selector_all(f"{SNIPPET} .cm-error-line", "els => els.map((e) => e.textContent)")


def test_printed_html_is_shown_as_text_and_never_runs(pipeline) -> None:
    page = pipeline.page
    set_code(page, SNIPPET, XSS)
    result = run(page)
    assert result["ok"], result
    shown = output_text(page)
    assert "<img src=x onerror=alert(1)>" in shown
    assert "<script>alert(3)</script>" in shown
    assert page.locator(f"{SNIPPET} [data-output] img, {SNIPPET} [data-output] script").count() == 0
    labels = page.eval_on_selector_all(f"{SNIPPET} .tl-label", "els => els.map((e) => e.dataset.runName)")
    assert labels, "the flow run should be in the timeline"
    titles = page.eval_on_selector_all(f"{SNIPPET} .tl-label title", "els => els.map((e) => e.textContent)")
    assert any("<img src=y onerror=alert(2)>" in t for t in titles), titles
    assert page.locator(f"{SNIPPET} [data-timeline] img").count() == 0
    page.wait_for_timeout(100)
    assert pipeline.dialogs == []
    assert pipeline.errors == []


def test_an_exception_shows_a_trimmed_traceback_and_marks_the_line(pipeline, artifacts) -> None:
    page = pipeline.page
    set_code(page, SNIPPET, EXCEPTION)
    result = run(page)
    assert not result["ok"]
    assert result["error"]["type"] == "ZeroDivisionError" and result["error"]["line"] == 2
    shown = output_text(page)
    assert shown.startswith("before the error\n")
    assert "Traceback (most recent call last):" in shown
    assert 'File "pipeline.py", line 6' in shown and 'File "pipeline.py", line 2' in shown
    assert "ZeroDivisionError: division by zero" in shown
    for leaked in ("runner.py", "playground", "pyodide", "/lib/python", "_pyodide"):
        assert leaked not in shown, f"traceback shows {leaked!r}:\n{shown}"
    assert status_text(page).startswith("ZeroDivisionError on line 2")
    assert error_line_text(page) == ["    return a / b"]
    page.locator(SNIPPET).screenshot(path=str(artifacts / "error-marked-1280-light.png"))
    # Editing clears the mark.
    page.click(f"{SNIPPET} .cm-content")
    page.keyboard.press("End")
    page.keyboard.type(" ")
    assert error_line_text(page) == []


def test_a_syntax_error_points_at_its_line(pipeline) -> None:
    page = pipeline.page
    set_code(page, SNIPPET, SYNTAX_ERROR)
    result = run(page)
    assert result["error"]["type"] == "SyntaxError" and result["error"]["line"] == 2
    shown = output_text(page)
    assert 'File "pipeline.py", line 2' in shown and "if True" in shown
    assert "fine" not in shown.splitlines()[0]  # nothing ran
    assert "runner.py" not in shown
    assert status_text(page).startswith("SyntaxError on line 2")
    assert error_line_text(page) == ["if True"]


def test_input_explains_that_it_cannot_ask(pipeline) -> None:
    page = pipeline.page
    set_code(page, SNIPPET, 'name = input("Your name? ")\nprint("Hello", name)\n')
    result = run(page)
    assert not result["ok"]
    assert "input() cannot ask you for text here" in output_text(page)
    assert result["error"]["line"] == 1
