"""The simulator's session: clock, names, event stream, state log, scheduler.

Real Prefect keeps this in its (temporary) API server. We keep it in one
`Session` object. It is set up from the environment at import and can be set
up again with `configure()`:

``SIM_PREFECT_MODE``
    ``real`` (default): the system clock, random names.
    ``fast``: waits are skipped but the timestamps show them; random names.
    ``deterministic``: a virtual clock from a fixed start and seeded names,
    so the output is byte-identical from run to run (tests, expected logs).
``SIM_PREFECT_SEED``
    Seed for run names (any mode). Deterministic mode defaults to 0.
``PREFECT_LOGGING_LEVEL``
    As in Prefect: ``INFO`` by default; ``DEBUG`` shows debug records.
``PREFECT_LOGGING_COLORS``, ``NO_COLOR``, ``FORCE_COLOR``
    Colours on stderr: by default only when stderr is a terminal.
"""

from __future__ import annotations

import logging
import os
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Literal

from .clock import Clock, FastForwardClock, SystemClock, VirtualClock
from .run_events import Event, EventBus, LogEmitted
from .store import Store
from .formatting import format_record, style_runs, to_ansi
from . import lanes, prefect_settings, tracebacks
from .results import DirectoryStore, MemoryStore, ResultStore, default_folder, link_session
from .scheduler import Scheduler
from .serve_controls import ServeControls
from .states import EPOCH

Mode = Literal["real", "fast", "deterministic"]
MODES: tuple[Mode, ...] = ("real", "fast", "deterministic")

# Simulated cost of engine work under the virtual clock: a state change, a log
# record. Small and fixed, so deterministic timestamps look like real ones.
STEP_COST = 0.001


@dataclass
class Session:
    mode: Mode
    clock: Clock
    rng: random.Random
    level: int = logging.INFO
    bus: EventBus = field(default_factory=EventBus)
    store: Store = field(default_factory=Store)  # what Prefect's server would keep
    scheduler: Scheduler = field(init=False)
    # Python's "once per location" memory for the warnings we raise: a new session
    # is like a new process.
    warnings_registry: dict[str | tuple[str, type[Warning], int], int] = field(default_factory=dict)
    # Where persisted results (cache records) are kept; see results.py.
    results: ResultStore = field(default_factory=MemoryStore)
    # The flow runs (or lone task runs) that stored a record: a DEFAULT key, which holds
    # its run's id, can find nothing in any other run (see task_engine.Cache).
    runs_with_records: set[str] = field(default_factory=set)
    # What a terminal or the page tells a serving process (stop, until when, how fast): serve_controls.py.
    serving: ServeControls = field(default_factory=ServeControls)
    # The latest state timestamp given out, in any run (engine.Run.set_state keeps them increasing).
    last_stamp: datetime = EPOCH

    # The hot path calls these for every state and log line: bound once, to the bus and the clock.
    emit: Callable[[Event], None] = field(init=False)
    now: Callable[[], float] = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.clock, lanes.for_this_runtime())
        self.bus.subscribe(self.store)
        self.emit = self.bus.emit
        self.now = self.clock.now

    def use_store(self, store: Store) -> Store:
        """Make `store` the session's server from now on (a fresh database, as Prefect's test harness
        gives); returns the one it replaces, to put back later."""
        previous, self.store = self.store, store
        self.bus.replace(previous, store)
        return previous

    def new_id(self) -> str:
        """A random UUID version 7, as Prefect 3's ids are: the clock's milliseconds, then random bits.

        It draws 128 bits from the session's generator whatever it keeps, so the
        names drawn after it stay the same.
        """
        n = self.rng.getrandbits(128)
        millis = int(self.clock.now() * 1000) & ((1 << 48) - 1)
        n = (millis << 80) | (n & ((1 << 80) - 1))
        n = (n & ~(0xF000 << 64)) | (7 << 76)  # version 7
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # the RFC 4122 variant
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _make_clock(mode: Mode, start: float | None) -> Clock:
    if mode == "deterministic":
        return VirtualClock() if start is None else VirtualClock(start)
    if mode == "fast":
        return FastForwardClock()
    return SystemClock()


def _level_from_env() -> int:
    name = os.environ.get("PREFECT_LOGGING_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


# -- the terminal sink --------------------------------------------------------------


def colour_system(stream: object, environ: dict[str, str] | None = None) -> str | None | bool:
    """What rich would do on `stream`: a palette ("256", "standard"), False (plain) or None (no colour, bold kept).

    Prefect's console handler is a rich Console; this follows rich's rules:
    ``PREFECT_LOGGING_COLORS=false`` turns styling off; ``FORCE_COLOR`` (non-empty)
    or a terminal turns it on; ``TERM=dumb`` turns it off again; ``NO_COLOR``
    keeps only bold; ``TERM`` ending in ``256color`` (or ``kitty``), or
    ``COLORTERM=truecolor``, gives 256 colours, anything else the 16 standard ones.
    """
    env = os.environ if environ is None else environ
    if env.get("PREFECT_LOGGING_COLORS", "true").strip().lower() in ("0", "false", "no", "off"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None:
        terminal = force != ""
    else:
        isatty = getattr(stream, "isatty", None)
        try:
            terminal = bool(isatty and isatty())
        except ValueError:
            terminal = False
    term = env.get("TERM", "").strip().lower()
    if not terminal or term in ("dumb", "unknown"):
        return False
    if env.get("NO_COLOR", "") != "":
        return None
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "256"  # Prefect's theme colours are 256-palette colours: same codes
    return "256" if term.rpartition("-")[2] in ("256color", "kitty") else "standard"


_colours_for: tuple[object, str | None | bool] | None = None


def _colours(stream: object) -> str | None | bool:
    """`colour_system(stream)`, worked out once per stream (as rich decides once per console)."""
    global _colours_for
    if _colours_for is None or _colours_for[0] is not stream:
        _colours_for = (stream, colour_system(stream))
    return _colours_for[1]


def terminal_sink(event: Event) -> None:
    """Write log records to stderr in Prefect's format, as its console handler does."""
    if type(event) is not LogEmitted:
        return
    stream = sys.stderr
    line = format_record(event)
    colours = _colours(stream)
    if colours is not False and colours is not True:
        line = to_ansi(style_runs(line), colours)
    stream.write(line + "\n")
    stream.flush()


# -- the current session ------------------------------------------------------------

_session: Session | None = None


def configure(
    mode: Mode | None = None,
    *,
    seed: int | None = None,
    start: float | None = None,
    terminal: bool = True,
    results: ResultStore | None = None,
    store: Store | None = None,
    library_frames: bool | None = None,
) -> Session:
    """Start a fresh session: new clock, names, state log and scheduler.

    `store` is what the session's server knows already (the page hands over what earlier
    Runs left, as Prefect's database outlives a process); by default it starts empty.
    `results` is where persisted task results are kept: by default in memory
    in deterministic mode (the same output every time) and in a folder
    otherwise, so that a second run of a script reuses the first one's results.
    `library_frames` says whether tracebacks show the standard library's frames,
    as Prefect's do: by default they do, except in deterministic mode, whose
    output must not depend on where Python is installed.
    """
    global _session, _colours_for
    if _session is not None:
        _session.scheduler.close()
    _colours_for = None  # the environment may have changed: decide colours again
    if mode is None:
        env_mode = os.environ.get("SIM_PREFECT_MODE", "real")
        if env_mode not in MODES:
            raise ValueError(
                f"SIM_PREFECT_MODE must be one of {', '.join(MODES)}; got {env_mode!r}"
            )
        mode = env_mode  # type: ignore[assignment,unused-ignore]
    assert mode is not None
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if seed is None and os.environ.get("SIM_PREFECT_SEED"):
        seed = int(os.environ["SIM_PREFECT_SEED"])
    if seed is None and mode == "deterministic":
        seed = 0
    prefect_settings.reload()
    tracebacks.relative_paths = mode == "deterministic"
    tracebacks.hide_library = mode == "deterministic" if library_frames is None else not library_frames
    _session = Session(
        mode=mode,
        clock=_make_clock(mode, start),
        rng=random.Random(seed),
        level=_level_from_env(),
        results=results or (MemoryStore() if mode == "deterministic" else DirectoryStore(default_folder())),
        store=store or Store(),
    )
    if terminal:
        _session.bus.subscribe(terminal_sink)
    return _session


def session() -> Session:
    return _session if _session is not None else configure()


# A ResultStore made by user code keeps its records in the session's store (results.py).
link_session(session)
