"""A deployment's schedules, as ``to_deployment`` and ``serve`` make them (``prefect.deployments.schedules``).

``interval=``, ``cron=`` and ``rrule=`` (each a value or a list of values),
``schedule=`` (a ``prefect.schedules.Schedule``) and ``schedules=`` (a list of
them, of ``prefect.client.schemas.schedules`` objects, or of dicts) all become
`DeploymentScheduleCreate`s: the schedule itself, whether it is active, its
parameters and its slug; only one of the five may be given. `to_json` gives
the form the store keeps (server/deployments.py reads it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import _msgs
from ..client.schemas.schedules import (
    SCHEDULE_TYPES,
    construct_schedule,
    is_schedule_type,
    normalize_rrule_string,
    RRuleSchedule,
)
from ..schedules import Schedule


@dataclass
class DeploymentScheduleCreate:
    """One schedule of a deployment to be made: when, whether it is active, its parameters and its slug."""

    schedule: SCHEDULE_TYPES
    active: bool = True
    max_scheduled_runs: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    slug: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.schedule, RRuleSchedule):  # Prefect anchors a rule without DTSTART when it is made
            self.schedule = RRuleSchedule(normalize_rrule_string(self.schedule.rrule, self.schedule.timezone),
                                          self.schedule.timezone)  # fmt: skip

    @classmethod
    def from_schedule(cls, schedule: Schedule) -> DeploymentScheduleCreate:
        if schedule.interval is not None:
            made: SCHEDULE_TYPES = construct_schedule(interval=schedule.interval, anchor_date=schedule.anchor_date,
                                                      timezone=schedule.timezone)  # fmt: skip
        elif schedule.cron is not None:
            made = construct_schedule(cron=schedule.cron, timezone=schedule.timezone)
            made.day_or = schedule.day_or  # type: ignore[union-attr]
        else:
            assert schedule.rrule is not None
            made = construct_schedule(rrule=schedule.rrule, timezone=schedule.timezone)
        return cls(made, schedule.active, None, dict(schedule.parameters), schedule.slug)

    def to_json(self) -> dict[str, Any]:
        return {"schedule": self.schedule.to_dict(), "active": self.active, "parameters": dict(self.parameters),
                "slug": self.slug, "max_scheduled_runs": self.max_scheduled_runs}  # fmt: skip


def create_deployment_schedule_create(schedule: SCHEDULE_TYPES | Schedule, active: bool | None = True) -> DeploymentScheduleCreate:
    if isinstance(schedule, Schedule):
        return DeploymentScheduleCreate.from_schedule(schedule)
    return DeploymentScheduleCreate(schedule, active if active is not None else True)


def normalize_to_deployment_schedule(schedules: Sequence[Any] | None) -> list[DeploymentScheduleCreate]:
    normalized: list[DeploymentScheduleCreate] = []
    for item in schedules or []:
        if is_schedule_type(item) or isinstance(item, Schedule):
            normalized.append(create_deployment_schedule_create(item))
        elif isinstance(item, dict):
            normalized.append(create_deployment_schedule_create(**item))
        elif isinstance(item, DeploymentScheduleCreate):
            normalized.append(item)
        else:
            raise ValueError(_msgs.INVALID_SCHEDULE)
    return normalized


def construct_deployment_schedules(
    interval: Any = None, cron: Any = None, rrule: Any = None, schedule: Any = None, schedules: Any = None,
) -> list[DeploymentScheduleCreate]:  # fmt: skip
    """The schedules from ``interval=``, ``cron=``, ``rrule=``, ``schedule=`` or ``schedules=`` (one of them)."""
    given = [entry for entry in (interval, cron, rrule, schedule, schedules) if entry is not None]
    if len(given) > 1:
        raise ValueError(_msgs.ONE_SCHEDULE_KIND)
    if not given:
        return []
    if schedules is not None:
        return normalize_to_deployment_schedule(schedules)
    if schedule is not None:
        return [create_deployment_schedule_create(schedule)]
    kind, value = next((k, v) for k, v in (("interval", interval), ("cron", cron), ("rrule", rrule)) if v is not None)
    values: Iterable[Any] = value if isinstance(value, (list, tuple, set)) else [value]
    return [create_deployment_schedule_create(construct_schedule(**{kind: v})) for v in values]


DeploymentScheduleCreate.__module__ = "prefect.client.schemas.actions"

__all__ = [
    "DeploymentScheduleCreate", "construct_deployment_schedules", "create_deployment_schedule_create",
    "normalize_to_deployment_schedule",
]  # fmt: skip
