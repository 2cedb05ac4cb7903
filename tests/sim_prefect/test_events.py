"""Events (prefect.events): emit_event, and read_events over emitted events and every run's state changes."""

from __future__ import annotations

import datetime
import importlib

import pytest

import sim_prefect
from sim_prefect import flow, tags, task
from sim_prefect.client.orchestration import get_client
from sim_prefect.events import Event, RelatedResource, Resource, emit_event
from sim_prefect.events.filters import (
    EventAnyResourceFilter,
    EventFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventOrder,
    EventRelatedFilter,
    EventResourceFilter,
)
from sim_prefect.exceptions import EventTooLarge, NotImitatedError, PrefectHTTPStatusError
from sim_prefect.models import ValidationError
from sim_prefect.store import Store

UTC = datetime.timezone.utc


@task
def add(x, y):
    return x + y


@flow
def adding():
    emit_event(event="inside.flow", resource={"prefect.resource.id": "my.inside"})
    return add(1, 2)


def read(**filters):
    with get_client(sync_client=True) as client:
        return client.read_events(filter=EventFilter(order=EventOrder.ASC, **filters), limit=50)


def test_emit_event_returns_the_event_it_sent(sim) -> None:
    event = emit_event(
        event="user.logged_in",
        resource={"prefect.resource.id": "acme.user.kiki", "prefect.resource.name": "Kiki"},
        payload={"ip": "127.0.0.1"},
        related=[{"prefect.resource.id": "acme.app.web", "prefect.resource.role": "app"}],
    )
    assert isinstance(event, Event) and type(event).__module__ == "prefect.events.schemas.events"
    assert list(type(event).model_fields) == ["occurred", "event", "resource", "related", "payload", "id", "follows"]
    assert (event.resource.id, event.resource.name) == ("acme.user.kiki", "Kiki")
    assert repr(event.resource) == "Resource(root={'prefect.resource.id': 'acme.user.kiki', 'prefect.resource.name': 'Kiki'})"
    assert [(r.id, r.role) for r in event.related] == [("acme.app.web", "app")]
    assert isinstance(event.related[0], RelatedResource)
    assert repr(event).startswith("Event(occurred=DateTime(2026, 1, 1, 9, 0, 0, ")
    assert event.id.version == 7 and event.follows is None


def test_a_resource_without_an_id_is_logged_not_raised(sim) -> None:
    assert emit_event(event="bad", resource={"no": "id"}) is None
    assert sim.lines()[0].splitlines()[:2] == ["ERROR   | prefect.events.utilities - Error emitting event: bad", "Traceback (most recent call last):"]
    assert "Value error, Resources must include the prefect.resource.id label" in sim.lines()[0]
    assert sim_prefect.session().store.events == []
    with pytest.raises(ValidationError, match="Related Resources must include the prefect.resource.role label"):
        Event(event="x", resource={"prefect.resource.id": "r"}, related=[{"prefect.resource.id": "o"}])


def test_an_event_larger_than_the_server_takes_is_raised(sim, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_SERVER_EVENTS_MAXIMUM_SIZE_BYTES", "1000")
    with pytest.raises(EventTooLarge, match=r"Event is too large to emit \(\d+ > 1000 bytes\)"):
        emit_event(event="big", resource={"prefect.resource.id": "r"}, payload={"x": "y" * 1000})
    assert emit_event(event="small", resource={"prefect.resource.id": "r"}) is not None


def test_follows_is_kept_only_within_five_minutes(sim) -> None:
    earlier = Event(event="a", resource={"prefect.resource.id": "r"}, occurred=datetime.datetime(2026, 1, 1, 8, 59, tzinfo=UTC))
    long_ago = Event(event="a", resource={"prefect.resource.id": "r"}, occurred=datetime.datetime(2026, 1, 1, 8, 0, tzinfo=UTC))
    assert emit_event(event="b", resource={"prefect.resource.id": "r"}, follows=earlier).follows == earlier.id
    assert emit_event(event="b", resource={"prefect.resource.id": "r"}, follows=long_ago).follows is None


def test_an_event_emitted_in_a_run_is_stored_with_the_runs_resources(sim) -> None:
    with tags("t"):
        state = adding(return_state=True)
    stored = sim_prefect.session().store.events
    assert [e.event for e in stored] == ["inside.flow"]
    assert [r["prefect.resource.role"] for r in stored[0].related] == ["flow-run", "flow", "tag"]
    assert stored[0].related[0]["prefect.resource.id"] == f"prefect.flow-run.{state.state_details.flow_run_id}"


def test_state_changes_are_events_made_from_the_records_not_stored(sim) -> None:
    with tags("t"):
        state = adding(return_state=True)
    assert len(sim_prefect.session().store.events) == 1  # only the emitted one: no work per state
    page = read(any_resource=EventAnyResourceFilter(id=[f"prefect.flow-run.{state.state_details.flow_run_id}"]))
    assert [e.event for e in page.events] == [
        "prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.heartbeat", "inside.flow",
        "prefect.task-run.Pending", "prefect.task-run.Running", "prefect.task-run.Completed", "prefect.flow-run.Completed",
    ]  # fmt: skip
    completed = page.events[-1]
    assert dict(completed.resource.items()) == {
        "prefect.resource.id": f"prefect.flow-run.{state.state_details.flow_run_id}",
        "prefect.resource.name": "olive-ocelot", "prefect.run-count": "1", "prefect.state-message": "",
        "prefect.state-name": "Completed", "prefect.state-timestamp": state.timestamp.isoformat(),
        "prefect.state-type": "COMPLETED",
    }  # fmt: skip
    assert completed.id == state.id and completed.follows == page.events[1].id
    assert completed.payload == {
        "intended": {"from": "RUNNING", "to": "COMPLETED"},
        "initial_state": {"type": "RUNNING", "name": "Running"},
        "validated_state": {"type": "COMPLETED", "name": "Completed"},
    }
    task_completed = page.events[6]
    assert task_completed.resource["prefect.orchestration"] == "client"
    assert [r.role for r in task_completed.related] == ["tag", "flow-run", "flow"]
    assert task_completed.payload["task_run"]["task_key"].startswith("add-")
    assert task_completed.payload["validated_state"] == {
        "type": "COMPLETED", "name": "Completed", "message": "", "state_details": {}, "data": None,
    }  # fmt: skip


def test_a_long_flow_run_beats_every_180_seconds(sim) -> None:
    import time

    @flow
    def slow():
        time.sleep(400)

    slow()
    beats = read(event=EventNameFilter(name=["prefect.flow-run.heartbeat"])).events
    assert len(beats) == 3
    assert (beats[1].occurred - beats[0].occurred).total_seconds() == 180
    assert beats[0].resource["prefect.version"] == sim_prefect.PREFECT_VERSION


def test_filters_select_as_prefects_server(sim) -> None:
    emit_event(event="acme.one", resource={"prefect.resource.id": "acme.a", "kind": "x"},
               related=[{"prefect.resource.id": "acme.app", "prefect.resource.role": "app"}])  # fmt: skip
    emit_event(event="acme.two", resource={"prefect.resource.id": "acme.b", "kind": "y"})
    assert [e.event for e in read(event=EventNameFilter(prefix=["acme."], exclude_name=["acme.two"])).events] == ["acme.one"]
    assert [e.event for e in read(resource=EventResourceFilter(labels={"kind": "y"})).events] == ["acme.two"]
    assert [e.event for e in read(resource={"id_prefix": ["acme.a"]}).events] == ["acme.one"]
    assert [e.event for e in read(related=EventRelatedFilter(role=["app"])).events] == ["acme.one"]
    assert [e.event for e in read(resource=EventResourceFilter(labels={"kind": "!x"})).events] == ["acme.two"]
    newest_first = get_client(sync_client=True).read_events(filter=EventFilter(event={"prefix": ["acme."]}), limit=50)
    assert [e.event for e in newest_first.events] == ["acme.two", "acme.one"]
    later = EventOccurredFilter(since=datetime.datetime(2026, 1, 2, tzinfo=UTC))
    assert read(occurred=later).events == []


def test_the_default_window_is_the_180_days_to_now(sim) -> None:
    occurred = EventOccurredFilter()
    assert occurred.until == datetime.datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert occurred.since == datetime.datetime(2025, 7, 5, tzinfo=UTC)


def test_a_page_holds_at_most_50_and_links_the_next(sim) -> None:
    for i in range(5):
        emit_event(event=f"e{i}", resource={"prefect.resource.id": "r"})
    with get_client(sync_client=True) as client:
        with pytest.raises(PrefectHTTPStatusError) as info:
            client.read_events()
        assert "'msg': 'Input should be less than or equal to 50', 'input': 100" in str(info.value)
        assert "'request_body': {'filter': None, 'limit': 100}" in str(info.value)
        first = client.read_events(filter=EventFilter(order=EventOrder.ASC), limit=2)
        assert (first.total, [e.event for e in first.events]) == (5, ["e0", "e1"])
        assert first.next_page.startswith("http://127.0.0.1:4200/api/events/filter/next?page-token=")
        second = first.get_next_page_sync(client)
        third = client.read_events_page(second.next_page)
        assert [e.event for e in second.events + third.events] == ["e2", "e3", "e4"] and third.next_page is None


def test_automations_fail_loudly(sim) -> None:
    events = importlib.import_module("sim_prefect.events")
    with pytest.raises(NotImitatedError, match="automations"):
        events.EventTrigger  # noqa: B018
    with pytest.raises(AttributeError):
        events.no_such_name  # noqa: B018
    with sim_prefect.aliases.prefect_alias():
        with pytest.raises(ModuleNotFoundError, match="automations"):
            importlib.import_module("prefect.automations")
        with pytest.raises(NotImitatedError, match="automations"):
            exec("from prefect.events import DeploymentEventTrigger", {})


def test_emitted_events_outlive_the_process_in_the_stores_json(sim) -> None:
    emit_event(event="kept", resource={"prefect.resource.id": "r"}, payload={"at": datetime.date(2026, 1, 1)})
    again = Store.from_dict(sim_prefect.session().store.to_dict())
    assert [(e.event, e.payload) for e in again.events] == [("kept", {"at": "2026-01-01"})]


def test_a_resource_reads_as_a_mapping_of_labels() -> None:
    resource = Resource({"prefect.resource.id": "prefect.flow-run.00000000-0000-0000-0000-000000000001", "a": "b"})
    assert resource["a"] == "b" and "a" in resource and list(resource.keys())[1] == "a"
    assert str(resource.prefect_object_id("prefect.flow-run")) == "00000000-0000-0000-0000-000000000001"
    assert Resource(root={"prefect.resource.id": "x"}) == Resource({"prefect.resource.id": "x"})
