"""What a deployment's schedule is (``prefect.client.schemas.schedules``): interval, cron or rrule.

`IntervalSchedule`, `CronSchedule` and `RRuleSchedule` hold what Prefect's do,
with the same defaults and checks, and each can list the times it fires at
(`get_dates`), as Prefect's server does when its scheduler creates a
deployment's runs:

- an interval fires at ``anchor_date + k * interval`` for every whole ``k``
  (the anchor sets the phase; it may be in the future). A naive anchor is UTC,
  as in Prefect. Intervals of whole days keep the wall-clock hour in the
  schedule's time zone across daylight saving changes; shorter ones step in UTC.
- a cron expression and an rrule fire at wall-clock times in their time zone
  (utilities/cron.py, utilities/rrule.py; time zones: utilities/timezones.py).

They are plain dataclasses, not pydantic models; `to_dict` / `from_dict` give
the JSON the store keeps (Prefect's API shape: an interval in seconds, dates in
ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Union

from ...session import session
from ...utilities import cron as _cron
from ...utilities import rrule as _rrule
from ...utilities.timezones import UTC, name_of, to_instant, to_wall, zone

MAX_ITERATIONS = 1000
MAX_RRULE_LENGTH = 6500


def session_now() -> dt.datetime:
    """Now, on the session's clock (a schedule made in a deterministic Run is anchored in its virtual time)."""
    return dt.datetime.fromtimestamp(session().now(), UTC)


def _aware(value: dt.datetime | str) -> dt.datetime:
    """An anchor as Prefect keeps it: aware; a naive one is taken to be UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def validate_cron_string(text: str) -> str:
    try:
        _cron.parse(text)
    except _cron.CronError:
        raise ValueError(f'Invalid cron string: "{text}"') from None
    return text


def validate_rrule_string(text: str) -> str:
    try:
        _rrule.parse(text)
    except _rrule.RRuleError as exc:
        raise ValueError(f'Invalid RRule string "{text}": {exc}') from None
    if len(text) > MAX_RRULE_LENGTH:
        raise ValueError(f'Invalid RRule string "{text[:40]}..."\nMax length is {MAX_RRULE_LENGTH}, got {len(text)}')
    return text


def _bounds(n: int | None, start: dt.datetime | None, end: dt.datetime | None) -> tuple[int, dt.datetime, dt.datetime | None]:
    if n is None:
        n = MAX_ITERATIONS if end is not None else 1
    return n, _aware(start) if start is not None else session_now(), _aware(end) if end is not None else None


@dataclass
class IntervalSchedule:
    """Runs every `interval`, in step with `anchor_date`."""

    interval: dt.timedelta
    anchor_date: dt.datetime = field(default_factory=session_now)
    timezone: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.interval, (int, float)):
            self.interval = dt.timedelta(seconds=self.interval)
        if self.interval <= dt.timedelta(0):
            raise ValueError("1 validation error for IntervalSchedule\ninterval\n  Input should be greater than 0:00:00")
        self.anchor_date = _aware(self.anchor_date)
        if self.timezone is None:
            self.timezone = name_of(self.anchor_date.tzinfo)
        zone(self.timezone)  # refused now, as Prefect refuses it when the schedule is made

    def get_dates(self, n: int | None = None, start: dt.datetime | None = None,
                  end: dt.datetime | None = None) -> list[dt.datetime]:  # fmt: skip
        n, start, end = _bounds(n, start, end)
        tz = zone(self.timezone)
        step = self.interval
        calendar_days = step.days > 0 and step.seconds == 0 and step.microseconds == 0 and tz is not UTC
        if calendar_days:
            anchor_wall = to_wall(self.anchor_date, tz)
            k = math.floor((to_wall(start, tz) - anchor_wall) / step) - 1

            def at(i: int) -> dt.datetime:
                return to_instant(anchor_wall + i * step, tz)
        else:
            k = math.floor((start - self.anchor_date) / step) - 1

            def at(i: int) -> dt.datetime:
                return self.anchor_date + i * step

        dates: list[dt.datetime] = []
        while len(dates) < n:
            moment = at(k)
            k += 1
            if moment < start:
                continue
            if end is not None and moment > end:
                break
            dates.append(moment.astimezone(tz))
        return dates

    def to_dict(self) -> dict[str, Any]:
        return {"interval": self.interval.total_seconds(), "anchor_date": self.anchor_date.isoformat(),
                "timezone": self.timezone}  # fmt: skip


@dataclass
class CronSchedule:
    """Runs when a cron expression matches, in a time zone (None: UTC)."""

    cron: str
    timezone: str | None = None
    day_or: bool = True

    def __post_init__(self) -> None:
        validate_cron_string(self.cron)
        if self.timezone is not None:
            zone(self.timezone)

    def get_dates(self, n: int | None = None, start: dt.datetime | None = None,
                  end: dt.datetime | None = None) -> list[dt.datetime]:  # fmt: skip
        n, start, end = _bounds(n, start, end)
        tz = zone(self.timezone)
        expression = _cron.parse(self.cron)
        dates: list[dt.datetime] = []
        for count, wall in enumerate(expression.times_from(to_wall(start, tz), self.day_or)):
            moment = to_instant(wall, tz)
            if end is not None and moment > end or count > MAX_ITERATIONS + 2:
                break
            if moment >= start and moment not in dates:
                dates.append(moment.astimezone(tz))
            if len(dates) >= n:
                break
        return dates

    def to_dict(self) -> dict[str, Any]:
        return {"cron": self.cron, "timezone": self.timezone, "day_or": self.day_or}


@dataclass
class RRuleSchedule:
    """Runs on an RFC 5545 recurrence rule, in a time zone (UTC by default)."""

    rrule: str
    timezone: str | None = "UTC"

    def __post_init__(self) -> None:
        validate_rrule_string(self.rrule)
        if self.timezone is None:
            self.timezone = "UTC"
        zone(self.timezone)

    def get_dates(self, n: int | None = None, start: dt.datetime | None = None,
                  end: dt.datetime | None = None) -> list[dt.datetime]:  # fmt: skip
        n, start, end = _bounds(n, start, end)
        tz = zone(self.timezone)
        rule = _rrule.parse(self.rrule)
        dates: list[dt.datetime] = []
        for count, wall in enumerate(rule.occurrences(to_wall(start, tz))):
            moment = to_instant(wall, tz)
            if end is not None and moment > end:
                break
            if moment >= start and moment not in dates:
                dates.append(moment.astimezone(tz))
            if len(dates) >= n or count > MAX_ITERATIONS:
                break
        return dates

    def to_dict(self) -> dict[str, Any]:
        return {"rrule": self.rrule, "timezone": self.timezone}


SCHEDULE_TYPES = Union[IntervalSchedule, CronSchedule, RRuleSchedule]


def schedule_from_dict(data: dict[str, Any]) -> SCHEDULE_TYPES:
    """A schedule from its JSON form (`to_dict`)."""
    if "interval" in data:
        return IntervalSchedule(dt.timedelta(seconds=data["interval"]), _aware(data["anchor_date"]), data.get("timezone"))
    if "cron" in data:
        return CronSchedule(data["cron"], data.get("timezone"), data.get("day_or", True))
    return RRuleSchedule(data["rrule"], data.get("timezone"))


def normalize_rrule_string(text: str, timezone: str | None = None) -> str:
    """The rule with the DTSTART line Prefect adds when a deployment's schedule is made.

    Prefect anchors a rule without one at 2020-01-01 00:00 (wall-clock, in the
    schedule's zone); a MINUTELY or SECONDLY rule without COUNT gets the latest
    equivalent anchor instead (the same occurrences, fewer to walk).
    """
    if "DTSTART" in text.upper():
        return text
    try:
        rule = _rrule.parse(text)
    except (_rrule.RRuleError, TypeError):
        return text
    anchor = _rrule.DEFAULT_DTSTART
    if rule.count is None and rule.freq in ("MINUTELY", "SECONDLY"):
        period = (60 if rule.freq == "MINUTELY" else 1) * rule.interval
        now = to_wall(session_now(), zone(timezone))
        anchor += dt.timedelta(seconds=period * max(0, int((now - anchor).total_seconds() // period)))
    return f"DTSTART:{anchor.strftime('%Y%m%dT%H%M%S')}\n{text}"


def is_schedule_type(obj: Any) -> bool:
    return isinstance(obj, (IntervalSchedule, CronSchedule, RRuleSchedule))


def construct_schedule(
    interval: int | float | dt.timedelta | None = None,
    anchor_date: dt.datetime | str | None = None,
    cron: str | None = None,
    rrule: str | None = None,
    timezone: str | None = None,
) -> SCHEDULE_TYPES:
    """A schedule from ``interval=``, ``cron=`` or ``rrule=``, as ``flow.serve(...)`` makes one."""
    if sum(1 for entry in (interval, cron, rrule) if entry is not None) > 1:
        raise ValueError("Only one of interval, cron, or rrule can be provided.")
    if anchor_date and not interval:
        raise ValueError("An anchor date can only be provided with an interval schedule")
    if timezone and not (interval or cron or rrule):
        raise ValueError("A timezone can only be provided with interval, cron, or rrule")
    if interval:
        if isinstance(interval, (int, float)):
            interval = dt.timedelta(seconds=interval)
        return IntervalSchedule(interval, _aware(anchor_date) if anchor_date else session_now(), timezone)
    if cron:
        return CronSchedule(cron, timezone)
    if rrule:
        return RRuleSchedule(rrule, timezone)
    raise ValueError("Either interval, cron, or rrule must be provided")


for _cls in (IntervalSchedule, CronSchedule, RRuleSchedule):
    _cls.__module__ = "prefect.client.schemas.schedules"

__all__ = [
    "CronSchedule", "IntervalSchedule", "MAX_ITERATIONS", "RRuleSchedule", "SCHEDULE_TYPES", "construct_schedule",
    "is_schedule_type", "normalize_rrule_string", "schedule_from_dict", "validate_cron_string", "validate_rrule_string",
]  # fmt: skip
