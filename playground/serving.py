"""A Run that keeps going: serving deployments, or a flow run paused for a person, in the page.

At home ``python serve.py`` serves until Ctrl-C, and a paused run waits for
someone to answer it in the UI. In the page, such a Run keeps its worker:

- its waits take real time at the page's speed (1×, 60× or 3600×: the session
  clock's seconds per real second, `ServeControls.person_speed`), and are
  made with `PageWait`, which parks Python on a JavaScript timer (WebAssembly
  stack switching), so the worker hears the page meanwhile;
- what the page says then comes in through `aside_json`: a line typed in the
  terminal runs on this Run's session (``prefect deployment run`` asks the
  server that this process polls, as at home), the speed control sets the
  pace, Stop stops serving as Ctrl-C does, and a paused run's form resumes it;
- what the page needs to draw comes out as the Run's messages (`Announcer`):
  ``serving`` (started, or stopped: ``active``), ``store`` (the session's
  server after each served run, for the runs list), and ``paused`` (a run's
  form: its fields, or null once it goes on).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any

from sim_prefect.learner_clock import ORIGINAL
from sim_prefect.server.flow_runs import pending_input, resume_with
from sim_prefect.session import Session, session

from .output import Output
from .terminal import DEFAULT_COLUMNS, run_typed

SPEEDS = (1, 60, 3600)  # the page's speed control
DEFAULT_SPEED = 60
NO_STACK_SWITCHING = (
    "This browser cannot let the page in while Python waits (it has no WebAssembly stack switching): "
    "the terminal, the speed and a paused run's form cannot reach this Run. Stop ends it."
)


class PageWait:
    """A real wait that lets the worker hear the page: Python parks on a timer (Pyodide's ``run_sync``);
    `wake()` ends the wait under way at once (Stop, a new speed). In CPython (the tests, where the page's
    messages come from another thread) an event's wait; in a Pyodide without stack switching, `fallback`."""

    def __init__(self, fallback: Callable[[float], None]) -> None:
        self.fallback = fallback
        self._resolve: Any = None
        self._woken = threading.Event()

    @staticmethod
    def available() -> bool:
        if sys.platform != "emscripten":
            return False
        from pyodide.ffi import can_run_sync  # type: ignore[import-not-found]

        return bool(can_run_sync())

    def __call__(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if sys.platform != "emscripten":
            self._woken.wait(seconds)
            self._woken.clear()
            return
        if not self.available():
            self.fallback(seconds)
            return
        import js  # type: ignore[import-not-found]
        from pyodide.ffi import create_once_callable, run_sync

        def start(resolve: Any, reject: Any) -> None:
            self._resolve = resolve
            js.setTimeout(resolve, seconds * 1000)

        try:
            run_sync(js.Promise.new(create_once_callable(start)))
        finally:
            self._resolve = None

    def wake(self) -> None:
        self._woken.set()
        resolve, self._resolve = self._resolve, None
        if resolve is not None:
            resolve()


# The page's server goes to the page after a served run at most this often (real seconds): at 3600×
# an hourly schedule ends a run every second, and each copy of the store is the whole of it.
STORE_EVERY_S = 2.0


class Announcer:
    """The session's announcements (serve_controls.py), as the Run's messages for the page."""

    def __init__(self, session: Session, output: Output) -> None:
        self.session, self.output = session, output
        self._store_sent: float | None = None

    def __call__(self, what: str, details: dict[str, Any]) -> None:
        if what == "stopped":
            self.store()
        if what in ("serving", "stopped"):
            self.output.message({
                "type": "serving", "active": what == "serving", "deployments": details.get("deployments", []),
                "endless": bool(details.get("endless")), "speed": self.session.serving.person_speed,
                "reachable": PageWait.available(),
            })  # fmt: skip
        elif what == "served":
            now = ORIGINAL["monotonic"]()
            if self._store_sent is None or now - self._store_sent >= STORE_EVERY_S:
                self.store()
        elif what == "paused":
            form = pending_input(self.session, str(details["flow_run_id"]))
            if form is not None:
                form.update(timeout=details["timeout"], poll_interval=details["poll_interval"], reachable=PageWait.available())
            self.output.message({"type": "paused", "flow_run_id": str(details["flow_run_id"]), "form": form})
            self.store()
        elif what == "unpaused":
            self.output.message({"type": "paused", "flow_run_id": str(details["flow_run_id"]), "form": None})
        self.output.flush()

    def store(self) -> None:
        from .runner import keep_newest

        data = self.session.store.to_dict()
        keep_newest(data)
        self.output.message({"type": "store", "store": data})
        self._store_sent = ORIGINAL["monotonic"]()


def prepare(session: Session, output: Output, speed: float | None) -> PageWait | None:
    """Make `session` a page's: waits a person takes part in go at `speed`, real waits let the page in, and
    the page hears what it draws. None when the page gave no speed (the tests' Runs, a check)."""
    if speed is None:
        return None
    waiting = PageWait(session.serving.real_wait)
    session.serving.person_speed = float(speed)
    session.serving.real_wait = waiting
    session.serving.announce = Announcer(session, output)
    return waiting


# -- what the page says to a Run under way (web/worker.js: "typed" and "control") ---------------------------


def typed_json(line: str, post: Callable[[str], None] | None = None, options_json: str = "{}") -> str:
    """A line typed in the terminal while this Run serves or waits: run on its session, as at home a terminal
    beside ``python serve.py`` talks to the server that process polls. The store afterwards comes with it."""
    options = json.loads(options_json)
    output = Output(post)
    try:
        status = run_typed(line, output, columns=int(options.get("columns") or DEFAULT_COLUMNS), files=options.get("files"))
    except KeyboardInterrupt:
        status = 130
    output.flush()
    from .runner import keep_newest

    data = session().store.to_dict()
    keep_newest(data)
    return json.dumps({"ok": True, "error": None, "exit": status, "output": output.shown, "store": data}, default=repr)


def control_json(request_json: str) -> str:
    """The page's controls on this Run: ``{"speed": 60}``, ``{"stop": true}`` (Stop: as Ctrl-C),
    ``{"resume": RUN_ID, "values": {...}}`` (a paused run's form: the reasons it was refused, if any)."""
    request = json.loads(request_json)
    s = session()
    waiting = s.serving.real_wait
    answer: dict[str, Any] = {"ok": True}
    if "speed" in request:
        if request["speed"] not in SPEEDS:
            return json.dumps({"ok": False, "errors": [f"speed must be one of {SPEEDS}"]})
        s.serving.person_speed = float(request["speed"])
        if isinstance(waiting, PageWait):
            waiting.wake()  # the wait under way ends now; the next goes at the new pace
    if request.get("stop"):
        s.serving.stop()
        if isinstance(waiting, PageWait):
            waiting.wake()
    if "resume" in request:
        errors = resume_with(s, str(request["resume"]), request.get("values"))
        answer = {"ok": not errors, "errors": errors}
    return json.dumps(answer, default=repr)


__all__ = ["DEFAULT_SPEED", "SPEEDS", "Announcer", "PageWait", "control_json", "prepare", "typed_json"]
