"""The client's methods for one part of Prefect's API: Global and tag concurrency limits.

Prefect keeps them in ``prefect/client/orchestration/_concurrency_limits/client.py``; the
async client (``get_client()``) gets the same methods as coroutines. Since
Prefect 3.4.19 a tag's limit is a global limit named ``tag:<tag>``; the tag
methods (``create_concurrency_limit(tag=, concurrency_limit=)``, ...) read and
write those, and show them as Prefect's first API did (`ConcurrencyLimit`).
"""

from __future__ import annotations

from typing import Any

from ... import store
from ...concurrency.slots import book_of
from ...exceptions import ObjectAlreadyExists, ObjectNotFound
from ..base import PrefectResponse
from ..schemas.actions import ConcurrencyLimitCreate, GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from ..schemas.objects import ConcurrencyLimit
from ..schemas.responses import GlobalConcurrencyLimitResponse
from .base import BaseClient, paged


def _tag(tag: str) -> str:
    return f"tag:{tag}"


def _found(records: store.Store, name: str) -> store.ConcurrencyLimit:
    record = records.limits.get(name)
    if record is None:
        raise ObjectNotFound()  # the server's 404
    return record


# The methods share these functions, not each other: the async client's methods are coroutines.


def _create(client: BaseClient, concurrency_limit: GlobalConcurrencyLimitCreate) -> Any:
    import uuid  # when first needed: it costs the page's first boot

    if concurrency_limit.name in client.store.limits:
        raise ObjectAlreadyExists()  # the server's 409
    now = client.session.now()
    record = store.ConcurrencyLimit(
        client.session.new_id(), concurrency_limit.name, concurrency_limit.limit, now, now,
        active=concurrency_limit.active is not False, active_slots=concurrency_limit.active_slots or 0,
        slot_decay_per_second=concurrency_limit.slot_decay_per_second or 0.0,
    )  # fmt: skip
    client.store.limits[record.name] = record
    return uuid.UUID(record.id)


def _update(client: BaseClient, name: str, concurrency_limit: GlobalConcurrencyLimitUpdate) -> PrefectResponse:
    record = _found(client.store, name)
    changes = {k: v for k, v in concurrency_limit.model_dump(exclude_unset=True).items() if v is not None}
    if "name" in changes and changes["name"] != name:
        client.store.limits[changes["name"]] = client.store.limits.pop(name)
    for key, value in changes.items():
        setattr(record, key, value)
    record.updated = client.session.now()
    book_of(client.store).serve(record.updated)  # a larger limit, or an inactive one, lets waiters in
    return PrefectResponse(204)


class ConcurrencyLimitClient(BaseClient):
    """Global and tag concurrency limits."""

    # -- global limits -----------------------------------------------------------------------
    def create_global_concurrency_limit(self, concurrency_limit: GlobalConcurrencyLimitCreate) -> Any:
        """A new limit; its id (a UUID). ObjectAlreadyExists if one has that name."""
        return _create(self, concurrency_limit)

    def update_global_concurrency_limit(self, name: str, concurrency_limit: GlobalConcurrencyLimitUpdate) -> PrefectResponse:
        return _update(self, name, concurrency_limit)

    def delete_global_concurrency_limit_by_name(self, name: str) -> PrefectResponse:
        _found(self.store, name)
        del self.store.limits[name]
        return PrefectResponse(204)

    def read_global_concurrency_limit_by_name(self, name: str) -> GlobalConcurrencyLimitResponse:
        return GlobalConcurrencyLimitResponse.of(_found(self.store, name))

    def read_global_concurrency_limits(self, limit: int = 10, offset: int = 0) -> list[GlobalConcurrencyLimitResponse]:
        records = sorted(self.store.limits.values(), key=lambda r: r.name)  # the server's order: by name
        return [GlobalConcurrencyLimitResponse.of(r) for r in paged(records, limit, offset, "/v2/concurrency_limits/filter")]

    def upsert_global_concurrency_limit_by_name(self, name: str, limit: int, slot_decay_per_second: float | None = None) -> None:
        """Create the limit, or change its size (and decay) if it exists with others."""
        existing = self.store.limits.get(name)
        if existing is None:
            create: dict[str, Any] = {"name": name, "limit": limit}
            if slot_decay_per_second is not None:
                create["slot_decay_per_second"] = slot_decay_per_second
            _create(self, GlobalConcurrencyLimitCreate(**create))
        elif existing.limit != limit or (slot_decay_per_second is not None and existing.slot_decay_per_second != slot_decay_per_second):
            update: dict[str, Any] = {"limit": limit}
            if slot_decay_per_second is not None:
                update["slot_decay_per_second"] = slot_decay_per_second
            _update(self, name, GlobalConcurrencyLimitUpdate(**update))

    # -- tag limits: global limits named "tag:<tag>" -----------------------------------------------
    def create_concurrency_limit(self, tag: str, concurrency_limit: int) -> Any:
        """A limit on the task runs tagged `tag` running at once (or a new size for the one there is); its id."""
        import uuid  # when first needed: it costs the page's first boot

        action = ConcurrencyLimitCreate(tag=tag, concurrency_limit=concurrency_limit)
        existing = self.store.limits.get(_tag(action.tag))
        if existing is not None:
            _update(self, existing.name, GlobalConcurrencyLimitUpdate(limit=action.concurrency_limit))
            return uuid.UUID(existing.id)
        return _create(self, GlobalConcurrencyLimitCreate(name=_tag(action.tag), limit=action.concurrency_limit))

    def read_concurrency_limit_by_tag(self, tag: str) -> ConcurrencyLimit:
        return ConcurrencyLimit.of(_found(self.store, _tag(tag)))

    def read_concurrency_limits(self, limit: int, offset: int) -> list[ConcurrencyLimit]:
        """As the server reads them: the first `limit + offset` global limits by name, the tags' among them, then
        the page (so a small limit can find no tag's limit at all, as Prefect's `concurrency-limit ls --limit 1`)."""
        paged([], limit, offset, "/concurrency_limits/filter")  # the server's checks of the limit
        first = sorted(self.store.limits.values(), key=lambda r: r.name)[: limit + offset]
        tagged = [r for r in first if r.name.startswith("tag:")]
        return [ConcurrencyLimit.of(r) for r in tagged[offset : offset + limit]]

    def reset_concurrency_limit_by_tag(self, tag: str, slot_override: list[Any] | None = None) -> None:
        """Free the tag's slots (or hand them to `slot_override`'s task runs)."""
        record = _found(self.store, _tag(tag))
        holders = [str(slot) for slot in slot_override or []]
        now = self.session.now()
        record.active_slots, record.holders, record.updated = len(holders), holders, now
        book_of(self.store).serve(now)

    def delete_concurrency_limit_by_tag(self, tag: str) -> None:
        _found(self.store, _tag(tag))
        del self.store.limits[_tag(tag)]


__all__ = ["ConcurrencyLimitClient"]
