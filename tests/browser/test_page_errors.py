"""Learner output is text, never markup; colours and artifacts are drawn safely; errors are trimmed and point at the line."""

from __future__ import annotations

import pytest

from tests.browser.page_helpers import SNIPPET, output_text, run, run_code, set_code, status_text

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


def test_a_runaway_recursion_prints_the_frame_three_times_then_a_count(pipeline) -> None:
    page = pipeline.page
    result = run_code(page, "def dive(n):\n    return dive(n + 1)\n\n\ndive(0)\n")
    assert result["error"]["type"] == "RecursionError"
    shown = output_text(page)
    assert shown.count('line 2, in dive') == 3
    assert "[Previous line repeated" in shown and "more times]" in shown
    assert len(shown) < 2_000
    assert status_text(page).startswith("RecursionError on line 2: maximum recursion depth exceeded")


def test_an_error_without_a_message_has_no_dangling_colon(pipeline) -> None:
    page = pipeline.page
    run_code(page, "print('start')\n\nraise MemoryError\n")
    assert status_text(page) == "MemoryError on line 3"


def test_ansi_colours_are_drawn_as_the_terminal_would_and_links_as_text(pipeline) -> None:
    page = pipeline.page
    code = (
        "print('\\x1b[31mred\\x1b[0m plain \\x1b[1;32mbold green\\x1b[0m')\n"
        "print('\\x1b]8;;https://example.com\\x1b\\\\a link\\x1b]8;;\\x1b\\\\ and \\x1b[2Jno clearing')\n"
    )
    result = run_code(page, code)
    assert result["ok"], result
    shown = output_text(page)
    assert shown == "red plain bold green\na link and no clearing\n", shown
    assert "[31m" not in shown and "\x1b" not in shown
    red = page.locator(f"{SNIPPET} [data-output] span.ansi-fg-red")
    assert red.count() == 1 and red.inner_text() == "red"
    bold = page.locator(f"{SNIPPET} [data-output] span.ansi-bold.ansi-fg-green")
    assert bold.inner_text() == "bold green"
    assert page.locator(f"{SNIPPET} [data-output] a").count() == 0


ARTIFACTS_CODE = """from prefect import flow
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact


@flow
def report():
    create_markdown_artifact(
        "# Sales <img src=x onerror=alert(1)>\\n\\n**Total**: 42, see [docs](https://docs.prefect.io/) "
        "or [this](javascript:alert(2))\\n\\n| city | total |\\n|---|---|\\n| Oslo | 30 |",
        key="sales-report",
    )
    create_table_artifact([{"city": "Oslo", "total": 30}, {"city": "<b>Lima</b>", "total": 12}])
    create_link_artifact("https://docs.prefect.io/v3/", link_text="Prefect docs")


report()
"""


def test_artifacts_are_shown_under_the_output_as_text_and_safe_links(pipeline) -> None:
    page = pipeline.page
    result = run_code(page, ARTIFACTS_CODE)
    assert result["ok"], result
    cards = page.locator(f"{SNIPPET} [data-artifacts] .artifact")
    assert cards.count() == 3
    markdown = cards.nth(0)
    assert markdown.locator("h1").inner_text() == "Sales <img src=x onerror=alert(1)>"
    assert markdown.locator("strong").inner_text() == "Total"
    assert "sales-report" in markdown.locator(".artifact-title").inner_text()
    links = markdown.locator("a")
    assert links.count() == 1 and links.get_attribute("href") == "https://docs.prefect.io/"
    assert "[this](javascript:alert(2))" in markdown.inner_text()
    assert markdown.locator("table td").all_inner_texts() == ["Oslo", "30"]
    table = cards.nth(1)
    assert table.locator("th").all_inner_texts() == ["city", "total"]
    assert table.locator("td").all_inner_texts() == ["Oslo", "30", "<b>Lima</b>", "12"]
    link = cards.nth(2).locator("a")
    assert link.inner_text() == "Prefect docs" and link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.locator(f"{SNIPPET} [data-artifacts] img, {SNIPPET} [data-artifacts] script, {SNIPPET} [data-artifacts] b").count() == 0
    page.wait_for_timeout(100)
    assert pipeline.dialogs == [] and pipeline.errors == []
    # A Run without artifacts clears them.
    run_code(page, "print('no artifacts')\n")
    assert page.locator(f"{SNIPPET} [data-artifacts]").is_hidden()
