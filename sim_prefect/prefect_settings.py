"""The ``PREFECT_*`` environment settings sim_prefect honours.

Prefect reads its settings once and keeps them; so does sim_prefect, for each
session: `configure()` calls `reload()`, and the flags are read on first use.

Logging and colours are read by session.py; these decide caching and results:

``PREFECT_RESULTS_PERSIST_BY_DEFAULT`` / ``PREFECT_TASKS_DEFAULT_PERSIST_RESULT``
    persist the results of tasks that do not say (off by default);
``PREFECT_TASKS_REFRESH_CACHE``
    run cached tasks again and overwrite their records;
``PREFECT_TASKS_DISABLE_CACHING`` / ``PREFECT_TASKS_DEFAULT_NO_CACHE``
    no caching at all / none for tasks without a cache policy;
``PREFECT_RESULTS_LOCAL_STORAGE_PATH`` (or ``PREFECT_LOCAL_STORAGE_PATH``)
    the folder of result records;
``PREFECT_INTERNAL_LOGGING_LEVEL``
    what Prefect's internal loggers print (ERROR and above by default);
``PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS``
    the ``max_workers`` of a ``ThreadPoolTaskRunner()`` that names none (no limit by default).
"""

from __future__ import annotations

import os

# The Prefect release sim_prefect imitates and the conformance suite checks against (one place:
# the package, PORT.yaml and the test extra's pin are held equal to it by tests/test_packaging.py).
PREFECT_VERSION = "3.9.1"

_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


_read: dict[str, bool | None] = {}


def reload() -> None:
    """Read the settings again when next asked (a new session)."""
    _read.clear()
    _numbers.clear()


def flag(name: str) -> bool | None:
    """A boolean setting: True, False, or None when it is not set."""
    if name not in _read:
        _read[name] = _parse(name)
    return _read[name]


def _parse(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false; got {value!r}")


def internal_logging_level() -> int:
    """``PREFECT_INTERNAL_LOGGING_LEVEL`` (ERROR by default): what Prefect's internal loggers print."""
    name = os.environ.get("PREFECT_INTERNAL_LOGGING_LEVEL", "ERROR").strip().upper()
    return {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}.get(name, 40)


def persist_by_default() -> bool:
    return bool(flag("PREFECT_RESULTS_PERSIST_BY_DEFAULT"))


def task_default_persist_result() -> bool | None:
    return flag("PREFECT_TASKS_DEFAULT_PERSIST_RESULT")


def refresh_cache() -> bool:
    return bool(flag("PREFECT_TASKS_REFRESH_CACHE"))


def disable_caching() -> bool:
    return bool(flag("PREFECT_TASKS_DISABLE_CACHING"))


def default_no_cache() -> bool:
    return bool(flag("PREFECT_TASKS_DEFAULT_NO_CACHE"))


def local_storage_path() -> str | None:
    return os.environ.get("PREFECT_RESULTS_LOCAL_STORAGE_PATH") or os.environ.get("PREFECT_LOCAL_STORAGE_PATH") or None


def thread_pool_max_workers() -> int | None:
    """``PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS``: a whole number, or None when it is not set."""
    return number("PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS")


_numbers: dict[str, int | None] = {}


def number(name: str) -> int | None:
    """A whole-number setting, read on first use in the session; None when it is not set."""
    if name not in _numbers:
        value = os.environ.get(name, "").strip()
        try:
            _numbers[name] = int(value) if value else None
        except ValueError:
            raise ValueError(f"{name} must be a whole number; got {value!r}") from None
    return _numbers[name]
