"""Shared pages for the browser tests: one Chromium, and lesson pages that boot Python
once and are reused by every test that can share them.

Booting Pyodide is the slow part (seconds); a Run is a fresh worker started from
the page's snapshot (a fraction of a second). So the tests that only run code
share a page per host: `lesson` on a plain static host, `isolated_lesson` on one
that sends COOP/COEP, and `on_both_hosts`, parametrised over the two. Each test
puts the snippets' code back when it is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.page_helpers import EXERCISE, LESSON, SNIPPET, get_code, original_code, set_code, wait_ready

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


class Lesson:
    """A loaded lesson page, its server, and what the page reported."""

    def __init__(self, context, page, server, name: str) -> None:
        self.context = context
        self.page = page
        self.server = server
        self.name = name
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        context.on("request", lambda request: self.requests.append(request.url))

        def on_dialog(dialog) -> None:  # an XSS would show one; record it and dismiss
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def open(self, path: str = LESSON) -> Lesson:
        self.page.goto(self.server.url + path)
        wait_ready(self.page, "[data-snippet]")
        return self

    def restore(self, *snippets: str) -> None:
        """Put these snippets' code back to the lesson's."""
        for snippet in snippets:
            if self.page.locator(snippet).count():
                original = original_code(self.page, snippet)
                if get_code(self.page, snippet) != original:
                    set_code(self.page, snippet, original)


def _lesson(browser, server, name: str) -> Iterator[Lesson]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    lesson = Lesson(context, context.new_page(), server, name)
    yield lesson.open()
    context.close()


@pytest.fixture(scope="session")
def lesson(browser, site_server) -> Iterator[Lesson]:
    """The lesson page on a plain static host, booted once for the session."""
    yield from _lesson(browser, site_server, "plain")


@pytest.fixture(scope="session")
def isolated_lesson(browser, isolated_server) -> Iterator[Lesson]:
    """The lesson page, cross-origin isolated (COOP/COEP), booted once for the session."""
    yield from _lesson(browser, isolated_server, "isolated")


@pytest.fixture(params=["plain", "isolated"])
def on_both_hosts(request) -> Iterator[Lesson]:
    """The shared page on each host in turn; the pipeline and exercise code is put back afterwards."""
    lesson = request.getfixturevalue("lesson" if request.param == "plain" else "isolated_lesson")
    yield lesson
    lesson.restore(SNIPPET, EXERCISE)


@pytest.fixture()
def pipeline(lesson) -> Iterator[Lesson]:
    """The shared plain-host page; the pipeline snippet's code is put back afterwards."""
    yield lesson
    lesson.restore(SNIPPET)


@pytest.fixture(scope="module", params=["plain", "isolated"])
def session_page(request, browser):  # type: ignore[no-untyped-def]
    """A lesson page of the test module's own on each host in turn, for tests that read the session's store (the
    runs list, the terminal): no other module's Runs are in it. Records its errors and dialogs (dismissed)."""
    server = request.getfixturevalue("site_server" if request.param == "plain" else "isolated_server")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + LESSON)
    wait_ready(page)
    yield page
    context.close()


@pytest.fixture()
def fresh_page(browser):  # type: ignore[no-untyped-def]
    """A new browser context and page, for tests that need a page of their own (first Run, reloads, tabs)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
