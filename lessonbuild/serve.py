"""The author's server: 127.0.0.1 only, rebuilds on change, reloads the page.

It sends the same headers a production host should (`headers.py`): COOP/COEP,
which make the page cross-origin isolated so Stop can interrupt Python at once,
and the CSP. Live reload is a Server-Sent Events stream at ``/__reload`` that
page.js listens to only when the page comes from this server (every response
carries ``Server-Timing: livereload``, visible to the page in
``performance.getEntriesByType("navigation")[0].serverTiming``): ``data: reload``
after each successful rebuild, and ``event: build-error`` with the one-line
error when a rebuild fails (the last good site stays up).

Changes are found by polling the stat of every watched file every `POLL_S`
(about a millisecond for this project's few hundred files), so it needs no
third-party watcher; the rebuild is the Builder's warm path, which redoes only
what changed.
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

from .errors import BuildError
from .headers import ISOLATION_HEADERS, header_policy

POLL_S = 0.025
Stamp = dict[str, tuple[int, int]]
# Editors' and tools' scratch files: a save through one of them would otherwise trigger a second, pointless rebuild.
_SCRATCH = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|.*\.tmp|4913|sed[A-Za-z0-9]{6})$")


def snapshot(folders: list[Path]) -> Stamp:
    """Every file under `folders` with its modification time and size."""
    stamps: Stamp = {}
    stack = [str(f) for f in folders if f.exists()]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name == "__pycache__" or _SCRATCH.match(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file():
                    st = entry.stat()
                    stamps[entry.path] = (st.st_mtime_ns, st.st_size)
    return stamps


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
        self.before = snapshot(folders)  # now, not when the thread gets going: a save in between counts

    def run(self) -> None:
        before = self.before
        while not self.stopped.wait(POLL_S):
            now = snapshot(self.folders)
            if now == before:
                continue
            before = now
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
        headers = {**ISOLATION_HEADERS, "Content-Security-Policy": header_policy(origin)}
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site, headers, self.reloads))
        self.httpd.daemon_threads = True
        self.watcher = Watcher(watch, rebuild, self.reloads, log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> DevServer:
        self.watcher.start()
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
