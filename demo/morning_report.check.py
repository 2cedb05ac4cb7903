"""Check for the morning-report exercise.

It passes when the code served a deployment of sales_report whose schedule
fires every weekday at 09:00 UTC and at no other time (judged from the dates
the deployment's schedules give over two weeks, so any equivalent cron
passes), and when the week served ran the report at those times, with
region "north", each run made by the schedule and ended Completed. It reads
the deployment and the runs from the session's server, never the output.
"""

import datetime as dt

from sim_prefect.client.schemas.schedules import schedule_from_dict

FLOW = "sales-report"
REGION = "north"
UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 2, tzinfo=UTC)  # a Monday; two weeks from it
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _expected(start):
    days = (start + dt.timedelta(days=n) for n in range(14))
    return [day.replace(hour=9) for day in days if day.weekday() < 5]


def _dates(deployment, start):
    """Every time the deployment's active schedules fire in the two weeks from `start`, in UTC."""
    end = start + dt.timedelta(days=14) - dt.timedelta(microseconds=1)
    found = set()
    for entry in deployment.schedules:
        if not entry.get("active", True):
            continue
        schedule = schedule_from_dict(entry["schedule"])
        found.update(d.astimezone(UTC) for d in schedule.get_dates(n=1000, start=start, end=end))
    return sorted(found)


def _describe(moment):
    return f"{WEEKDAYS[moment.weekday()]} {moment:%H:%M}"


def _schedule_problem(dates, wanted):
    if not dates:
        return "Its schedule never fires. Give serve() a schedule: cron= takes a cron string."
    extra = [d for d in dates if d not in wanted]
    missing = [d for d in wanted if d not in dates]
    if not extra and not missing:
        return None
    if all(d.weekday() >= 5 for d in dates):
        return (
            "Its schedule fires only on weekends. The fifth field of a cron string is the day of the week, "
            "0 or 7 for Sunday: which numbers are Monday to Friday?"
        )
    if any(d.weekday() >= 5 for d in extra):
        return (
            f"Its schedule also fires on weekends ({_describe(next(d for d in extra if d.weekday() >= 5))} UTC, "
            "for one). The fifth field of a cron string is the day of the week: which numbers are Monday to Friday?"
        )
    hours = sorted({f"{d:%H:%M}" for d in dates})
    if hours != ["09:00"]:
        return (
            f"Its schedule fires at {', '.join(hours[:3])} UTC, not at 09:00. The first two fields of a cron string "
            "are the minute and the hour, on a 24-hour clock, in UTC unless the schedule names a time zone."
        )
    return "Its schedule fires on other days than Monday to Friday at 09:00 UTC: " + (
        f"for one, {_describe(extra[0])}." if extra else f"it misses {_describe(missing[0])}."
    )


def check(attempt):
    deployments = [d for d in attempt.deployments if d.flow_name == FLOW]
    if not deployments:
        raise AssertionError(
            "No deployment of sales_report was made. Keep the call sales_report.serve(name=...) at the bottom: "
            "it makes the deployment and serves it."
        )
    wanted = _expected(START)
    scheduled = [d for d in deployments if _dates(d, START)]
    if not scheduled:
        raise AssertionError(
            "The deployment has no schedule, so nothing runs during the week it is served. "
            "serve() takes cron=\"...\" (or interval=..., or schedule=Cron(...))."
        )
    deployment = scheduled[-1]
    problem = _schedule_problem(_dates(deployment, START), wanted)
    if problem:
        raise AssertionError(problem)
    runs = [r for r in attempt.flows() if r.owner == FLOW and r.deployment_id == deployment.id and r.auto_scheduled
            and "Running" in r.state_names]  # a run picked up just as serving stopped never ran: not the learner's doing
    if not runs:
        raise AssertionError(
            "The schedule is right, but no run of it ran: the deployment must be served (serve(), not .apply()) "
            "for its scheduled runs to run. Keep the line that stops serving after a week."
        )
    wrong = [r for r in runs if (r.parameters or {}).get("region") != REGION]
    if wrong:
        parameters = wrong[0].parameters or {}
        got = f"{parameters['region']!r}" if "region" in parameters else "'all', the flow's default,"
        raise AssertionError(
            f"The scheduled runs report on region {got} not {REGION!r}. Give the deployment its default "
            "parameters: serve() takes parameters={...}."
        )
    unfinished = [r for r in runs if r.state is None or r.state.name != "Completed"]
    if unfinished:
        raise AssertionError(f"A scheduled run ended {unfinished[0].state.name if unfinished[0].state else 'never'}, not Completed.")
    times = sorted(r.expected_start for r in runs if r.expected_start is not None)
    off = [t for t in times if dt.datetime.fromtimestamp(t, UTC) not in _expected(_monday_of(t))]
    if off or len(runs) < 4:
        raise AssertionError("The runs of the week served are not the weekday mornings the schedule gives.")
    days = ", ".join(_describe(dt.datetime.fromtimestamp(t, UTC)) for t in times)
    return (
        f"Served for a week, the deployment {FLOW}/{deployment.name} ran the report {len(runs)} times, for region "
        f"{REGION!r}: {days} (UTC). At home the same serve() keeps going until Ctrl-C."
    )


def _monday_of(timestamp):
    moment = dt.datetime.fromtimestamp(timestamp, UTC)
    return (moment - dt.timedelta(days=moment.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
