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

__all__ = ["DateTime"]
