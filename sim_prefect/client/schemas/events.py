"""A page of events, as ``client.read_events`` returns it (``prefect.client.schemas.events``)."""

from __future__ import annotations

from typing import Any

from ...models import Model


class EventPage(Model):
    """a single page of events returned from the API"""

    events: list[Any]
    total: int
    next_page: Any = None  # the URL for the next page of results, if there are more

    async def get_next_page(self, client: Any) -> EventPage | None:
        """The next page, or None if this is the last (``await page.get_next_page(client)``)."""
        if not self.next_page:
            return None
        page: EventPage = await client.read_events_page(self.next_page)
        return page

    def get_next_page_sync(self, client: Any) -> EventPage | None:
        if not self.next_page:
            return None
        page: EventPage = client.read_events_page(self.next_page)
        return page


EventPage.__module__ = "prefect.client.schemas.events"

__all__ = ["EventPage"]
