"""Prefect's ``DateTime`` (``prefect.types._datetime``): a ``datetime`` that prints as pendulum's.

Every time Prefect's API hands back (a run's ``start_time``, a log's
``timestamp``, an event's ``occurred``) is a pendulum ``DateTime``: a
``datetime`` in all but its repr, ``DateTime(2026, 1, 1, 9, 0, 0, 1000,
tzinfo=Timezone('UTC'))``. This is that, and nothing more: arithmetic and
``str()`` are the standard library's, as pendulum's are.
"""

from __future__ import annotations

import datetime

UTC = datetime.timezone.utc


class DateTime(datetime.datetime):
    """A ``datetime`` with pendulum's repr (and arithmetic that keeps the class, as ``datetime``'s does)."""

    def __repr__(self) -> str:
        us = f", {self.microsecond}" if self.microsecond else ""
        tz = ""
        if self.tzinfo is not None:
            tz = ", tzinfo=Timezone('UTC')" if self.utcoffset() == datetime.timedelta(0) else f", tzinfo={self.tzinfo!r}"
        return f"DateTime({self.year}, {self.month}, {self.day}, {self.hour}, {self.minute}, {self.second}{us}{tz})"

    @classmethod
    def at(cls, timestamp: float) -> DateTime:
        """The moment `timestamp` (seconds since the epoch), in UTC."""
        return cls.fromtimestamp(timestamp, UTC)


DateTime.__module__ = "prefect.types._datetime"


# -- how long ago, in words (pendulum's diff_for_humans, which Prefect's human_friendly_diff uses) ---------------

_DAYS_IN_MONTH = ((31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _calendar_diff(start: datetime.datetime, end: datetime.datetime) -> tuple[int, int, int, int, int]:
    """Years, months, days, hours and minutes from `start` to a later `end`, counted on the calendar
    (pendulum's precise_diff: a month is a calendar month, whatever its length)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    days = 0
    seconds = (end.second - start.second) - (1 if end.microsecond < start.microsecond else 0)
    minutes = end.minute - start.minute - (1 if seconds < 0 else 0)
    hours = end.hour - start.hour - (1 if minutes < 0 else 0)
    minutes %= 60
    if hours < 0:
        hours += 24
        days -= 1
    years, months = end.year - start.year, end.month - start.month
    days += end.day - start.day
    if days < 0:
        year, month = (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)
        last_month = _DAYS_IN_MONTH[_leap(year)][month - 1]
        this_month = _DAYS_IN_MONTH[_leap(end.year)][end.month - 1]
        if days < this_month - last_month:
            days += start.day if last_month < start.day else last_month
        elif days == this_month - last_month:
            days, months = 0, months + 1
        else:
            days += last_month
        months -= 1
    if months < 0:
        months += 12
        years -= 1
    return years, months, days, hours, minutes


def human_friendly_diff(dt: datetime.datetime | None, other: datetime.datetime | None = None, *,
                        now: datetime.datetime | None = None) -> str:  # fmt: skip
    """How far `dt` is from `other` in words ("3 minutes before"), or from `now` when `other` is not given
    ("3 minutes ago", "in 2 hours", "a few seconds ago"): Prefect's human_friendly_diff, with pendulum's
    rules. ``now`` is the session's clock (sim_prefect never reads the real one)."""
    if dt is None:
        return ""
    against = other if other is not None else now
    if against is None:
        raise TypeError("human_friendly_diff() needs `other`, or the session's `now`")
    future = dt > against
    start, end = (against, dt) if future else (dt, against)
    years, months, days, hours, minutes = _calendar_diff(start, end)
    seconds = int((end - start).total_seconds()) % 60
    weeks, days = divmod(days, 7)
    if years > 0:
        unit, count = "year", years + (1 if months > 6 else 0)
    elif months == 11 and weeks * 7 + days > 15:
        unit, count = "year", 1
    elif months > 0:
        unit, count = "month", months + (1 if weeks * 7 + days >= 27 else 0)
    elif weeks > 0:
        unit, count = "week", weeks + (1 if days > 3 else 0)
    elif days > 0:
        unit, count = "day", days + (1 if hours >= 22 else 0)
    elif hours > 0:
        unit, count = "hour", hours
    elif minutes > 0:
        unit, count = "minute", minutes
    elif 10 < seconds < 60:
        unit, count = "second", seconds
    else:
        words = "a few seconds"
        if other is None:
            return f"in {words}" if future else f"{words} ago"
        return f"{words} after" if future else f"{words} before"
    words = f"{max(count, 1)} {unit}{'' if max(count, 1) == 1 else 's'}"
    if other is None:
        return f"in {words}" if future else f"{words} ago"
    return f"{words} after" if future else f"{words} before"


__all__ = ["DateTime", "human_friendly_diff"]
