"""Exceptions with Prefect's names and Prefect's module paths.

Each class reports the module real Prefect defines it in (``prefect.exceptions``,
...), so a traceback that ends in one prints the same qualified name as under
Prefect (listed in PORT.yaml). The timeout errors live beside their engines, as
in Prefect: task_engine.py and flow_engine.py.
"""

from __future__ import annotations

import asyncio

from . import _msgs


class PrefectException(Exception):
    """Base class of every Prefect error."""


class MissingContextError(PrefectException, RuntimeError):
    """A run context is needed and there is none (e.g. `get_run_logger()` outside a run)."""


class FailedRun(PrefectException):
    """Raised by `State.result()` for a failed run that holds no exception."""


class CancelledRun(PrefectException):
    """Raised when the result of a cancelled run is requested."""


class CrashedRun(PrefectException):
    """Raised when the result of a crashed run is requested."""


class PausedRun(PrefectException):
    """Raised when the result of a paused run is requested."""


class UnfinishedRun(PrefectException):
    """The result of a run that has not finished was requested."""


class MissingResult(PrefectException):
    """A finished run has no result to give."""


class UpstreamTaskError(PrefectException):
    """A task's upstream run did not complete, so the task cannot start."""


class ParameterBindError(TypeError, PrefectException):
    """The call's arguments do not fit the function's signature."""


class ParameterTypeError(PrefectException):
    """A flow's parameters do not pass validation against its annotations."""


class HashError(PrefectException):
    """Values that cannot be hashed into a cache key."""


class SerializationError(PrefectException):
    """A result that cannot be serialized for storage."""


class ConfigurationError(PrefectException):
    """An option that cannot work as configured."""


class MappingMissingIterable(PrefectException):
    """`Task.map` got no iterable argument."""


class MappingLengthMismatch(PrefectException):
    """`Task.map` got iterables of different lengths."""


class NotImitatedError(NotImplementedError):
    """A Prefect feature that sim_prefect does not imitate (see PORT.yaml): it fails loudly, never silently."""


def not_imitated(feature: str, detail: str) -> NotImitatedError:
    """The error for a feature sim_prefect leaves out, naming it."""
    return NotImitatedError(_msgs.NOT_IMITATED.format(feature=feature, detail=detail))


class CancelledError(asyncio.CancelledError):
    """What a timeout raises inside the interrupted code, before it becomes a *RunTimeoutError.

    A subclass of ``asyncio.CancelledError`` (itself a BaseException), as Prefect's is.
    """


_PREFECT_MODULES = {
    "prefect.exceptions": (
        PrefectException, MissingContextError, FailedRun, CancelledRun, CrashedRun, PausedRun,
        UnfinishedRun, MissingResult, UpstreamTaskError, ParameterBindError, ParameterTypeError,
        MappingMissingIterable, MappingLengthMismatch, HashError, SerializationError, ConfigurationError,
    ),
    "prefect._internal.concurrency.cancellation": (CancelledError,),
}  # fmt: skip
for _module, _classes in _PREFECT_MODULES.items():
    for _cls in _classes:
        _cls.__module__ = _module

__all__ = [
    "CancelledError",
    "ConfigurationError",
    "HashError",
    "SerializationError",
    "CancelledRun",
    "CrashedRun",
    "FailedRun",
    "MappingLengthMismatch",
    "MappingMissingIterable",
    "MissingContextError",
    "MissingResult",
    "ParameterBindError",
    "ParameterTypeError",
    "PausedRun",
    "PrefectException",
    "UnfinishedRun",
    "UpstreamTaskError",
]
