"""What a test does on a lesson page, in the page's own terms: through the DOM, as a learner.

Code goes in through the editor (a click mounts CodeMirror, Ctrl+A and typed
text replace the code), and comes back from where the page keeps it (the saved
edits in localStorage, or the lesson's code when there are none). A Run is a
click on Run; its end is the snippet's ``run-finished`` event.
"""

from __future__ import annotations

from typing import Any

LESSON = "02-prefect-in-practice.html"
SNIPPET = "[data-snippet$='--pipeline']"
EXERCISE = "[data-snippet$='--flaky_source']"
STORAGE_PREFIX = "prefect-in-practice:snippet:"
READY_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 30_000


def wait_ready(page, snippet: str = SNIPPET) -> None:
    """Python booted and Run enabled."""
    page.wait_for_selector(f"{snippet} [data-run]:not([disabled])", timeout=READY_TIMEOUT_MS)


def editor(page, snippet: str = SNIPPET):  # type: ignore[no-untyped-def]
    """The snippet's mounted editor (clicking the code mounts it, as for a learner)."""
    content = page.locator(f"{snippet} .cm-content")
    if not content.count():
        page.click(f"{snippet} [data-editor]")
        content.wait_for(timeout=30_000)
    return content


def set_code(page, snippet: str, code: str) -> None:
    """Replace the snippet's code by typing over it."""
    content = editor(page, snippet)
    content.click()
    page.keyboard.press("Control+A")
    if code:
        page.keyboard.insert_text(code)
    else:
        page.keyboard.press("Delete")
    actual = get_code(page, snippet)
    assert actual == code, f"the editor holds {actual!r}, not {code!r}"


def get_code(page, snippet: str = SNIPPET) -> str:
    """The code the page would run: the saved edits, or the lesson's code when there are none."""
    return str(
        page.evaluate(
            """([s, prefix]) => {
              const root = document.querySelector(s);
              const saved = JSON.parse(localStorage.getItem(prefix + root.dataset.snippet) || "null");
              return saved ? saved.code : root.querySelector("[data-source]").value;
            }""",
            [snippet, STORAGE_PREFIX],
        )
    )


def original_code(page, snippet: str = SNIPPET) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-source]", "el => el.value"))


def arm_finished(page, snippet: str = SNIPPET) -> None:
    """Remember the next run-finished event of `snippet` in window.__finished."""
    page.evaluate(
        """s => {
          window.__finished = null;
          document.querySelector(s).addEventListener("run-finished", (e) => { window.__finished = e.detail; }, { once: true });
        }""",
        snippet,
    )


def wait_finished(page, timeout: int = RUN_TIMEOUT_MS) -> dict[str, Any]:
    page.wait_for_function("() => window.__finished !== null", timeout=timeout)
    return dict(page.evaluate("window.__finished"))


def run(page, snippet: str = SNIPPET, button: str = "[data-run]", timeout: int = RUN_TIMEOUT_MS) -> dict[str, Any]:
    """Click Run (or Check) and wait for the run to finish; returns the run-finished detail."""
    wait_ready(page, snippet)
    arm_finished(page, snippet)
    page.click(f"{snippet} {button}")
    return wait_finished(page, timeout)


def run_code(page, code: str, snippet: str = SNIPPET) -> dict[str, Any]:
    set_code(page, snippet, code)
    return run(page, snippet)


def output_text(page, snippet: str = SNIPPET) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-output]", "el => el.textContent"))


def status_text(page, snippet: str = SNIPPET) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-status]", "el => el.textContent"))


def spares_ready(page) -> int:
    """How many fresh workers have become ready since the page loaded (the host marks each)."""
    return int(page.evaluate("performance.getEntriesByName('python-spare-ready').length"))


def wait_spare(page, after: int) -> None:
    """Wait until a spare worker beyond the first `after` is ready."""
    page.wait_for_function(f"() => performance.getEntriesByName('python-spare-ready').length > {after}", timeout=READY_TIMEOUT_MS)
