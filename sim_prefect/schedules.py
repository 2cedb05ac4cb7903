"""Schedules for deployments (``prefect.schedules``): `Cron`, `Interval`, `RRule` and `Schedule`.

``flow.serve(schedule=Cron("0 8 * * *", timezone="America/New_York"))``: a
`Schedule` says when a deployment runs (one of an interval, a cron string or an
rrule string), in which time zone, with which parameters (merged over the
deployment's for the runs it creates), whether it is active, and its slug.
`Cron`, `Interval` and `RRule` make one, their first argument positional-only,
as in Prefect. A deployment turns each into one of the schedules of
``prefect.client.schemas.schedules``, which compute the times
(client/schemas/schedules.py). Time zones: utilities/timezones.py.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from .client.schemas.schedules import session_now, validate_cron_string, validate_rrule_string


@dataclasses.dataclass(frozen=True)
class Schedule:
    """When a deployment runs: exactly one of `interval`, `cron` or `rrule`, and how."""

    interval: datetime.timedelta | None = None
    cron: str | None = None
    rrule: str | None = None
    timezone: str | None = None
    anchor_date: datetime.datetime = dataclasses.field(default_factory=session_now)
    day_or: bool = True
    active: bool = True
    parameters: dict[str, Any] = dataclasses.field(default_factory=dict)
    slug: str | None = None

    def __post_init__(self) -> None:
        defined = [name for name in ("interval", "cron", "rrule") if getattr(self, name) is not None]
        if len(defined) > 1:
            raise ValueError(f"Only one schedule type can be defined at a time. Found: {', '.join(defined)}")
        if self.cron is not None:
            validate_cron_string(self.cron)
        if self.rrule is not None:
            validate_rrule_string(self.rrule)


def Cron(  # noqa: N802 - Prefect's name
    cron: str,
    /,
    timezone: str | None = None,
    day_or: bool = True,
    active: bool = True,
    parameters: dict[str, Any] | None = None,
    slug: str | None = None,
) -> Schedule:
    """A cron schedule, e.g. ``Cron("0 8 * * 1", timezone="America/New_York")`` (Mondays at 8 AM)."""
    return Schedule(cron=cron, timezone=timezone, day_or=day_or, active=active, parameters=parameters or {}, slug=slug)


def Interval(  # noqa: N802 - Prefect's name
    interval: datetime.timedelta | float | int,
    /,
    anchor_date: datetime.datetime | None = None,
    timezone: str | None = None,
    active: bool = True,
    parameters: dict[str, Any] | None = None,
    slug: str | None = None,
) -> Schedule:
    """An interval schedule; a number is seconds. Runs fall on ``anchor_date + k * interval``."""
    if isinstance(interval, (float, int)):
        interval = datetime.timedelta(seconds=interval)
    return Schedule(
        interval=interval, anchor_date=anchor_date or session_now(), timezone=timezone, active=active,
        parameters=parameters or {}, slug=slug,
    )  # fmt: skip


def RRule(  # noqa: N802 - Prefect's name
    rrule: str,
    /,
    timezone: str | None = None,
    active: bool = True,
    parameters: dict[str, Any] | None = None,
    slug: str | None = None,
) -> Schedule:
    """An RRule schedule, e.g. ``RRule("RRULE:FREQ=MONTHLY;BYDAY=2FR")`` (every second Friday)."""
    return Schedule(rrule=rrule, timezone=timezone, active=active, parameters=parameters or {}, slug=slug)


Schedule.__module__ = Cron.__module__ = Interval.__module__ = RRule.__module__ = "prefect.schedules"

__all__ = ["Cron", "Interval", "RRule", "Schedule"]
