"""Serving deployments with schedules that carry parameters, and one that comes due at once.

From docs/v3/how-to-guides/deployments/create-schedules.mdx ("Schedule parameters in Python":
two ``Cron`` schedules with slugs and their own parameters for ``send_email``) and
create-deployments.mdx (``serve`` of several deployments made with ``to_deployment``). A
third deployment's ``Interval`` is anchored so that its first run is due 15 seconds after it
is served: the served process runs it; the conformance suite presses Ctrl-C once it has ended,
and pausing the deployments deletes the runs scheduled ahead (the state history keeps the
one that ran). The daily crons at 08:00 and 08:05 UTC do not come due meanwhile.
"""

from datetime import datetime, timedelta, timezone

from prefect import flow, serve
from prefect.schedules import Cron, Interval


@flow(log_prints=True)
def send_email(to: str, message: str = "Stop goofing off!"):
    print(f"Sending email to {to} with message: {message}")


if __name__ == "__main__":
    emails = send_email.to_deployment(
        name="office-emails",
        schedules=[
            Cron("0 8 * * *", slug="jim-email", parameters={"to": "jim.halpert@dundermifflin.com"}),
            Cron(
                "5 8 * * *",
                slug="dwight-email",
                parameters={
                    "to": "dwight.schrute@dundermifflin.com",
                    "message": "Stop goofing off! You're assistant _to_ the regional manager!",
                },
            ),
        ],
    )
    soon = datetime.now(timezone.utc) - timedelta(seconds=45)
    reminder = send_email.to_deployment(
        name="minute-reminder",
        schedule=Interval(60, anchor_date=soon, parameters={"to": "michael.scott@dundermifflin.com"}),
        tags=["reminders"],
    )
    serve(emails, reminder)
