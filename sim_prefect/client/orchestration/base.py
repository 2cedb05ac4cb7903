"""What every part of the client stands on: the session's store, and the clock to stamp what it writes."""

from __future__ import annotations

from typing import Any

from ...session import Session, session
from ...store import Store


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


__all__ = ["BaseClient"]
