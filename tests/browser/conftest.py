"""Shared pages for the browser tests: one Chromium, and a lesson page per server
that boots Python once and is reused by every test that can share it.

Booting Pyodide is the slow part (seconds); a run is milliseconds. So the tests
that only run code share `lesson` (plain static server: Stop replaces the
worker) or `isolated_lesson` (COOP/COEP: Stop interrupts), and each puts the
snippet's code back when it is done (`snippet_code`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from page_helpers import LESSON, SNIPPET, set_code, wait_ready

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


class Lesson:
    """A loaded lesson page, its server, and what the page reported."""

    def __init__(self, context, page, server) -> None:
        self.context = context
        self.page = page
        self.server = server
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))

        def on_dialog(dialog) -> None:  # an XSS would show one; record it and dismiss
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def open(self) -> Lesson:
        self.page.goto(self.server.url + LESSON)
        wait_ready(self.page)
        return self


def _lesson(browser, server) -> Iterator[Lesson]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    lesson = Lesson(context, context.new_page(), server)
    yield lesson.open()
    context.close()


@pytest.fixture(scope="session")
def lesson(browser, site_server) -> Iterator[Lesson]:
    """The lesson page on a plain static host, booted once for the session."""
    yield from _lesson(browser, site_server)


@pytest.fixture(scope="session")
def isolated_lesson(browser, isolated_server) -> Iterator[Lesson]:
    """The lesson page, cross-origin isolated, booted once for the session."""
    yield from _lesson(browser, isolated_server)


@pytest.fixture()
def pipeline(lesson) -> Iterator[Lesson]:
    """The shared page; the pipeline snippet's code is put back afterwards."""
    original = lesson.page.eval_on_selector(f"{SNIPPET} [data-source]", "el => el.value")
    yield lesson
    set_code(lesson.page, SNIPPET, original)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
