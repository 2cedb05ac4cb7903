"""The client's methods for one part of Prefect's API: events (read_events, read_events_page).

Prefect keeps them in ``prefect/client/orchestration/_events/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.

The events read are those emitted (``emit_event``) with every run's state
changes and heartbeats, made from the runs' records when read
(events/state_changes.py), in time order: newest first unless the filter
says ``order=EventOrder.ASC``. A page holds at most 50 (the server refuses
more, and the client's own default of 100 with it: Prefect's 422); the rest
is a ``next_page`` link away.
"""

from __future__ import annotations

import base64
import datetime
import enum
import json
import os
from typing import Any

from ...exceptions import PrefectHTTPStatusError
from ...events.filters import EventFilter, EventOrder
from ...events.schemas.events import ReceivedEvent
from ...events.state_changes import run_events
from ..schemas.events import EventPage
from ._flow_runs import checked
from .base import BaseClient

PAGE_SIZE = 50  # the server's INTERACTIVE_PAGE_SIZE: the most a page may hold

# Each page link's query, by the token in the link (a token stands for a query of this process only).
_QUERIES: dict[str, tuple[EventFilter, int, int]] = {}


def _api_url() -> str:
    return os.environ.get("PREFECT_API_URL") or "http://127.0.0.1:4200/api"


class EventClient(BaseClient):
    """Events (read_events): emitted ones, and every run's state changes."""

    def read_events(self, filter: EventFilter | None = None, limit: int = 100) -> EventPage:
        """The first page of events `filter` lets through (`limit` of them, at most 50)."""
        if limit > PAGE_SIZE or limit < 0:
            raise _refused(filter, limit)
        if filter is not None and not isinstance(filter, EventFilter):
            checked(filter, EventFilter, "filter")
        return self._page(filter or EventFilter(), 0, limit)

    def read_events_page(self, next_page_url: str) -> EventPage:
        """The page a previous page's ``next_page`` link names."""
        token = str(next_page_url).rpartition("page-token=")[2]
        query = _QUERIES.get(token)
        if query is None:
            raise PrefectHTTPStatusError.of(403, "/events/filter/next", "Invalid page token")
        event_filter, offset, limit = query
        return self._page(event_filter, offset, limit)

    def _page(self, event_filter: EventFilter, offset: int, limit: int) -> EventPage:
        events = [e for e in self._events() if event_filter.includes(e)]  # oldest first
        if event_filter.order == EventOrder.DESC:
            events.reverse()
        next_page = None
        if offset + limit < len(events):
            token = base64.b64encode(json.dumps({"offset": offset + limit, "query": len(_QUERIES)}).encode()).decode()
            _QUERIES[token] = (event_filter, offset + limit, limit)
            next_page = f"{_api_url()}/events/filter/next?page-token={token}"
        return EventPage(events=events[offset : offset + limit], total=len(events), next_page=next_page)

    def _events(self) -> list[ReceivedEvent]:
        """Every event the server has: the runs' (made from their records) and those emitted, in time order."""
        server = self.store
        emitted = [
            ReceivedEvent(
                occurred=record.occurred, event=record.event, resource=record.resource, related=record.related,
                payload=record.payload, id=record.id, follows=record.follows, received=record.occurred,
            )  # fmt: skip
            for record in server.events
        ]
        events = run_events(server, self.session.now()) + emitted
        events.sort(key=lambda e: e.occurred)
        return events


def _refused(event_filter: EventFilter | None, limit: int) -> PrefectHTTPStatusError:
    """The server's 422 for a page size it does not allow (its body quotes the request)."""
    bound, kind, msg = (PAGE_SIZE, "less_than_equal", f"less than or equal to {PAGE_SIZE}") if limit > PAGE_SIZE else (
        0, "greater_than_equal", "greater than or equal to 0")  # fmt: skip
    body: dict[str, Any] = {
        "exception_message": "Invalid request received.",
        "exception_detail": [{
            "type": kind, "loc": ["body", "limit"], "msg": f"Input should be {msg}", "input": limit,
            "ctx": {"le" if limit > PAGE_SIZE else "ge": bound},
        }],
        "request_body": {"filter": _as_json(event_filter), "limit": limit},
    }  # fmt: skip
    error = PrefectHTTPStatusError.of(422, "/events/filter")
    return PrefectHTTPStatusError(
        str(error).replace(repr({"detail": error.detail}), repr(body)), 422, "Invalid request received."
    )


def _as_json(value: Any) -> Any:
    """A filter as the client sends it: its fields, as JSON."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _as_json(dump())
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    return str(value)


__all__ = ["PAGE_SIZE", "EventClient"]
