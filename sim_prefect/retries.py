"""Retry delays: a number, a list whose last value repeats, backoff, and jitter.

Copied in behaviour from Prefect 3 (`TaskRunEngine.handle_retry`,
`prefect.tasks.exponential_backoff`, `prefect.utilities.math`), except that the
jitter draws from the session's seeded `random.Random`, so deterministic runs
stay deterministic.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any


def exponential_backoff(backoff_factor: float) -> Callable[[int], list[float]]:
    """Delays of ``backoff_factor * 2**n`` for each retry (Prefect's helper)."""

    def retry_backoff_callable(retries: int) -> list[float]:
        # Prefect caps the list at 50 entries.
        retries = min(retries, 50)
        return [backoff_factor * max(0, 2**r) for r in range(retries)]

    return retry_backoff_callable


def _exponential_cdf(x: float, average_interval: float) -> float:
    return 1 - math.exp(-x / average_interval)


def _lower_clamp_multiple(k: float) -> float:
    if k >= 50:
        return 0.0
    return math.log(max(2**k / (2**k - 1), 1e-10), 2)


def clamped_poisson_interval(
    average_interval: float, clamping_factor: float, rng: random.Random
) -> float:
    """A jittered delay around `average_interval`, at most ``(1 + factor)`` times it."""
    if clamping_factor <= 0:
        raise ValueError("`clamping_factor` must be >= 0.")
    if average_interval <= 0:
        return 0.0
    upper_bound = average_interval * (1 + clamping_factor)
    lower_bound = max(0, average_interval * _lower_clamp_multiple(1 + clamping_factor))
    upper_rv = _exponential_cdf(upper_bound, average_interval)
    lower_rv = _exponential_cdf(lower_bound, average_interval)
    return -math.log(max(1 - rng.uniform(lower_rv, upper_rv), 1e-10)) * average_interval


def retry_delay(task: Any, retries_so_far: int, rng: random.Random) -> float:
    """The delay before retry number ``retries_so_far + 1``."""
    configured = task.retry_delay_seconds
    delay: float
    if isinstance(configured, Sequence):
        delay = configured[min(retries_so_far, len(configured) - 1)]
    else:
        delay = configured
    if task.retry_jitter_factor and delay > 0:
        delay = clamped_poisson_interval(delay, task.retry_jitter_factor, rng)
    return delay
