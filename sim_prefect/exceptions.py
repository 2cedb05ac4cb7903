"""Exceptions with Prefect's names (``prefect.exceptions``)."""

from __future__ import annotations


class PrefectException(Exception):
    """Base class of every sim_prefect error, as in Prefect."""


class MissingContextError(PrefectException, RuntimeError):
    """Raised when a run context is needed and there is none (e.g. `get_run_logger()`)."""


class FailedRun(PrefectException):
    """Raised by `State.result()` for a failed run that holds no exception."""


class CancelledRun(PrefectException):
    """Raised when the result of a cancelled run is requested."""


class CrashedRun(PrefectException):
    """Raised when the result of a crashed run is requested."""


class ParameterBindError(TypeError, PrefectException):
    """The call's arguments do not fit the function's signature."""


class TaskRunTimeoutError(TimeoutError):
    """A task ran past its `timeout_seconds` (``prefect.task_engine.TaskRunTimeoutError``)."""


class FlowRunTimeoutError(TimeoutError):
    """A flow ran past its `timeout_seconds` (``prefect.flow_engine.FlowRunTimeoutError``)."""


class UpstreamTaskError(PrefectException):
    """A task's upstream future did not complete, so the task cannot start."""


class UnfinishedRun(PrefectException):
    """The result of a run that has not finished was requested."""
