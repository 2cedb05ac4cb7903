"""Tracebacks in the learner's terms: their frames only, the same on every Python.

Real Prefect prints its own engine frames (``task_engine.py``,
``utilities/callables``) above the user's. Ours would be sim_prefect's, which
teach nothing, so they are left out. Carets (``^^^^``) are left out too: their
placement differs between CPython 3.11 and Pyodide's 3.14, and the expected
logs must be identical in both. Both are listed as deviations in PORT.yaml.
"""

from __future__ import annotations

import linecache
import os
import traceback
from collections.abc import Iterable

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def is_internal(filename: str, hidden: Iterable[str] = ()) -> bool:
    """Is this frame sim_prefect's own (or in one of the `hidden` folders)?"""
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    folders = (_PACKAGE_DIR, *hidden)
    return any(path == d or path.startswith(d + os.sep) for d in folders)


def user_frames(
    tb: traceback.StackSummary, hidden: Iterable[str] = ()
) -> list[traceback.FrameSummary]:
    hidden = tuple(hidden)
    if hide_library:  # the standard library's frames vary with the Python version, and teach nothing
        hidden += (_STDLIB,)
    return [f for f in tb if not is_internal(f.filename, hidden)]


_STDLIB = os.path.dirname(os.path.abspath(os.__file__))  # a folder, or Pyodide's zip of the library


# Set by `sim_prefect.configure()`: True in deterministic mode only, unless asked otherwise.
relative_paths = False
hide_library = False


def display_path(filename: str) -> str:
    """A script's path in a traceback: as Python gives it, or relative in deterministic mode.

    Since Python 3.9, ``python demo.py`` gives the script an absolute path, and
    Prefect's tracebacks show it. Deterministic mode promises the same bytes on
    every machine, so there a path under the working folder is shown relative to
    it (a deviation listed in PORT.yaml); the other modes show what Prefect shows.
    """
    if relative_paths and os.path.isabs(filename):
        relative = os.path.relpath(filename)
        if not relative.startswith(os.pardir):
            return relative
    return filename


def _format_chain(exc: BaseException, hidden: tuple[str, ...], seen: set[int]) -> list[str]:
    seen.add(id(exc))
    lines: list[str] = []
    cause = exc.__cause__
    context = exc.__context__ if not exc.__suppress_context__ else None
    if cause is not None and id(cause) not in seen:
        lines += _format_chain(cause, hidden, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and id(context) not in seen:
        lines += _format_chain(context, hidden, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.__traceback__ is not None:
        # Python prints the header whenever there is a traceback, even when every
        # frame in it is hidden here (e.g. a TimeoutError raised by the engine).
        lines.append("Traceback (most recent call last):\n")
        lines += _format_frames(user_frames(traceback.extract_tb(exc.__traceback__), hidden))
    lines += traceback.format_exception_only(type(exc), exc)
    return lines


# As CPython's traceback module: a frame repeated more than this many times in a row
# (a runaway recursion) is shown this many times, then counted.
_RECURSIVE_CUTOFF = 3


def _format_frames(frames: list[traceback.FrameSummary]) -> list[str]:
    lines: list[str] = []
    last: tuple[str, int | None, str] | None = None
    repeats = 0
    for frame in frames:
        where = (frame.filename, frame.lineno, frame.name)
        if where == last:
            repeats += 1
            if repeats >= _RECURSIVE_CUTOFF:
                continue
        else:
            if repeats >= _RECURSIVE_CUTOFF:
                lines.append(_repeated(repeats))
            last, repeats = where, 0
        lines.append(f'  File "{display_path(frame.filename)}", line {frame.lineno}, in {frame.name}\n')
        source = frame.line or linecache.getline(frame.filename, frame.lineno or 0).strip()
        if source:
            lines.append(f"    {source}\n")
    if repeats >= _RECURSIVE_CUTOFF:
        lines.append(_repeated(repeats))
    return lines


def _repeated(repeats: int) -> str:
    count = repeats - _RECURSIVE_CUTOFF + 1
    return f"  [Previous line repeated {count} more time{'s' if count > 1 else ''}]\n"


def format_exception(exc: BaseException, hidden: Iterable[str] = ()) -> str:
    """Python's traceback text, minus internal frames and carets, without its final newline.

    Only the one newline goes, as `logging` removes it: a message that ends in a
    newline of its own keeps it, and shows as a blank line.
    """
    text = "".join(_format_chain(exc, tuple(hidden), set()))
    return text[:-1] if text.endswith("\n") else text


def innermost_user_line(exc: BaseException, filename: str) -> int | None:
    """The line in `filename` where `exc` was raised (deepest frame in that file)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None
