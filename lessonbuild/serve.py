"""The author's server: 127.0.0.1 only, rebuilds on change, reloads the page.

It sends the headers a production host should (`headers.py`): the CSP. Live
reload is a Server-Sent Events stream at ``/__reload``. The page learns that
it comes from this server one way only: every response carries
``Server-Timing: livereload``, which page.js reads from its own navigation
timing (``performance.getEntriesByType("navigation")[0].serverTiming``), with
no request. The stream sends ``data: reload`` after each successful rebuild,
and ``event: build-error`` with the one-line error when a rebuild fails (the
last good site stays up).

Changes come from `watchfiles` (the operating system's file events, through
the Rust ``notify`` crate), not from polling; the rebuild is the Builder's warm
path, which redoes only what changed.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from .errors import BuildError
from .headers import header_policy

# A save is often several file events (write, rename, chmod): wait this long after the
# last one before rebuilding, but never longer than DEBOUNCE_MS in all.
STEP_MS = 15
DEBOUNCE_MS = 100
# Editors' and tools' scratch files: a save through one of them would otherwise trigger a second, pointless rebuild.
_SCRATCH = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|.*\.tmp|4913|sed[A-Za-z0-9]{6})$")


def watched(change: watchfiles.Change, path: str) -> bool:
    """Is this change one the site depends on (not a cache or an editor's scratch file)?"""
    parts = Path(path).parts
    return "__pycache__" not in parts and not _SCRATCH.match(parts[-1])


class Reloads:
    """What the watcher tells the pages: a version number that goes up, or the last error."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.changed = threading.Condition()

    def publish(self, error: str | None = None) -> None:
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()


class Watcher(threading.Thread):
    def __init__(self, folders: list[Path], rebuild: Callable[[], Any], reloads: Reloads, log: Callable[[str], None]) -> None:
        super().__init__(daemon=True, name="lesson-watcher")
        self.folders = folders
        self.rebuild = rebuild
        self.reloads = reloads
        self.log = log
        self.stopped = threading.Event()
        self.watching = threading.Event()  # set once the file events are being watched

    def run(self) -> None:
        folders = [str(f) for f in self.folders if f.exists()]
        changes = watchfiles.watch(
            *folders, watch_filter=watched, step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=self.stopped, yield_on_timeout=True,
            rust_timeout=200,
        )
        for changed in changes:
            self.watching.set()
            if not changed:
                continue
            started = time.perf_counter()
            try:
                self.rebuild()
            except BuildError as exc:
                self.log(f"error: {exc}")
                self.reloads.publish(error=str(exc))
                continue
            except Exception as exc:  # keep serving the last good site
                self.log(f"error: {type(exc).__name__}: {exc}")
                self.reloads.publish(error=f"{type(exc).__name__}: {exc}")
                continue
            self.log(f"rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms")
            self.reloads.publish()


def make_handler(site: Path, headers: dict[str, str], reloads: Reloads) -> Any:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Cache-Control", "no-cache")
            # Lets page.js know, from its own navigation timing and without a request, that
            # /__reload exists here (a probe on a static host would log a 404).
            self.send_header("Server-Timing", 'livereload;desc="/__reload"')
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

        def _stream_reloads(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = reloads.version
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    with reloads.changed:
                        reloads.changed.wait_for(lambda: reloads.version != seen, timeout=15)
                        version, error = reloads.version, reloads.error
                    if version == seen:
                        self.wfile.write(b": keep-alive\n\n")
                    elif error is None:
                        self.wfile.write(b"data: reload\n\n")
                    else:
                        self.wfile.write(b"event: build-error\ndata: " + error.encode() + b"\n\n")
                    seen = version
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return functools.partial(Handler, directory=str(site))


class DevServer:
    """The HTTP server and its watcher; `start` runs both in the background."""

    def __init__(
        self,
        site: Path,
        rebuild: Callable[[], Any],
        watch: list[Path],
        port: int = 8000,
        origin: str | None = None,
        log: Callable[[str], None] = lambda line: print(line, flush=True),
    ) -> None:
        self.reloads = Reloads()
        headers = {"Content-Security-Policy": header_policy(origin)}
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site, headers, self.reloads))
        self.httpd.daemon_threads = True
        self.watcher = Watcher(watch, rebuild, self.reloads, log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> DevServer:
        self.watcher.start()
        self.watcher.watching.wait(5)  # a save right after start() must not be missed
        threading.Thread(target=self.httpd.serve_forever, daemon=True, name="lesson-http").start()
        return self

    def close(self) -> None:
        self.watcher.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(site: Path, port: int, rebuild: Callable[[], Any], watch: list[Path], origin: str | None = None) -> int:
    server = DevServer(site, rebuild, watch, port=port, origin=origin)
    server.watcher.start()
    print(f"Serving the lesson at {server.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.watcher.stopped.set()
        server.httpd.server_close()
    return 0
