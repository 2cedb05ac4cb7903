"""What every part of the client stands on: the session's store, and the clock to stamp what it writes."""

from __future__ import annotations

from typing import Any, TypeVar

from ...exceptions import PrefectHTTPStatusError
from ...session import Session, session
from ...store import Store

T = TypeVar("T")
DEFAULT_LIMIT = 200  # PREFECT_SERVER_API_DEFAULT_LIMIT: what a read gives when no limit is asked, and its most


def paged(items: list[T], limit: int | None, offset: int | None, path: str) -> list[T]:
    """One page of a read, as Prefect's server cuts it (and refuses a limit above its default, with a 422)."""
    if limit is None:
        limit = DEFAULT_LIMIT
    if limit < 0:
        raise PrefectHTTPStatusError.of(422, path, "Invalid limit: must be greater than or equal to 0.")
    if limit > DEFAULT_LIMIT:
        raise PrefectHTTPStatusError.of(422, path, f"Invalid limit: must be less than or equal to {DEFAULT_LIMIT}.")
    start = offset or 0
    return items[start : start + limit]


class BaseClient:
    """A client of the session's server (store.py). Use it in a ``with`` (sync) or ``async with`` block."""

    def __init__(self, session: Session | None = None) -> None:
        self._session = session

    @property
    def session(self) -> Session:
        return self._session or session()  # the current session, unless one was given

    @property
    def store(self) -> Store:
        return self.session.store

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


__all__ = ["DEFAULT_LIMIT", "BaseClient", "paged"]
