"""The built site in Debian's Chromium: a learner clicks Run and sees the state log."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lessonbuild.demos import Demo, diff
from normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
READY_TIMEOUT_MS = 60_000
LESSON = "02-prefect-in-practice.html"
SNIPPET = "[data-snippet$='--pipeline']"


def wait_ready(page, snippet: str = SNIPPET) -> None:
    page.wait_for_selector(f"{snippet} [data-run]:not([disabled])", timeout=READY_TIMEOUT_MS)


def run_and_wait(page, snippet: str = SNIPPET) -> str:
    page.click(f"{snippet} [data-run]")
    page.wait_for_function(
        "s => /^(Finished|Stopped|\\w+Error|\\w+ on line)/.test(document.querySelector(s + ' [data-status]').textContent)",
        arg=snippet,
        timeout=30_000,
    )
    return page.eval_on_selector(f"{snippet} [data-output]", "el => el.textContent")


def test_page_shows_expected_output_before_python_is_ready(page, site_server) -> None:
    page.goto(site_server.url + LESSON)
    shown = page.eval_on_selector(f"{SNIPPET} [data-output]", "el => el.textContent")
    assert shown == Demo(ROOT / "demo" / "pipeline.py").expected()


def test_run_prints_the_expected_state_log(page, site_server) -> None:
    page.goto(site_server.url + LESSON)
    run_button = page.locator(f"{SNIPPET} [data-run]")
    assert run_button.inner_text() == "Run"
    wait_ready(page)
    output = run_and_wait(page)
    expected = Demo(ROOT / "demo" / "pipeline.py").expected() or ""
    assert normalize(output) == normalize(expected), diff(normalize(expected), normalize(output), "pipeline.py")
    assert "Retry 1/2 will start 10 second(s) from now" in output
    assert page.console_errors == []
    hosts = {urlsplit(url).netloc for url in page.requests}
    assert hosts == {urlsplit(site_server.url).netloc}, f"requests left 127.0.0.1: {hosts}"
