"""Emitting events and reading them back: custom events beside Prefect's own state-change events.

From docs/v3/concepts/events.mdx and docs/v3/advanced/use-custom-event-grammar.mdx (emit_event
with a resource, related resources and a payload), docs/v3/how-to-guides/workflows/state-change-hooks.mdx
("Emit events from state change hooks": ``follows`` a stub of the state's event, ``id=state.id``),
and docs/v3/advanced/api-client.mdx ("Query events with pagination": read_events with an
EventFilter, a small limit, and ``page.get_next_page(client)``). Prefect's server takes at most 50
events a page: read_events() with its default limit of 100 is refused.
"""

import asyncio
import sys
import time
from datetime import datetime, timedelta, timezone

from prefect import flow, get_client, task
from prefect.events import emit_event
from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter, EventOrder
from prefect.events.schemas.events import Event

sys.stdout.reconfigure(line_buffering=True)
HEARTBEAT = "prefect.flow-run.heartbeat"


def emit_failure_event(flow, flow_run, state):
    emit_event(
        event="my-app.flow-run.failure-handled",
        resource={"prefect.resource.id": f"prefect.flow-run.{flow_run.id}"},
        follows=Event(
            event="prefect.flow-run.Failed",
            resource={"prefect.resource.id": f"prefect.flow-run.{flow_run.id}"},
            id=state.id,
            occurred=state.timestamp,
        ),
    )


@task
def add(x, y):
    emit_event(event="my-app.task.added", resource={"prefect.resource.id": "my-app.adder"}, payload={"sum": x + y})
    return x + y


@flow
def emitting_flow():
    event = emit_event(event="my-app.flow.inside", resource={"prefect.resource.id": "my-app.inside"})
    print("emitted inside a flow; its related resources as returned:", event.related)
    return add(1, 2)


@flow(on_failure=[emit_failure_event])
def failing_flow():
    raise ValueError("oops!")


start = datetime.now(timezone.utc) - timedelta(seconds=1)
event = emit_event(
    event="my-app.user.logged_in",
    resource={"prefect.resource.id": "my-app.user.kiki", "prefect.resource.name": "Kiki"},
    payload={"ip": "127.0.0.1"},
    related=[{"prefect.resource.id": "my-app.app.web", "prefect.resource.role": "app"}],
)
print("emit_event returned:", type(event).__name__, "| event:", event.event)
print("resource:", repr(event.resource), "| id:", event.resource.id, "| name:", event.resource.name)
print("related:", [(r.id, r.role) for r in event.related], "| payload:", event.payload, "| follows:", event.follows)
print("bad resource returned:", emit_event(event="my-app.bad", resource={"no": "id"}))

state = emitting_flow(return_state=True)
flow_run_id = state.state_details.flow_run_id
failed = failing_flow(return_state=True)
failed_run_id = failed.state_details.flow_run_id


def events_of(client, resource_id, expected, **filters):
    """Read until the server has them all (real Prefect stores events a moment after they are sent)."""
    for _ in range(60):
        page = client.read_events(
            filter=EventFilter(
                occurred=EventOccurredFilter(since=start, until=datetime.now(timezone.utc) + timedelta(seconds=5)),
                any_resource={"id": [resource_id]},
                order=EventOrder.ASC,
                **filters,
            ),
            limit=50,
        )
        if page.total >= expected:
            return page
        time.sleep(0.5)
    return page


with get_client(sync_client=True) as client:
    page = events_of(client, f"prefect.flow-run.{flow_run_id}", 9)
    print("read_events:", type(page).__name__, "total:", page.total, "| next_page:", page.next_page)
    # Prefect sends a flow run's heartbeat from a thread of its own as the run starts, so where it
    # falls among the flow's own events is a race: it is listed apart, with what is certain.
    names = [e.event for e in page.events]
    if HEARTBEAT in names:  # (in deterministic mode, the runs are before `start`, on the clock's fixed date: none)
        print("heartbeat after Running, before Completed:",
              names.index("prefect.flow-run.Running") < names.index(HEARTBEAT) < names.index("prefect.flow-run.Completed"))
    for e in [e for e in page.events if e.event != HEARTBEAT] + [e for e in page.events if e.event == HEARTBEAT]:
        labels = {k: v for k, v in e.resource.items() if k in ("prefect.state-name", "prefect.state-type", "prefect.run-count")}
        print("  ", e.event, "|", e.resource.id.split(".")[1], labels, "| related:", [r.role for r in e.related],
              "| follows:", e.follows is not None)
    for e in page.events:
        if e.event in ("prefect.flow-run.Completed", "prefect.task-run.Completed"):
            print(e.event, "payload:", e.payload["intended"], e.payload["validated_state"]["name"], "| message label:",
                  repr(e.resource["prefect.state-message"]))
        if e.event == "my-app.task.added":
            print(e.event, "payload:", e.payload, "| related:", [(r.role, r.name) for r in e.related if r.role == "flow"])
    states = client.read_flow_run_states(flow_run_id)
    print("a state's event has the state's id:", [e.id for e in page.events if e.event.startswith("prefect.flow-run.") and e.event != "prefect.flow-run.heartbeat"] == [s.id for s in states])

    failure = events_of(client, f"prefect.flow-run.{failed_run_id}", 5)
    by_name = {e.event: e for e in failure.events}
    print("failure events:", [e.event for e in failure.events if e.event != HEARTBEAT], "| and a heartbeat:", HEARTBEAT in by_name)
    print("the hook's event follows the Failed state's:", by_name["my-app.flow-run.failure-handled"].follows == by_name["prefect.flow-run.Failed"].id)

    custom = client.read_events(
        filter=EventFilter(occurred=EventOccurredFilter(since=start), event=EventNameFilter(name=["my-app.user.logged_in"])),
        limit=5,
    )
    read_back = custom.events[0]
    print("read back:", read_back.event, read_back.resource.id, read_back.payload, [(r.id, r.role) for r in read_back.related],
          "| received set:", read_back.received is not None, "| same id:", read_back.id == event.id)
    prefixed = client.read_events(
        filter=EventFilter(occurred=EventOccurredFilter(since=start), event=EventNameFilter(prefix=["my-app."]), any_resource={"id_prefix": ["my-app."]}),
        limit=50,
    )
    print("prefix my-app. (newest first):", [e.event for e in prefixed.events])
    try:
        client.read_events()
    except Exception as exc:
        print("read_events() with its default limit:", type(exc).__name__, "422" in str(exc), "less than or equal to 50" in str(exc))


async def collect_all():
    async with get_client() as client:
        event_filter = EventFilter(
            occurred=EventOccurredFilter(since=start, until=datetime.now(timezone.utc) + timedelta(seconds=5)),
            any_resource={"id": [f"prefect.flow-run.{flow_run_id}"]},
        )
        page = await client.read_events(filter=event_filter, limit=4)
        print(f"total events: {page.total}, on the first page: {len(page.events)}")
        all_events, page_count = [], 0
        while page:
            all_events.extend(page.events)
            page_count += 1
            page = await page.get_next_page(client)
        print(f"collected {len(all_events)} events across {page_count} pages, newest first:",
              all_events[0].event, "...", all_events[-1].event)


asyncio.run(collect_all())
