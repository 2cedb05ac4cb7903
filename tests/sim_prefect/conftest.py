"""Fixtures for sim_prefect's unit tests: a fresh deterministic session per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import sim_prefect
from sim_prefect.run_events import Event, LogEmitted
from sim_prefect.formatting import format_record


class Recorder:
    """Every event of the session, and its log records as Prefect's lines."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    @property
    def logs(self) -> list[LogEmitted]:
        return [e for e in self.events if isinstance(e, LogEmitted)]

    def lines(self) -> list[str]:
        """Log lines without their timestamps (messages only, tracebacks included)."""
        return [format_record(e).split(" | ", 1)[1] for e in self.logs]

    def messages(self) -> list[str]:
        return [e.message for e in self.logs]


@pytest.fixture
def sim() -> Iterator[Recorder]:
    """A fresh deterministic session (virtual clock, seeded names), no terminal output."""
    session = sim_prefect.configure("deterministic", terminal=False)
    recorder = Recorder()
    session.bus.subscribe(recorder)
    yield recorder
    sim_prefect.configure("deterministic", terminal=False)
