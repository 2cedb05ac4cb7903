"""Time zones for schedules: a schedule's wall-clock times, and the instants they are.

Prefect accepts any IANA time zone name (``America/New_York``) and computes
schedules in it, daylight saving time included. The IANA database comes with
the operating system (or the ``tzdata`` package); Python's ``zoneinfo`` reads
it. So here:

- ``UTC`` (and ``Etc/UTC``, ``GMT``, ``Etc/GMT+5`` and the other fixed
  ``Etc/GMT±N`` zones) always work: they need no database;
- any other name works where Python has the database (CPython at home, on most
  systems), and fails loudly where it has none (the page's Python, Pyodide):
  rather than run a schedule at the wrong hour, the feature is named and the
  learner is told it works at home;
- a name the database does not know raises Prefect's ``Invalid timezone`` error.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..exceptions import not_imitated

UTC = dt.timezone.utc
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
              "Etc/Greenwich", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "Greenwich", "GMT0"}  # fmt: skip
_FIXED = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")
INVALID_TIMEZONE = 'Invalid timezone: "{name}" (specify in IANA tzdata format, for example, America/New_York)'


def _database_present() -> bool:
    import zoneinfo  # the standard library's, when a schedule first needs a zone

    try:
        return bool(zoneinfo.available_timezones())
    except Exception:  # noqa: BLE001 - no database readable: the same as none
        return False


@lru_cache(maxsize=None)
def zone(name: str | None) -> dt.tzinfo:
    """The tzinfo for a schedule's `name` (None: UTC); see the module docstring for what is refused."""
    if name is None or name in _UTC_NAMES:
        return UTC
    fixed = _FIXED.match(name)
    if fixed and int(fixed.group(2)) <= 14:
        # POSIX-style: Etc/GMT+5 is five hours *behind* UTC.
        hours = int(fixed.group(2)) * (-1 if fixed.group(1) == "+" else 1)
        return dt.timezone(dt.timedelta(hours=hours), name)
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if _database_present():
            raise ValueError(INVALID_TIMEZONE.format(name=name)) from None
        raise not_imitated(
            "schedules in a time zone other than UTC",
            f"timezone={name!r}: this Python has no time zone database; run it at home, where "
            "Python reads the operating system's, or use UTC",
        ) from None


def name_of(tz: dt.tzinfo | None) -> str:
    """The IANA name of a datetime's zone, as Prefect infers a schedule's time zone; UTC for an offset."""
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return "UTC"


def to_instant(wall: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A naive wall-clock time in `tz` as an aware UTC instant (a time skipped by DST moves forward)."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def to_wall(instant: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """An instant (aware; naive means UTC) as a naive wall-clock time in `tz`."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz).replace(tzinfo=None)


__all__ = ["INVALID_TIMEZONE", "UTC", "name_of", "to_instant", "to_wall", "zone"]
