"""Cron expressions: when a ``cron=`` schedule fires (Prefect vendors croniter for this; this is our own).

A standard five-field expression, ``minute hour day-of-month month day-of-week``:

- each field is ``*``, a value, a range ``a-b`` (``a-a`` is the whole field and a
  reversed range wraps around, as in croniter), a step ``*/n``, ``a-b/n`` or ``a/n`` (from ``a`` to the field's
  end), or a comma-separated list of these;
- months and weekdays may be named (``JAN``-``DEC``, ``SUN``-``SAT``, any case);
  weekday 7 is Sunday, as 0 is;
- ``L`` in the day of month is the month's last day; ``5#3`` in the day of week is
  its third Friday;
- ``@hourly``, ``@daily`` (``@midnight``), ``@weekly``, ``@monthly`` and
  ``@yearly`` (``@annually``) stand for their expressions;
- Prefect's ``day_or``: when both the day of month and the day of week are
  restricted, a day matches if either does
  (``day_or=True``, cron's rule) or only if both do (``day_or=False``). A day field
  is unrestricted when it allows every day, if the other day field has a ``*`` in
  it (croniter's rule: ``* * 1-31 * MON`` is Mondays, ``* * 1-31 * 1-5`` every day).

An expression croniter would refuse raises Prefect's ``Invalid cron string``;
``?`` in a day field means ``*``, as in croniter. croniter's sixth field (seconds)
fails loudly, naming the feature; what croniter itself refuses (``W``, ``5L``, random
and hashed values) is an invalid cron string here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..exceptions import not_imitated

_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_WEEKDAYS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
# (lowest, highest, names) per field, in order.
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = ((0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, _MONTHS), (0, 7, _WEEKDAYS))
_ALIASES = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}  # fmt: skip
# How far ahead to look for a matching day before giving up (a 29 February needs 8 years).
_MAX_DAYS = 366 * 30


class CronError(ValueError):
    """An expression that is not a valid cron string."""


@dataclass(frozen=True)
class CronExpression:
    """A parsed expression: the allowed values of each field."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    last_day: bool  # "L" in the day of month
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    nth_weekdays: frozenset[tuple[int, int]]  # (weekday, n) from "weekday#n"
    day_restricted: bool
    weekday_restricted: bool

    def day_matches(self, day: dt.date, day_or: bool) -> bool:
        if day.month not in self.months:
            return False
        by_day = day.day in self.days or (self.last_day and (day + dt.timedelta(days=1)).month != day.month)
        weekday = (day.weekday() + 1) % 7  # Python: Monday 0; cron: Sunday 0
        by_weekday = weekday in self.weekdays or (weekday, (day.day - 1) // 7 + 1) in self.nth_weekdays
        if self.day_restricted and self.weekday_restricted:
            return (by_day or by_weekday) if day_or else (by_day and by_weekday)
        return by_day and by_weekday

    def times_from(self, start: dt.datetime, day_or: bool = True) -> Iterator[dt.datetime]:
        """Wall-clock times that match, at or after `start` (naive, whole minutes), in order."""
        first = start.replace(second=0, microsecond=0)
        if first < start:
            first += dt.timedelta(minutes=1)
        day = first.date()
        for _ in range(_MAX_DAYS):
            if self.day_matches(day, day_or):
                for hour in self.hours:
                    for minute in self.minutes:
                        at = dt.datetime.combine(day, dt.time(hour, minute))
                        if at >= first:
                            yield at
            day += dt.timedelta(days=1)


def _value(text: str, field: int) -> int:
    low, high, names = _FIELDS[field]
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise CronError(text)
    value = int(text)
    if not low <= value <= high:
        raise CronError(text)
    return value


def _span(low: int, high: int, start: int, end: int, step: int) -> list[int]:
    """The values from `start` to `end` by `step`, as croniter expands them.

    ``a-a`` is the whole field (croniter's rule); a reversed range wraps around
    the field's end, its step carried over as croniter carries it.
    """
    if start == end:
        return list(range(low, high + 1, step))
    if start < end:
        return list(range(start, end + 1, step))
    values = list(range(start, high + 1, step))
    skip = 0
    if values:
        behind = high - values[-1]  # values left unused at the field's end
        if values[-1] - low + step > high - low + 1 and behind < step:
            skip = step - behind
    return values + list(range(low + skip, end + 1, step))


def _part(part: str, field: int) -> list[int]:
    low, high, _ = _FIELDS[field]
    if field == 4:
        high = 6  # weekday 7 is another name for Sunday (0)
    base, slash, step_text = part.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronError(part)
        step = int(step_text)
    if base == "*":
        return list(range(low, high + 1, step))
    if "-" in base:
        start, _, end = base.partition("-")
        return _span(low, high, _value(start, field) % 7 if field == 4 else _value(start, field),
                     _value(end, field) % 7 if field == 4 else _value(end, field), step)  # fmt: skip
    first = _value(base, field) % 7 if field == 4 else _value(base, field)
    return list(range(first, high + 1, step)) if slash else [first]


def _loud(feature: str, text: str) -> Exception:
    return not_imitated(f"cron {feature}", f"cron={text!r}")


def parse(text: str) -> CronExpression:
    """The expression in `text`; CronError if it is not one, NotImitatedError for croniter's rarer forms."""
    source = text
    text = _ALIASES.get(text.strip().lower(), text)
    fields = text.split()
    if len(fields) == 6:
        raise _loud("expressions with a seconds field", source)
    if len(fields) != 5:
        raise CronError(source)
    values: list[list[int]] = []
    last_day = False
    nth: set[tuple[int, int]] = set()
    try:
        for index, field in enumerate(fields):
            found: list[int] = []
            if index in (2, 4) and field == "?":  # croniter's "any", in the day fields
                field = fields[index] = "*"
            for part in field.split(","):
                if index == 2 and part.upper() == "L":
                    last_day = True
                elif index == 4 and "#" in part:
                    day, _, n = part.partition("#")
                    if not n.isdigit() or not 1 <= int(n) <= 5:
                        raise CronError(source)
                    nth.add((_value(day, 4) % 7, int(n)))
                else:
                    found += _part(part, index)
            values.append(found)
    except CronError:
        raise CronError(source) from None
    minutes, hours, days, months, weekdays = values
    return CronExpression(
        text=source,
        minutes=tuple(sorted(set(minutes))),
        hours=tuple(sorted(set(hours))),
        days=frozenset(days),
        last_day=last_day,
        months=frozenset(months),
        weekdays=frozenset(d % 7 for d in weekdays),
        nth_weekdays=frozenset(nth),
        # croniter's rule: a day field that allows every value counts as unrestricted only
        # if the other day field's text has a "*" in it.
        day_restricted=fields[2] != "*" and not (set(days) == set(range(1, 32)) and not last_day and "*" in fields[4]),
        weekday_restricted=fields[4] != "*"
        and not ({d % 7 for d in weekdays} == set(range(7)) and not nth and "*" in fields[2]),
    )


__all__ = ["CronError", "CronExpression", "parse"]
