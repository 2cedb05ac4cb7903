"""The author's server: 127.0.0.1 only, rebuilds on change, reloads the page.

It sends the COOP/COEP headers that make the page cross-origin isolated, so
Stop can interrupt Python at once (a static host can send the same two
headers; without them Stop falls back to replacing the worker). Live reload is
a Server-Sent Events stream at ``/__reload`` that page.js listens to only when
the page is served from this server.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}
POLL_S = 0.1


class _State:
    def __init__(self) -> None:
        self.version = 0
        self.changed = threading.Condition()


def _snapshot(folders: list[Path]) -> dict[Path, float]:
    stamps: dict[Path, float] = {}
    for folder in folders:
        if folder.exists():
            for path in folder.rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    stamps[path] = path.stat().st_mtime
    return stamps


def _watch(folders: list[Path], rebuild: Callable[[], Any], state: _State) -> None:
    from .errors import BuildError

    before = _snapshot(folders)
    while True:
        time.sleep(POLL_S)
        now = _snapshot(folders)
        if now == before:
            continue
        before = now
        started = time.perf_counter()
        try:
            rebuild()
            print(f"rebuilt in {time.perf_counter() - started:.2f}s", flush=True)
        except BuildError as exc:
            print(f"error: {exc}", flush=True)
            continue
        except Exception as exc:  # keep serving the last good site
            print(f"error: {type(exc).__name__}: {exc}", flush=True)
            continue
        with state.changed:
            state.version += 1
            state.changed.notify_all()


def serve(site: Path, port: int, rebuild: Callable[[], Any], watch: list[Path]) -> int:
    state = _State()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for key, value in ISOLATION_HEADERS.items():
                self.send_header(key, value)
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def guess_type(self, path: Any) -> str:
            if str(path).endswith((".mjs", ".js")):
                return "text/javascript"
            if str(path).endswith(".wasm"):
                return "application/wasm"
            return super().guess_type(path)

        def do_GET(self) -> None:
            if self.path == "/__reload":
                self._stream_reloads()
                return
            super().do_GET()

        def do_HEAD(self) -> None:
            if self.path == "/__reload":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                return
            super().do_HEAD()

        def _stream_reloads(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = state.version
            try:
                while True:
                    with state.changed:
                        state.changed.wait(timeout=15)
                        version = state.version
                    if version != seen:
                        seen = version
                        self.wfile.write(b"data: reload\n\n")
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=_watch, args=(watch, rebuild, state), daemon=True).start()
    print(f"Serving the lesson at http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
