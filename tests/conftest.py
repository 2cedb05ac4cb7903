"""Shared fixtures: the project's paths, a built site, a server on 127.0.0.1, Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium reaches for Google's update and sign-in hosts even when told not to; the
# host-resolver rule makes any address but 127.0.0.1 unresolvable.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per session into a temporary folder by the real build."""
    import build

    dest = tmp_path_factory.mktemp("site") / "_site"
    build.build(dest)
    return dest


class StaticServer:
    def __init__(self, root: Path, headers: dict[str, str]) -> None:
        extra = headers

        class Handler(http.server.SimpleHTTPRequestHandler):
            def end_headers(self) -> None:
                for key, value in extra.items():
                    self.send_header(key, value)
                super().end_headers()

            def guess_type(self, path):  # type: ignore[no-untyped-def]
                if str(path).endswith((".js", ".mjs")):
                    return "text/javascript"
                if str(path).endswith(".wasm"):
                    return "application/wasm"
                return super().guess_type(path)

            def log_message(self, format, *args):  # type: ignore[no-untyped-def]
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[StaticServer]:
    """The built site on a plain static host: no isolation headers (Stop terminates)."""
    server = StaticServer(built_site, {})
    yield server
    server.close()


@pytest.fixture(scope="session")
def isolated_server(built_site: Path) -> Iterator[StaticServer]:
    """The same site with COOP/COEP headers (Stop interrupts)."""
    server = StaticServer(built_site, ISOLATION_HEADERS)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()
