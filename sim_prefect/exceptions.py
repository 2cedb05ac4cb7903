"""Exceptions with Prefect's names and Prefect's module paths.

Each class reports the module real Prefect defines it in (``prefect.exceptions``,
...), so a traceback that ends in one prints the same qualified name as under
Prefect (listed in PORT.yaml). The timeout errors live beside their engines, as
in Prefect: task_engine.py and flow_engine.py.
"""

from __future__ import annotations

import asyncio
import os

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


class ObjectNotFound(PrefectException):
    """The server has no such object (a 404). Its text is its help message: 'None' when there is none, as in Prefect."""

    def __init__(self, http_exc: BaseException | None = None, help_message: str | None = None) -> None:
        self.http_exc = http_exc
        self.help_message = help_message
        super().__init__(help_message)


class ObjectAlreadyExists(PrefectException):
    """The server has an object by that name already (a 409); its text is empty, as in Prefect."""

    def __init__(self, http_exc: BaseException | None = None) -> None:
        self.http_exc = http_exc
        super().__init__()


_REASONS = {404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity", 423: "Locked"}


class PrefectHTTPStatusError(PrefectException):
    """The server refused a request (Prefect's subclass of httpx's HTTPStatusError), with its status and detail."""

    def __init__(self, message: str, status_code: int = 0, detail: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.detail = detail

    @property
    def status(self) -> str:
        """``422 Unprocessable Entity``: the status line Prefect quotes."""
        return f"{self.status_code} {_REASONS.get(self.status_code, '')}".rstrip()

    @classmethod
    def of(cls, status_code: int, path: str, detail: str | None = None) -> PrefectHTTPStatusError:
        """The error for a refused request to `path` of the API (the session's server has no address of its own:
        the one PREFECT_API_URL names, else Prefect's default)."""
        url = os.environ.get("PREFECT_API_URL") or "http://127.0.0.1:4200/api"
        detail = detail if detail is not None else _REASONS.get(status_code, "")
        status = f"{status_code} {_REASONS.get(status_code, '')}".rstrip()
        message = _msgs.HTTP_STATUS_ERROR.format(status=status, url=url + path, body={"detail": detail}, code=status_code)
        return cls(message, status_code, detail)


class EventTooLarge(PrefectException):
    """An event larger than the server takes (``emit_event`` raises it; every other failure is logged)."""

    def __init__(self, size: int, maximum: int) -> None:
        super().__init__(f"Event is too large to emit ({size} > {maximum} bytes)")
        self.size = size
        self.maximum = maximum


EventTooLarge.__module__ = "prefect.exceptions"


class UnknownBlockType(PrefectException):
    """No block class of that type is defined in this process (``Block.load("slug/name")``)."""


class InvalidNameError(PrefectException, ValueError):
    """A name with a character Prefect does not allow in it (a deployment's, ``/``)."""


class SignatureMismatchError(PrefectException, TypeError):
    """Parameters that do not fit the flow's signature (a deployment run given one the flow does not take)."""

    @classmethod
    def from_bad_params(cls, expected_params: list[str], provided_params: list[str]) -> SignatureMismatchError:
        return cls(f"Function expects parameters {expected_params} but was provided with parameters {provided_params}")


class NotPausedError(PrefectException):
    """A resume for a run that is not paused."""


class FlowPauseTimeout(PrefectException):
    """A paused flow run was not resumed in time."""


class PrefectSignal(BaseException):
    """Prefect's signals: exceptions that no ``except Exception`` catches."""


class Abort(PrefectSignal):
    """The server answered a proposed state with ABORT (``Cannot suspend flows without a deployment.``)."""


class Pause(PrefectSignal):
    """A flow run suspended: its process leaves, and the run is scheduled again when resumed."""

    def __init__(self, *args: object, state: object = None) -> None:
        super().__init__(*args)
        self.state = state


class PrefectImportError(ImportError):
    """A name Prefect 3 moved or removed (``from prefect.deployments import Deployment``)."""


class TerminationSignal(BaseException):
    """The process was told to stop (SIGTERM)."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal


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
        ObjectNotFound, ObjectAlreadyExists, PrefectHTTPStatusError, UnknownBlockType, InvalidNameError,
        SignatureMismatchError, NotPausedError, FlowPauseTimeout, PrefectSignal, Abort, Pause, TerminationSignal,
        PrefectImportError,
    ),
    "prefect._internal.concurrency.cancellation": (CancelledError,),
}  # fmt: skip
for _module, _classes in _PREFECT_MODULES.items():
    for _cls in _classes:
        _cls.__module__ = _module

__all__ = [
    "Abort",
    "FlowPauseTimeout",
    "InvalidNameError",
    "NotPausedError",
    "Pause",
    "PrefectImportError",
    "PrefectSignal",
    "SignatureMismatchError",
    "TerminationSignal",
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
    "ObjectAlreadyExists",
    "ObjectNotFound",
    "ParameterBindError",
    "ParameterTypeError",
    "PausedRun",
    "PrefectException",
    "PrefectHTTPStatusError",
    "UnfinishedRun",
    "UnknownBlockType",
    "UpstreamTaskError",
]
