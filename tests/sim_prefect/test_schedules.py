"""Schedules (prefect.schedules, prefect.client.schemas.schedules): construction, Prefect's errors, and the
times they fire at, held against real Prefect's engines (croniter, dateutil) where they are installed."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from sim_prefect.client.schemas.schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    construct_schedule,
    normalize_rrule_string,
)
from sim_prefect.exceptions import NotImitatedError
from sim_prefect.schedules import Cron, Interval, RRule, Schedule
from sim_prefect.utilities import cron, rrule
from sim_prefect.utilities.timezones import zone

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 1, 1, 9, 0, 0, 500000, tzinfo=UTC)


def test_the_schedule_classes_repr_and_check_as_prefects(sim) -> None:
    anchor = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert repr(Interval(90, anchor_date=anchor)) == (
        "Schedule(interval=datetime.timedelta(seconds=90), cron=None, rrule=None, timezone=None, "
        "anchor_date=datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), day_or=True, active=True, "
        "parameters={}, slug=None)"
    )
    assert Cron("0 8 * * *", timezone="UTC", slug="am", parameters={"x": 2}).parameters == {"x": 2}
    with pytest.raises(ValueError, match="Only one schedule type can be defined at a time. Found: interval, cron"):
        Schedule(cron="* * * * *", interval=dt.timedelta(1))
    with pytest.raises(ValueError, match=r'^Invalid cron string: "not a cron"$'):
        Cron("not a cron")
    with pytest.raises(ValueError, match="^Invalid RRule string \"FREQ=SOMETIMES\": invalid 'FREQ': SOMETIMES$"):
        RRule("FREQ=SOMETIMES")
    with pytest.raises(TypeError, match="positional-only arguments passed as keyword arguments: 'cron'"):
        Cron(cron="* * * * *")  # type: ignore[call-arg]


def test_the_anchor_defaults_to_now_on_the_sessions_clock(sim) -> None:
    import sim_prefect

    assert Interval(60).anchor_date.timestamp() == sim_prefect.session().now()


def test_interval_dates_follow_the_anchor_in_both_directions() -> None:
    future_anchor = IntervalSchedule(dt.timedelta(minutes=10), dt.datetime(2026, 1, 1, 12, 5, tzinfo=UTC))
    assert [d.strftime("%H:%M") for d in future_anchor.get_dates(n=3, start=NOW)] == ["09:05", "09:15", "09:25"]
    naive = IntervalSchedule(dt.timedelta(minutes=10), dt.datetime(2026, 1, 1), timezone="UTC")
    assert naive.anchor_date.tzinfo is UTC  # a naive anchor is UTC, as in Prefect


def test_cron_dates_start_at_or_after_start() -> None:
    every_minute = CronSchedule("* * * * *")
    assert [d.strftime("%H:%M") for d in every_minute.get_dates(n=2, start=NOW)] == ["09:01", "09:02"]
    on_the_minute = NOW.replace(microsecond=0)
    assert every_minute.get_dates(n=1, start=on_the_minute)[0] == on_the_minute
    assert CronSchedule("@daily").get_dates(n=1, start=NOW)[0] == dt.datetime(2026, 1, 2, tzinfo=UTC)


def test_rrule_dates_from_prefects_default_dtstart() -> None:
    hourly = RRuleSchedule("FREQ=HOURLY")
    assert [d.hour for d in hourly.get_dates(n=3, start=NOW)] == [10, 11, 12]
    weekdays = RRuleSchedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0")
    assert [d.day for d in weekdays.get_dates(n=3, start=NOW)] == [2, 5, 6]
    second_friday = RRuleSchedule("RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=2FR")
    assert [d.date() for d in second_friday.get_dates(n=2, start=NOW)] == [dt.date(2026, 1, 9), dt.date(2026, 2, 13)]
    # With COUNT, the occurrences count from 2020-01-01: all past.
    assert RRuleSchedule("FREQ=DAILY;COUNT=5").get_dates(n=3, start=NOW) == []


def test_prefect_adds_dtstart_to_a_rule_without_one(sim) -> None:
    assert normalize_rrule_string("FREQ=HOURLY") == "DTSTART:20200101T000000\nFREQ=HOURLY"
    minutely = normalize_rrule_string("FREQ=MINUTELY;INTERVAL=7")
    assert minutely.startswith("DTSTART:2025") or minutely.startswith("DTSTART:2026")  # a recent equivalent anchor
    assert RRuleSchedule(minutely).get_dates(n=2, start=NOW) == RRuleSchedule("FREQ=MINUTELY;INTERVAL=7").get_dates(n=2, start=NOW)


@pytest.mark.parametrize(
    "text, feature",
    [("FREQ=DAILY;BYSETPOS=1", "BYSETPOS"), ("FREQ=WEEKLY;WKST=SU", "WKST"),
     ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY\nEXDATE:20260102T000000", "EXDATE")],
)  # fmt: skip
def test_rrule_parts_not_imitated_fail_naming_them(text: str, feature: str) -> None:
    with pytest.raises(NotImitatedError, match=feature):
        RRule(text)


def test_a_cron_seconds_field_fails_loudly() -> None:
    with pytest.raises(NotImitatedError, match="seconds field"):
        Cron("* * * * * *")


def test_time_zones() -> None:
    assert zone(None) is UTC and zone("Etc/UTC") is UTC
    assert zone("Etc/GMT+5").utcoffset(None) == dt.timedelta(hours=-5)  # POSIX's sign
    with pytest.raises(ValueError, match='Invalid timezone: "Mars/Olympus"'):
        CronSchedule("0 9 * * *", timezone="Mars/Olympus")
    nine_in_new_york = CronSchedule("0 9 * * *", timezone="America/New_York")
    dates = nine_in_new_york.get_dates(n=3, start=dt.datetime(2026, 3, 7, tzinfo=UTC))
    assert [d.astimezone(UTC).hour for d in dates] == [14, 13, 13]  # across the change to daylight saving time
    daily = IntervalSchedule(dt.timedelta(days=1), dt.datetime(2026, 3, 1, 9, 0), "America/New_York")
    assert [d.hour for d in daily.get_dates(n=3, start=dt.datetime(2026, 3, 7, tzinfo=UTC))] == [4, 4, 4]


def test_without_a_time_zone_database_a_zone_fails_loudly_naming_the_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    import zoneinfo

    from sim_prefect.utilities import timezones

    def no_database(key: str) -> zoneinfo.ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", no_database)
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: set())
    timezones.zone.cache_clear()
    try:
        with pytest.raises(NotImitatedError, match="time zone other than UTC"):
            zone("Europe/Paris")
        assert zone("UTC") is UTC
    finally:
        timezones.zone.cache_clear()


def test_construct_schedule_refuses_as_prefect() -> None:
    with pytest.raises(ValueError, match="Only one of interval, cron, or rrule can be provided."):
        construct_schedule(interval=60, cron="* * * * *")
    with pytest.raises(ValueError, match="An anchor date can only be provided with an interval schedule"):
        construct_schedule(cron="* * * * *", anchor_date=NOW)


# -- against croniter and dateutil, Prefect's own engines -------------------------------------------------


def _cron_field(low: int, high: int) -> str:
    k = random.random()
    if k < 0.3:
        return "*"
    if k < 0.4:
        return f"*/{random.randint(1, high // 2 + 1)}"
    if k < 0.6:
        a, b = sorted((random.randint(low, high), random.randint(low, high)))
        return f"{a}-{b}" + (f"/{random.randint(1, 5)}" if random.random() < 0.3 else "")
    if k < 0.8:
        return ",".join(str(random.randint(low, high)) for _ in range(random.randint(1, 3)))
    return str(random.randint(low, high))


def _croniter() -> Any:
    """Prefect's vendored croniter, loaded from its file (importing prefect itself would reconfigure logging)."""
    import importlib.util
    from importlib.metadata import distribution

    path = distribution("prefect").locate_file("prefect/_vendor/croniter/croniter.py")
    spec = importlib.util.spec_from_file_location("prefects_croniter", str(path))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.croniter


def test_cron_agrees_with_croniter() -> None:
    croniter = _croniter()
    random.seed(7)
    disagreements = []
    for _ in range(500):
        text = " ".join([_cron_field(0, 59), _cron_field(0, 23), _cron_field(1, 28), _cron_field(1, 12), _cron_field(0, 6)])
        start = dt.datetime(2026, 1, 1) + dt.timedelta(minutes=random.randint(0, 600_000))
        for day_or in (True, False):
            expected = croniter(text, start - dt.timedelta(seconds=1), day_or=day_or)
            want = [expected.get_next(dt.datetime) for _ in range(4)]
            got = list(itertools.islice(cron.parse(text).times_from(start, day_or), 4))
            if got != want:
                disagreements.append((text, day_or, start))
    # croniter skips the 1st of a month after one shorter than 31 days in AND mode; nothing else may differ.
    assert len(disagreements) <= 5, disagreements[:5]


def test_rrule_agrees_with_dateutil() -> None:
    import dateutil.rrule as dateutil_rrule  # what Prefect reads rules with (installed with it)
    random.seed(3)
    weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for _ in range(150):
        freq = random.choice(rrule.FREQUENCIES[:6])
        parts = [f"FREQ={freq}"]
        if random.random() < 0.4:
            parts.append(f"INTERVAL={random.randint(1, 3)}")
        elif random.random() < 0.3:  # not with an interval: a month it never reaches makes dateutil loop for ever
            parts.append(f"BYMONTH={random.randint(1, 12)}")
        if random.random() < 0.4:
            parts.append("BYDAY=" + ",".join(random.sample(weekdays, random.randint(1, 3))))
        if random.random() < 0.4 and freq in ("YEARLY", "MONTHLY", "WEEKLY", "DAILY"):
            parts.append(f"BYHOUR={random.randint(0, 23)}")
        # A recent DTSTART: dateutil walks every minute from it (Prefect's reason to move a minutely rule's).
        text = "DTSTART:20251201T101500\n" + ";".join(parts)
        start = dt.datetime(2025, 12, 20) + dt.timedelta(minutes=random.randint(0, 60_000))
        want = list(itertools.islice(dateutil_rrule.rrulestr(text, dtstart=dt.datetime(2020, 1, 1)).xafter(start, inc=True), 3))
        assert list(itertools.islice(rrule.parse(text).occurrences(start), 3)) == want, text
