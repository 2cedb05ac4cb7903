"""Recurrence rules (RFC 5545 RRULEs): when an ``rrule=`` schedule fires.

Prefect reads them with dateutil's ``rrulestr``; this is our own reader for the
part of the standard Prefect's documentation uses:

- ``FREQ`` (``YEARLY``, ``MONTHLY``, ``WEEKLY``, ``DAILY``, ``HOURLY``,
  ``MINUTELY``, ``SECONDLY``), ``INTERVAL``, ``COUNT``, ``UNTIL``;
- ``BYMONTH``, ``BYMONTHDAY`` (negative days count from the month's end),
  ``BYDAY`` (``MO``-``SU``; in a monthly or yearly rule with an ordinal,
  ``2FR``, ``-1SU``), ``BYHOUR``, ``BYMINUTE``, ``BYSECOND``;
- a ``DTSTART:YYYYMMDDTHHMMSS`` line (Prefect adds ``DTSTART:20200101T000000``
  when there is none: the rule's times of day, and its count, start there), and
  the optional ``RRULE:`` prefix.

Everything else the standard has (``BYSETPOS``, ``BYYEARDAY``, ``BYWEEKNO``,
``WKST`` other than Monday, ``EXDATE``, ``RDATE``, ``EXRULE``, several rules, a
``TZID`` on ``DTSTART``) fails loudly, naming it; what dateutil refuses raises
dateutil's message. Times are wall-clock times (naive), in the schedule's time zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..exceptions import not_imitated

FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Python's weekday() order
_NOT_IMITATED = {
    "BYSETPOS": "BYSETPOS", "BYYEARDAY": "BYYEARDAY", "BYWEEKNO": "BYWEEKNO", "BYEASTER": "BYEASTER",
    "WKST": "WKST (a week that does not start on Monday)",
}  # fmt: skip
_KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYWEEKDAY", "BYHOUR", "BYMINUTE",
          "BYSECOND", *_NOT_IMITATED}  # fmt: skip
# Prefect's anchor for a rule without DTSTART (prefect._internal.schemas.validators).
DEFAULT_DTSTART = dt.datetime(2020, 1, 1)
# Periods looked at without finding an occurrence before the rule is taken to have none left.
_MAX_EMPTY_PERIODS = 20_000


class RRuleError(ValueError):
    """A string dateutil would refuse: the message is dateutil's."""


@dataclass(frozen=True)
class RecurrenceRule:
    """One parsed rule. Occurrences are naive wall-clock times."""

    freq: str
    dtstart: dt.datetime
    interval: int = 1
    count: int | None = None
    until: dt.datetime | None = None
    months: tuple[int, ...] = ()
    monthdays: tuple[int, ...] = ()
    weekdays: tuple[tuple[int, int | None], ...] = ()  # (weekday, ordinal or None), Monday = 0
    hours: tuple[int, ...] = ()
    minutes: tuple[int, ...] = ()
    seconds: tuple[int, ...] = ()
    has_dtstart: bool = field(default=False, compare=False)

    # -- the candidate times of one period (dateutil's model) ------------------------------
    def _defaults(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, int | None], ...]]:
        """BYMONTH, BYMONTHDAY and BYDAY, with DTSTART's standing in as dateutil's do when none is given."""
        months, monthdays, weekdays = self.months, self.monthdays, self.weekdays
        if not monthdays and not weekdays:
            start = self.dtstart
            if self.freq == "YEARLY":
                months = months or (start.month,)
                monthdays = (start.day,)
            elif self.freq == "MONTHLY":
                monthdays = (start.day,)
            elif self.freq == "WEEKLY":
                weekdays = ((start.weekday(), None),)
        return months, monthdays, weekdays

    def _day_ok(self, day: dt.date) -> bool:
        months, monthdays, weekdays = self._defaults()
        if months and day.month not in months:
            return False
        if monthdays:
            length = calendar.monthrange(day.year, day.month)[1]
            if not any(day.day == (d if d > 0 else length + 1 + d) for d in monthdays):
                return False
        if weekdays:
            ordinal = self.freq in ("YEARLY", "MONTHLY")
            if not any(day.weekday() == w and (n is None or not ordinal or self._nth(day, n)) for w, n in weekdays):
                return False
        return True

    def _nth(self, day: dt.date, n: int) -> bool:
        """Is `day` the `n`-th of its weekday (from the end if negative) in its month, or year?"""
        in_month = self.freq == "MONTHLY" or bool(self.months)
        if in_month:
            first, last = day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
        else:
            first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        if n > 0:
            return (day - first).days // 7 + 1 == n
        return (last - day).days // 7 + 1 == -n

    def _times(self, day: dt.date, period: dt.datetime | None = None) -> list[dt.datetime]:
        """The times of `day` the rule allows; within a sub-daily period, only that period's."""
        start = self.dtstart
        hours = sorted(set(self.hours or (start.hour,)))
        minutes = sorted(set(self.minutes or (start.minute,)))
        seconds = sorted(set(self.seconds or (start.second,)))
        if period is not None:
            if self.hours and period.hour not in self.hours:
                return []
            hours = [period.hour]
            if self.freq in ("MINUTELY", "SECONDLY"):
                if self.minutes and period.minute not in self.minutes:
                    return []
                minutes = [period.minute]
            if self.freq == "SECONDLY":
                if self.seconds and period.second not in self.seconds:
                    return []
                seconds = [period.second]
        return [dt.datetime(day.year, day.month, day.day, h, m, s) for h in hours for m in minutes for s in seconds]

    def times_reachable(self) -> bool:
        """Can a sub-daily rule's periods ever land on its BYHOUR/BYMINUTE/BYSECOND? (dateutil refuses it if not.)"""
        if self.freq not in ("HOURLY", "MINUTELY", "SECONDLY"):
            return True
        unit = self._UNIT[self.freq]
        step = unit * self.interval
        first = self.dtstart.hour * 3600 + self.dtstart.minute * 60 + self.dtstart.second
        first -= first % unit
        seen: set[int] = set()
        moment = first
        while moment not in seen:
            seen.add(moment)
            hour, rest = divmod(moment, 3600)
            minute, second = divmod(rest, 60)
            if ((not self.hours or hour in self.hours)
                    and (self.freq == "HOURLY" or not self.minutes or minute in self.minutes)
                    and (self.freq != "SECONDLY" or not self.seconds or second in self.seconds)):  # fmt: skip
                return True
            moment = (moment + step) % 86400
        return False

    _UNIT = {"WEEKLY": 7 * 86400, "DAILY": 86400, "HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}

    def _period_start(self, index: int) -> dt.datetime:
        start = self.dtstart.replace(microsecond=0)
        step = index * self.interval
        if self.freq in ("YEARLY", "MONTHLY"):
            months = start.year * 12 + start.month - 1 + (step * 12 if self.freq == "YEARLY" else step)
            year, month = divmod(months, 12)
            return dt.datetime(year, month + 1 if self.freq == "MONTHLY" else 1, 1)
        if self.freq == "WEEKLY":
            monday = start - dt.timedelta(days=start.weekday())
            return monday.replace(hour=0, minute=0, second=0) + dt.timedelta(weeks=step)
        truncate = {"DAILY": dict(hour=0, minute=0, second=0), "HOURLY": dict(minute=0, second=0),
                    "MINUTELY": dict(second=0), "SECONDLY": {}}[self.freq]  # fmt: skip
        return start.replace(**truncate) + dt.timedelta(seconds=self._UNIT[self.freq] * step)  # type: ignore[arg-type]

    def _period(self, index: int) -> list[dt.datetime]:
        """Every candidate of the `index`-th period after DTSTART's (each `interval` units long)."""
        begin = self._period_start(index)
        if self.freq == "YEARLY":
            days = [begin.date() + dt.timedelta(days=i) for i in range(366 if calendar.isleap(begin.year) else 365)]
        elif self.freq == "MONTHLY":
            days = [begin.date().replace(day=d) for d in range(1, calendar.monthrange(begin.year, begin.month)[1] + 1)]
        elif self.freq == "WEEKLY":
            days = [begin.date() + dt.timedelta(days=i) for i in range(7)]
        else:
            days = [begin.date()]
        sub_daily = self.freq in ("HOURLY", "MINUTELY", "SECONDLY")
        return [t for d in days if self._day_ok(d) for t in self._times(d, begin if sub_daily else None)]

    def _next_index_on_a_later_day(self, index: int) -> int:
        """For a sub-daily rule whose period falls on a day the rule skips: the first period of the next day."""
        begin = self._period_start(index)
        midnight = dt.datetime.combine(begin.date() + dt.timedelta(days=1), dt.time())
        period = self._UNIT[self.freq] * self.interval
        return index + max(1, math.ceil((midnight - begin).total_seconds() / period))

    def _first_period_at_or_before(self, moment: dt.datetime) -> int:
        """A period index whose period starts no later than `moment` (0 if `moment` is before DTSTART)."""
        if moment <= self.dtstart:
            return 0
        start = self.dtstart
        if self.freq in ("YEARLY", "MONTHLY"):
            months = (moment.year - start.year) * 12 + moment.month - start.month
            units = months // 12 if self.freq == "YEARLY" else months
        else:
            units = int((moment - start).total_seconds() // self._UNIT[self.freq])
        return max(0, units // self.interval - 1)

    def occurrences(self, after: dt.datetime | None = None) -> Iterator[dt.datetime]:
        """Occurrences in order, at or after `after` (every one from DTSTART without it)."""
        # With COUNT, occurrences are counted from DTSTART, so they must all be walked.
        index = 0 if self.count is not None or after is None else self._first_period_at_or_before(after)
        produced = 0
        empty = 0
        sub_daily = self.freq in ("HOURLY", "MINUTELY", "SECONDLY")
        while True:
            if self.until is not None and self._period_start(index) > self.until:
                return
            found = sorted(t for t in self._period(index) if t >= self.dtstart)
            empty = 0 if found else empty + 1
            if empty > _MAX_EMPTY_PERIODS:
                return
            for at in found:
                if self.until is not None and at > self.until:
                    return
                produced += 1
                if self.count is not None and produced > self.count:
                    return
                if after is None or at >= after:
                    yield at
            if not found and sub_daily and not self._day_ok(self._period_start(index).date()):
                index = self._next_index_on_a_later_day(index)
            else:
                index += 1


# -- reading the string ------------------------------------------------------------------


def _ints(name: str, value: str, low: int, high: int, what: str, allow_negative: bool = False) -> tuple[int, ...]:
    out = []
    for item in value.split(","):
        try:
            n = int(item)
        except ValueError:
            raise RRuleError(f"invalid {name!r}: {value}") from None
        if allow_negative and -high <= n <= -1:
            out.append(n)
        elif low <= n <= high:
            out.append(n)
        else:
            raise RRuleError(f"{what} must be in {low}..{high}")
    return tuple(out)


def _datetime(text: str, name: str) -> dt.datetime:
    value = text.rstrip("Z")
    for fmt in ("%Y%m%dT%H%M%S", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise RRuleError(f"invalid {name!r}: {text}")


def _weekdays(value: str) -> tuple[tuple[int, int | None], ...]:
    out: list[tuple[int, int | None]] = []
    for item in value.split(","):
        code, ordinal = item[-2:], item[:-2]
        if code not in _WEEKDAYS or (ordinal and not ordinal.lstrip("+-").isdigit()):
            raise RRuleError(f"invalid 'BYDAY': {value}")
        out.append((_WEEKDAYS.index(code), int(ordinal) if ordinal else None))
    return tuple(out)


def parse(text: str, dtstart: dt.datetime = DEFAULT_DTSTART) -> RecurrenceRule:
    """The rule in `text` (dateutil's ``rrulestr``, for the part imitated here)."""
    source = text
    text = text.upper().strip()
    if not text:
        raise RRuleError("empty string")
    rules: list[str] = []
    start: dt.datetime | None = None
    for line in (part.strip() for part in text.splitlines() if part.strip()):
        name, colon, value = line.partition(":")
        if not colon:
            rules.append(line)
        elif name == "RRULE":
            rules.append(value)
        elif name == "DTSTART":
            start = _datetime(value, "DTSTART")
        elif name.startswith("DTSTART;"):
            raise not_imitated("an RRULE's DTSTART with a time zone (TZID)", f"rrule={source!r}")
        elif name in ("EXDATE", "RDATE", "EXRULE"):
            raise not_imitated(f"RRULE sets ({name})", f"rrule={source!r}")
        else:
            raise RRuleError(f"unsupported property: {name}")
    if len(rules) != 1:
        if not rules:
            raise RRuleError("empty string")
        raise not_imitated("RRULE sets (several RRULEs)", f"rrule={source!r}")
    parts: dict[str, str] = {}
    for item in rules[0].split(";"):
        if not item:
            continue
        name, _, value = item.partition("=")
        if name not in _KNOWN:
            raise RRuleError(f"unknown parameter {name!r}")
        if name in _NOT_IMITATED and not (name == "WKST" and value == "MO"):
            raise not_imitated(f"the RRULE part {_NOT_IMITATED[name]}", f"rrule={source!r}")
        parts["BYDAY" if name == "BYWEEKDAY" else name] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise TypeError("rrule.__init__() missing 1 required positional argument: 'freq'")
    if freq not in FREQUENCIES:
        raise RRuleError(f"invalid 'FREQ': {freq}")
    interval = _ints("INTERVAL", parts["INTERVAL"], 1, 10**9, "interval")[0] if "INTERVAL" in parts else 1
    rule = RecurrenceRule(
        freq=freq,
        dtstart=start or dtstart,
        interval=interval,
        count=_ints("COUNT", parts["COUNT"], 0, 10**9, "count")[0] if "COUNT" in parts else None,
        until=_datetime(parts["UNTIL"], "UNTIL") if "UNTIL" in parts else None,
        months=_ints("BYMONTH", parts["BYMONTH"], 1, 12, "month") if "BYMONTH" in parts else (),
        monthdays=_ints("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, "day", True) if "BYMONTHDAY" in parts else (),
        weekdays=_weekdays(parts["BYDAY"]) if "BYDAY" in parts else (),
        hours=_ints("BYHOUR", parts["BYHOUR"], 0, 23, "hour") if "BYHOUR" in parts else (),
        minutes=_ints("BYMINUTE", parts["BYMINUTE"], 0, 59, "minute") if "BYMINUTE" in parts else (),
        seconds=_ints("BYSECOND", parts["BYSECOND"], 0, 59, "second") if "BYSECOND" in parts else (),
        has_dtstart=start is not None,
    )
    if not rule.times_reachable():
        raise RRuleError("Invalid rrule byxxx generates an empty set.")
    return rule


__all__ = ["DEFAULT_DTSTART", "FREQUENCIES", "RRuleError", "RecurrenceRule", "parse"]
