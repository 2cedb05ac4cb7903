"""Logging the way Prefect does it: run loggers, `log_prints`, and other loggers.

- `get_run_logger()` returns an adapter that carries the run in `extra`; a
  handler turns each record into one `LogEmitted` event named for Prefect's
  ``prefect.flow_runs`` or ``prefect.task_runs`` logger. The `logging` loggers
  underneath are ``sim_prefect.flow_runs`` and ``sim_prefect.task_runs``, so
  that real Prefect, imported in the same process (as a test suite may), can
  neither take our records nor send them to its API handler.
- The root logger gets the same handler (only if it has none), so a user's
  ``logging.getLogger("mylib").warning(...)`` prints in Prefect's generic form,
  as Prefect's own logging set-up does. The root stays at WARNING.
- `print()` inside a run with `log_prints` becomes an INFO record, like
  ``prefect.logging.loggers.print_as_log``: the hook is installed once and
  passes every other call straight through.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import io
import linecache
import logging
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from . import _msgs, current_run
from .run_events import LogEmitted
from .exceptions import MissingContextError
from .session import STEP_COST, session
from .tracebacks import format_exception

FLOW_RUNS = "prefect.flow_runs"
TASK_RUNS = "prefect.task_runs"
_OWN_ROOT = "sim_prefect"


def _stdlib_name(prefect_name: str) -> str:
    """``prefect.flow_runs`` -> ``sim_prefect.flow_runs``: the `logging` logger we use."""
    return _OWN_ROOT + prefect_name[len("prefect") :]


def _display_name(logger_name: str) -> str:
    """The name shown in events: Prefect's, for our own loggers."""
    if logger_name == _OWN_ROOT or logger_name.startswith(_OWN_ROOT + "."):
        return "prefect" + logger_name[len(_OWN_ROOT) :]
    return logger_name


class PrefectLogAdapter(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Keeps the run's identity on every record (Prefect's adapter does the same)."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs["extra"] = {**(self.extra or {}), **(kwargs.get("extra") or {})}
        return msg, kwargs


class EventHandler(logging.Handler):
    """Turns `logging` records into `LogEmitted` events on the current session."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            s = session()
            traceback = None
            if record.exc_info:
                exc = record.exc_info[1]
                traceback = format_exception(exc) if exc is not None else "NoneType: None"
            if getattr(record, "run_kind", None) == "task" and not getattr(record, "flow_run_id", None):
                warn_logs_without_flow_run(_display_name(record.name))
            s.clock.charge(STEP_COST)
            event = LogEmitted(
                timestamp=s.now(),
                level=record.levelname,
                logger=_display_name(record.name),
                message=record.getMessage(),
                run_id=getattr(record, "run_id", None),
                run_kind=getattr(record, "run_kind", None),
                run_name=getattr(record, "run_name", None),
                traceback=traceback,
            )
            s.emit(event)
            if record.name.startswith(_OWN_ROOT):  # one of ours: root's handlers have not seen it
                record.name = event.logger
                _to_root_handlers(record, _prefect_logger.handlers)
        except Exception:  # logging must never break the run
            self.handleError(record)


_handler = EventHandler()
_configured = False


_prefect_logger = logging.getLogger(_OWN_ROOT)
_root = logging.getLogger()
# Prefect sets up logging when it is imported, putting its own handler in place of the root logger's: here
# the root's earlier handlers stay, but get none of Prefect's records (under Prefect they would be gone), and
# ours takes the root's place now if it has none (so a later logging.basicConfig() changes nothing, as under
# Prefect).
_replaced = tuple(_root.handlers)
if not _root.handlers:
    _root.addHandler(_handler)
    _configured = True


def _to_root_handlers(record: logging.LogRecord, seen_by: list[logging.Handler] | None = None) -> None:
    """Hand one of Prefect's records to the root logger's other handlers (but those in `seen_by`, which
    handle it anyway: pytest attaches its own to every logger that does not propagate, ours among them).

    Prefect's loggers propagate to the root logger, so its handlers (pytest's
    ``caplog``, a learner's own) see every run's records, under Prefect's
    names. Ours go to the event stream instead (see PORT.yaml,
    own-logging-namespace), and from here to root's other handlers.
    """
    global _handing
    if _handing:
        return  # a record made while a root handler works (its error printed under log_prints): not again
    _handing = True
    try:
        for handler in _root.handlers:
            if (
                handler is not _handler and record.levelno >= handler.level and handler not in _replaced
                and not (seen_by and handler in seen_by)
            ):  # fmt: skip
                handler.handle(record)
    finally:
        _handing = False


_handing = False


def _root_listens() -> bool:
    """Whether the root logger has a handler other than ours (cheap: the engine asks for every line)."""
    handlers = _root.handlers
    return bool(handlers) and (len(handlers) > 1 or handlers[0] is not _handler) and handlers != list(_replaced)


def _as_record(event: LogEmitted, level: int) -> logging.LogRecord:
    """An engine's line as the `logging` record Prefect's logger would have made."""
    record = logging.LogRecord(event.logger, level, "", 0, event.message, None, None)
    record.created, record.msecs = event.timestamp, (event.timestamp % 1) * 1000
    if event.traceback is not None:
        record.exc_text = event.traceback
    for name in ("run_id", "run_kind", "run_name"):
        setattr(record, name, getattr(event, name))
    return record


def setup_logging() -> None:
    """Attach the handler (again, if a logging set-up removed it); set levels from the session."""
    global _configured
    level = session().level
    if _prefect_logger.level != level:
        _prefect_logger.setLevel(level)
    if _handler not in _prefect_logger.handlers:
        _prefect_logger.addHandler(_handler)
        _prefect_logger.propagate = False
    _install_print_hook()  # again, if something put the original print back
    if _configured:
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(_handler)
    _configured = True


def emit_log(
    run: Any, level: int, message: str, exc: BaseException | None = None, traceback: str | None = None
) -> None:
    """The engine's own records: straight to the event stream, no `logging` detour.

    `exc` is formatted as a traceback; `traceback` is text to use as it is.
    """
    s = session()
    kind = run.kind
    if level < s.level or (_flow_runs if kind == "flow" else _task_runs).disabled:  # disable_run_logger()
        return
    if kind == "task" and run.flow_run_id is None:
        warn_logs_without_flow_run(TASK_RUNS)
    s.clock.charge(STEP_COST)
    if exc is not None:
        traceback = format_exception(exc)
    event = LogEmitted(
        s.now(), _LEVEL_NAMES[level], FLOW_RUNS if kind == "flow" else TASK_RUNS,
        message, run.id, kind, run.name, traceback,
    )  # fmt: skip
    s.emit(event)
    if _root_listens():
        _to_root_handlers(_as_record(event, level))


def emit_logger_log(logger: str, level: int, message: str, exc: BaseException | None = None) -> None:
    """A record from one of Prefect's own loggers outside any run (``prefect.engine``, ``prefect.flows``)."""
    s = session()
    if level < s.level:
        return
    s.clock.charge(STEP_COST)
    event = LogEmitted(s.now(), _LEVEL_NAMES[level], logger, message, traceback=format_exception(exc) if exc else None)
    s.emit(event)
    if _root_listens():
        _to_root_handlers(_as_record(event, level))


_LEVEL_NAMES = {lvl: logging.getLevelName(lvl) for lvl in (10, 20, 30, 40, 50)}


def warn_logs_without_flow_run(logger_name: str) -> None:
    """Python's UserWarning that Prefect's API log handler gives for logs outside any flow run.

    Prefect warns from inside ``logging.LoggerAdapter.log``, so Python shows that
    line of the standard library; we point the warning at the same place. As
    with any warning, Python shows it once per location: here, once per session.
    Not in deterministic mode, whose output must be the same on every Python:
    the standard library's path and line are not (see PORT.yaml).
    """
    s = session()
    location = _adapter_log_line()
    if location is None or s.mode == "deterministic":
        return
    filename, lineno = location
    warnings.warn_explicit(
        _msgs.LOGS_WITHOUT_FLOW_RUN.format(logger=logger_name),
        UserWarning,
        filename,
        lineno,
        module="logging",
        registry=s.warnings_registry,
    )


@functools.lru_cache(maxsize=1)
def _adapter_log_line() -> tuple[str, int] | None:
    """Where ``LoggerAdapter.log`` calls ``self.logger.log(...)``, if the source is readable."""
    code = logging.LoggerAdapter.log.__code__
    filename = code.co_filename
    lines = linecache.getlines(filename)
    for number in range(code.co_firstlineno, min(len(lines), code.co_firstlineno + 30) + 1):
        if "self.logger.log(" in lines[number - 1]:
            return filename, number
    return None


def run_logger(run: Any) -> PrefectLogAdapter:
    name = FLOW_RUNS if run.kind == "flow" else TASK_RUNS
    extra = {"run_id": run.id, "run_kind": run.kind, "run_name": run.name, "flow_run_id": run.flow_run_id}
    return PrefectLogAdapter(_stdlib(name), extra)


def get_run_logger(context_: Any = None, **kwargs: Any) -> logging.Logger | PrefectLogAdapter:
    """The current run's logger; outside a run, Prefect's MissingContextError.

    Within `disable_run_logger()` it gives a disabled logger instead, as Prefect
    does, so a task's function can be called directly in a test.
    """
    ctx = current_run.current()
    if ctx is None:
        if _stdlib(FLOW_RUNS).disabled and _stdlib(TASK_RUNS).disabled:
            null = logging.getLogger("null")
            null.disabled = True
            return null
        raise MissingContextError(_msgs.MISSING_CONTEXT)
    adapter = run_logger(ctx.run)
    if kwargs:
        adapter.extra = {**(adapter.extra or {}), **kwargs}
    return adapter


def get_logger(name: str | None = None) -> logging.Logger:
    """One of Prefect's own loggers (``prefect`` or ``prefect.<name>``); records print as that name."""
    if not name:
        return _prefect_logger
    return _stdlib(name if name == "prefect" or name.startswith("prefect.") else f"prefect.{name}")


def flow_run_logger(flow_run: Any = None, flow: Any = None, **kwargs: Any) -> PrefectLogAdapter:
    """A logger for `flow_run` (as hooks receive it): its records read ``Flow run '<name>'``."""
    extra = {"run_id": str(flow_run.id), "run_kind": "flow", "run_name": flow_run.name, "flow_run_id": str(flow_run.id)}
    return PrefectLogAdapter(_stdlib(FLOW_RUNS), {**extra, **kwargs})


def task_run_logger(task_run: Any, task: Any = None, flow_run: Any = None, flow: Any = None, **kwargs: Any) -> PrefectLogAdapter:
    """A logger for `task_run` (as hooks receive it): its records read ``Task run '<name>'``."""
    flow_run_id = str(task_run.flow_run_id) if task_run.flow_run_id else None
    extra = {"run_id": str(task_run.id), "run_kind": "task", "run_name": task_run.name, "flow_run_id": flow_run_id}
    return PrefectLogAdapter(_stdlib(TASK_RUNS), {**extra, **kwargs})


@contextlib.contextmanager
def disable_logger(name: str) -> Iterator[None]:
    """Silence the logger `name` within the block."""
    logger = _stdlib(name) if name.startswith("prefect") else logging.getLogger(name)
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


@contextlib.contextmanager
def disable_run_logger() -> Iterator[None]:
    """Silence run loggers within the block (for calling a task's ``.fn`` in a test)."""
    with disable_logger(FLOW_RUNS), disable_logger(TASK_RUNS):
        yield


def _stdlib(prefect_name: str) -> logging.Logger:
    return logging.getLogger(_stdlib_name(prefect_name))


_flow_runs, _task_runs = _stdlib(FLOW_RUNS), _stdlib(TASK_RUNS)


# -- log_prints ----------------------------------------------------------------------

_original_print = builtins.print


def _print_as_log(*args: Any, **kwargs: Any) -> None:
    ctx = current_run.current()
    if ctx is None or not ctx.log_prints or kwargs.get("file") not in (None, sys.stdout, sys.stderr):
        _original_print(*args, **kwargs)
        return
    buffer = io.StringIO()
    kwargs["file"] = buffer
    _original_print(*args, **kwargs)
    run_logger(ctx.run).info(buffer.getvalue().rstrip())


def _install_print_hook() -> None:
    if builtins.print is not _print_as_log:
        builtins.print = _print_as_log
