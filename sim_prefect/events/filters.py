"""The filters ``client.read_events`` takes (``prefect.events.filters``).

``EventFilter(occurred=EventOccurredFilter(since=..., until=...),
event=EventNameFilter(prefix=["prefect.flow-run."]), any_resource={"id": [...]},
order=EventOrder.ASC)``: pydantic-style models (models.py) with Prefect's
fields and defaults; each part decides on an event (`includes`) as Prefect's
server does. ``occurred`` defaults to the 180 days up to now (the session's
clock, when the filter is made), ``order`` to newest first.
"""

from __future__ import annotations

import datetime
import enum
import json
from typing import Any, ClassVar, Literal, Optional, Union

from ..client.schemas.filters import text_matches
from ..models import Check, Model
from ..session import session
from ..types import DateTime
from .schemas.events import Event, Labelled, ResourceSpecification, as_moment


def _now() -> DateTime:
    return DateTime.at(session().now())


def _spec(value: Any) -> Any:
    return value if value is None or isinstance(value, ResourceSpecification) else ResourceSpecification(value)


class EventDataFilter(Model):
    """A part of an event filter: every part that is set must let the event through."""

    _extra: ClassVar[Literal["ignore", "forbid", "allow"]] = "forbid"

    def get_filters(self) -> list[EventDataFilter]:
        found: list[EventDataFilter] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, EventDataFilter):
                    found.append(item)
        return found

    def includes(self, event: Event) -> bool:
        return all(part.includes(event) for part in self.get_filters())

    def excludes(self, event: Event) -> bool:
        return not self.includes(event)


class EventOccurredFilter(EventDataFilter):
    _after: ClassVar[dict[str, tuple[Check, ...]]] = {"since": (as_moment,), "until": (as_moment,)}

    since: datetime.datetime
    until: datetime.datetime

    def __init__(self, **data: Any) -> None:
        if "until" not in data:
            data["until"] = _now()
        if "since" not in data:  # the start of the day, 180 days ago
            now = _now()
            data["since"] = DateTime.at(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() - 180 * 86400)
        super().__init__(**data)

    def includes(self, event: Event) -> bool:
        return bool(self.since <= event.occurred <= self.until)


class EventNameFilter(EventDataFilter):
    prefix: Optional[list[str]] = None
    exclude_prefix: Optional[list[str]] = None
    name: Optional[list[str]] = None
    exclude_name: Optional[list[str]] = None

    def includes(self, event: Event) -> bool:
        name = event.event
        if self.prefix and not any(name.startswith(p) for p in self.prefix):
            return False
        if self.exclude_prefix and any(name.startswith(p) for p in self.exclude_prefix):
            return False
        if self.name and name not in self.name:
            return False
        return not (self.exclude_name and name in self.exclude_name)


def _resource_matches(resource: Labelled, ids: list[str] | None, prefixes: list[str] | None, labels: Any) -> bool:
    resource_id = resource.get("prefect.resource.id") or ""
    if ids and resource_id not in ids:
        return False
    if prefixes and not any(resource_id.startswith(p) for p in prefixes):
        return False
    return not (labels and not labels.matches(resource))


class EventResourceFilter(EventDataFilter):
    _before: ClassVar[dict[str, Check]] = {"labels": _spec}

    id: Optional[list[str]] = None
    id_prefix: Optional[list[str]] = None
    labels: Optional[Any] = None
    distinct: bool = False

    def includes(self, event: Event) -> bool:
        return _resource_matches(event.resource, self.id, self.id_prefix, self.labels)


class EventRelatedFilter(EventDataFilter):
    _before: ClassVar[dict[str, Check]] = {"labels": _spec}

    id: Optional[list[str]] = None
    role: Optional[list[str]] = None
    resources_in_roles: Optional[list[tuple[str, str]]] = None
    labels: Optional[Any] = None

    def includes(self, event: Event) -> bool:
        """Whether one related resource passes every criterion that is set (the server's join)."""
        for related in event.related:
            if self.id and related.id not in self.id:
                continue
            if self.role and related.role not in self.role:
                continue
            if self.resources_in_roles and (related.id, related.role) not in [tuple(p) for p in self.resources_in_roles]:
                continue
            if self.labels and not self.labels.matches(related):
                continue
            return True
        return not (self.id or self.role or self.resources_in_roles or self.labels)


class EventAnyResourceFilter(EventDataFilter):
    _before: ClassVar[dict[str, Check]] = {"labels": _spec}

    id: Optional[list[str]] = None
    id_prefix: Optional[list[str]] = None
    labels: Optional[Any] = None

    def includes(self, event: Event) -> bool:
        return any(_resource_matches(r, self.id, self.id_prefix, self.labels) for r in event.involved_resources)


class EventIDFilter(EventDataFilter):
    id: Optional[list[Any]] = None

    def includes(self, event: Event) -> bool:
        return not self.id or str(event.id) in {str(i) for i in self.id}


class EventTextFilter(EventDataFilter):
    """Text search over an event's name, resources and payload (Prefect's query syntax)."""

    query: str

    def includes(self, event: Event) -> bool:
        text = " ".join([
            event.event, *(v for r in event.involved_resources for v in r.root.values()),
            json.dumps(event.payload, default=str),
        ])  # fmt: skip
        return text_matches(text, self.query)


class EventOrder(str, enum.Enum):
    ASC = "ASC"
    DESC = "DESC"

    def __repr__(self) -> str:  # Prefect's AutoEnum
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__


def _nested(kind: type[EventDataFilter]) -> Check:
    def convert(value: Any) -> Any:
        if isinstance(value, list):
            return [convert(v) for v in value]
        return kind(**value) if isinstance(value, dict) else value

    return convert


class EventFilter(EventDataFilter):
    _before: ClassVar[dict[str, Check]] = {
        "occurred": _nested(EventOccurredFilter), "event": _nested(EventNameFilter),
        "resource": _nested(EventResourceFilter), "related": _nested(EventRelatedFilter),
        "any_resource": _nested(EventAnyResourceFilter), "id": _nested(EventIDFilter),
        "text": _nested(EventTextFilter),
    }  # fmt: skip

    occurred: Any = None
    event: Optional[Any] = None
    resource: Optional[Any] = None
    related: Optional[Union[Any, list[Any]]] = None
    any_resource: Optional[Union[Any, list[Any]]] = None
    id: Any = None
    text: Optional[Any] = None
    order: EventOrder = EventOrder.DESC

    def __init__(self, **data: Any) -> None:
        data.setdefault("occurred", EventOccurredFilter())
        data.setdefault("id", EventIDFilter(id=[]))
        super().__init__(**data)


for _cls in (
    EventDataFilter, EventOccurredFilter, EventNameFilter, EventResourceFilter, EventRelatedFilter,
    EventAnyResourceFilter, EventIDFilter, EventTextFilter, EventOrder, EventFilter,
):  # fmt: skip
    _cls.__module__ = "prefect.events.filters"

__all__ = [
    "EventAnyResourceFilter", "EventDataFilter", "EventFilter", "EventIDFilter", "EventNameFilter",
    "EventOccurredFilter", "EventOrder", "EventRelatedFilter", "EventResourceFilter", "EventTextFilter",
]  # fmt: skip
