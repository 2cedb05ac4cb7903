"""Schedules as Prefect's guides make them, and the deployment schedules they become (no server needed).

From docs/v3/how-to-guides/deployments/create-schedules.mdx: ``cron``, ``interval`` and
``rrule`` keyword arguments (one value or several), ``schedule=Interval(timedelta(minutes=10),
anchor_date=..., timezone="America/Chicago")``, ``schedules=[Cron(..., slug=..., parameters=...)]``,
and Prefect's refusals (two kinds at once, a bad cron or RRULE string, a name with a slash).
"""

from datetime import datetime, timedelta, timezone

from prefect import flow
from prefect.schedules import Cron, Interval, RRule, Schedule


@flow
def my_flow(x: int = 1):
    return x


def attempt(label, make):
    try:
        print(f"{label}: {make()!r}")
    except Exception as exc:
        print(f"{label}: {type(exc).__name__}: {exc}")


def schedules_of(**kwargs):
    deployment = my_flow.to_deployment(name="flowing", **kwargs)
    for entry in deployment.schedules:
        schedule = entry.schedule
        shown = {k: getattr(schedule, k) for k in ("interval", "cron", "rrule", "timezone", "day_or") if hasattr(schedule, k)}
        print(f"  {type(schedule).__name__} {shown} active={entry.active} parameters={entry.parameters} slug={entry.slug}")


if __name__ == "__main__":
    anchor = datetime(2026, 1, 1, tzinfo=timezone.utc)
    attempt("Interval", lambda: Interval(timedelta(minutes=10), anchor_date=anchor, timezone="America/Chicago"))
    cron = Cron("0 8 * * *", slug="jim-email", parameters={"to": "jim.halpert@dundermifflin.com"})
    print("Cron:", cron.cron, cron.timezone, cron.day_or, cron.active, cron.parameters, cron.slug)
    attempt("two kinds", lambda: Schedule(cron="* * * * *", interval=timedelta(minutes=1)))
    attempt("bad cron", lambda: Cron("not a cron"))
    attempt("bad rrule", lambda: RRule("FREQ=SOMETIMES"))
    attempt("keyword cron", lambda: Cron(cron="* * * * *"))

    print("cron='* * * * *':")
    schedules_of(cron="* * * * *")
    print("interval=[60, timedelta(hours=2)]:")
    schedules_of(interval=[60, timedelta(hours=2)])
    print("rrule='FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9':")
    schedules_of(rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9")
    print("schedules=[Cron(...), Cron(...)]:")
    schedules_of(schedules=[cron, Cron("5 8 * * *", slug="dwight-email", timezone="America/New_York", active=False)])
    attempt("cron and interval", lambda: schedules_of(cron="0 0 * * *", interval=60))
    attempt("a name with a slash", lambda: schedules_of(cron="0 0 * * *") or my_flow.to_deployment(name="a/b"))
