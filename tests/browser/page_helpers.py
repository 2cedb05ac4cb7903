"""What a test does on the lesson page, in the page's own terms."""

from __future__ import annotations

from typing import Any

LESSON = "02-prefect-in-practice.html"
SNIPPET = "[data-snippet$='--pipeline']"
EXERCISE = "[data-snippet$='--flaky_source']"
READY_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 30_000


def wait_ready(page, snippet: str = SNIPPET) -> None:
    """Python booted and Run enabled."""
    page.wait_for_selector(f"{snippet} [data-run]:not([disabled])", timeout=READY_TIMEOUT_MS)


def snippet_index(page, snippet: str) -> int:
    return int(page.evaluate(
        "s => window.lessonSnippets.findIndex((x) => x.root === document.querySelector(s))", snippet
    ))


def set_code(page, snippet: str, code: str) -> None:
    page.evaluate(
        "([s, code]) => { window.lessonSnippets.find((x) => x.root === document.querySelector(s)).code = code; }",
        [snippet, code],
    )


def get_code(page, snippet: str = SNIPPET) -> str:
    return str(page.evaluate("s => window.lessonSnippets.find((x) => x.root === document.querySelector(s)).code", snippet))


def arm_finished(page, snippet: str = SNIPPET) -> None:
    """Remember the next run-finished event of `snippet` in window.__finished."""
    page.evaluate(
        """s => {
          window.__finished = null;
          document.querySelector(s).addEventListener("run-finished", (e) => { window.__finished = e.detail; }, { once: true });
        }""",
        snippet,
    )


def wait_finished(page) -> dict[str, Any]:
    page.wait_for_function("() => window.__finished !== null", timeout=RUN_TIMEOUT_MS)
    return dict(page.evaluate("window.__finished"))


def run(page, snippet: str = SNIPPET, button: str = "[data-run]") -> dict[str, Any]:
    """Click Run (or Check) and wait for the run to finish; returns the run-finished detail."""
    wait_ready(page, snippet)
    arm_finished(page, snippet)
    page.click(f"{snippet} {button}")
    return wait_finished(page)


def output_text(page, snippet: str = SNIPPET) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-output]", "el => el.textContent"))


def status_text(page, snippet: str = SNIPPET) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-status]", "el => el.textContent"))
