"""Debian's Chromium, and servers on 127.0.0.1 (a static host for the built site, or any handler):
shared by the browser tests, the lesson's tests and the benchmarks.

Nothing here needs pytest, so ``python -m bench`` can use it too.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
# A host that makes the page cross-origin isolated. The page does not need it (Stop
# terminates a worker); the tests and benchmarks check that it works there too.
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}


class Quiet:
    """A request handler that logs nothing (mixed in before http.server's handler)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LoopbackServer:
    """An HTTP server on a free port of 127.0.0.1, answering in daemon threads until `close()`."""

    def __init__(self, handler: Callable[..., http.server.BaseHTTPRequestHandler], path: str = "/") -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class StaticServer(LoopbackServer):
    """A folder on 127.0.0.1, as a static host serves it, with extra headers on every response."""

    def __init__(self, root: Path, headers: dict[str, str]) -> None:
        extra = headers

        class Handler(Quiet, http.server.SimpleHTTPRequestHandler):
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

        super().__init__(functools.partial(Handler, directory=str(root)))
        # A terminated worker's download resets its connection: not news.
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]


__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ISOLATION_HEADERS", "LoopbackServer", "Quiet", "StaticServer"]
