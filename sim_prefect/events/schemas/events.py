"""What an event is (``prefect.events.schemas.events``): `Event`, its `Resource` and `RelatedResource`.

An event names what happened (``"user.logged_in"``), the resource it
happened to (a dict of labels with a ``prefect.resource.id``), related
resources (each with a ``prefect.resource.role``), a payload, an id and
when it occurred; ``follows`` may name the event known to come before it.
The server hands events back as `ReceivedEvent` (with ``received``).
These are pydantic-style models (models.py) that print as Prefect's:
``Resource(root={'prefect.resource.id': 'acme.user.kiki'})``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from ...models import Check, Model
from ...session import session
from ...types import DateTime

if TYPE_CHECKING:
    import uuid


class Labelled:
    """A set of labels (pydantic's ``RootModel`` of a dict): ``Resource({...})`` or ``Resource(root={...})``."""

    def __init__(self, root: dict[str, str] | None = None, **kwargs: Any) -> None:
        labels = dict(root if root is not None else kwargs.pop("root", {}))
        self.root: dict[str, str] = labels
        self._check()

    def _check(self) -> None:
        """Refuse labels Prefect refuses (ValueError, as pydantic reports it)."""

    def keys(self) -> Iterable[str]:
        return self.root.keys()

    def items(self) -> Iterable[tuple[str, str]]:
        return self.root.items()

    def __getitem__(self, label: str) -> str:
        return self.root[label]

    def __setitem__(self, label: str, value: str) -> None:
        self.root[label] = value

    def __contains__(self, label: object) -> bool:
        return label in self.root

    def __iter__(self) -> Iterator[str]:
        return iter(self.root)

    def get(self, label: str, default: str | None = None) -> str | None:
        return self.root.get(label, default)

    def has_all_labels(self, labels: dict[str, str]) -> bool:
        return all(self.root.get(k) == v for k, v in labels.items())

    def model_dump(self, mode: str = "python") -> dict[str, str]:
        return dict(self.root)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Labelled) and other.root == self.root

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(root={self.root!r})"


class Resource(Labelled):
    """An observable business object of interest to the user"""

    def _check(self) -> None:
        if "prefect.resource.id" not in self.root:
            raise ValueError("Resources must include the prefect.resource.id label")
        if not self.root["prefect.resource.id"]:
            raise ValueError("The prefect.resource.id label must be non-empty")

    @property
    def id(self) -> str:
        return self["prefect.resource.id"]

    @property
    def name(self) -> str | None:
        return self.get("prefect.resource.name")

    def prefect_object_id(self, kind: str) -> uuid.UUID:
        import uuid

        prefix = kind if kind.endswith(".") else f"{kind}."
        if not self.id.startswith(prefix):
            raise ValueError(f"Resource ID {self.id} does not start with {prefix}")
        return uuid.UUID(self.id[len(prefix) :])


class RelatedResource(Resource):
    """A Resource with a specific role in an Event"""

    def _check(self) -> None:
        super()._check()
        if "prefect.resource.role" not in self.root:
            raise ValueError("Related Resources must include the prefect.resource.role label")
        if not self.root["prefect.resource.role"]:
            raise ValueError("The prefect.resource.role label must be non-empty")

    @property
    def role(self) -> str:
        return self["prefect.resource.role"]


class ResourceSpecification(Labelled):
    """Labels to match resources by: each value, or any of a list of values; ``*`` ends a prefix, ``!`` negates."""

    def matches(self, resource: Labelled) -> bool:
        for label, expected in self.root.items():
            wanted = [expected] if isinstance(expected, str) else list(expected)
            value = resource.get(label)
            if not any(_label_matches(candidate, value) for candidate in wanted):
                return False
        return True


def _label_matches(expected: str, value: str | None) -> bool:
    if value is None:
        return False
    positive = not expected.startswith("!")
    expected = expected.lstrip("!")
    match = value.startswith(expected[:-1]) if expected.endswith("*") else value == expected
    return match if positive else not match


def _as(kind: type[Labelled]) -> Check:
    def convert(value: Any) -> Any:
        return value if isinstance(value, kind) else kind(value)

    return convert


def _related(value: Any) -> Any:
    return [item if isinstance(item, RelatedResource) else RelatedResource(item) for item in value or []]


def as_moment(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return DateTime.at(value.timestamp())
    return value


def _event_id(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) or value is None else uuid.UUID(str(value))


class Event(Model):
    """The client-side view of an event that has happened to a Resource"""

    _before: ClassVar[dict[str, Check]] = {
        "resource": _as(Resource), "related": _related, "id": _event_id, "follows": _event_id,
    }  # fmt: skip
    _after: ClassVar[dict[str, tuple[Check, ...]]] = {"occurred": (as_moment,)}

    occurred: datetime.datetime
    event: str
    resource: Any
    related: list[Any] = []
    payload: dict[str, Any] = {}
    id: Any
    follows: Optional[Any] = None

    def __init__(self, **data: Any) -> None:
        # Prefect's defaults: now (the session's clock), and a new UUID version 7 (a draw from the session's
        # generator, made only for an event that gets no id of its own).
        if "occurred" not in data:
            data["occurred"] = DateTime.at(session().now())
        if "id" not in data:
            data["id"] = session().new_id()
        super().__init__(**data)

    @property
    def involved_resources(self) -> list[Resource]:
        return [self.resource, *self.related]

    @property
    def resource_in_role(self) -> dict[str, RelatedResource]:
        """Each role's first related resource."""
        return {related.role: related for related in reversed(self.related)}

    @property
    def resources_in_role(self) -> dict[str, list[RelatedResource]]:
        roles: dict[str, list[RelatedResource]] = {}
        for related in self.related:
            roles.setdefault(related.role, []).append(related)
        return roles

    def find_resource_label(self, label: str) -> str | None:
        """A label of the resource, or (``related:<role>:<label>``) of the first related one in that role."""
        directive, _, related_label = label.rpartition(":")
        directive, _, role = directive.partition(":")
        if directive == "related":
            for related in self.related:
                if related.role == role:
                    found: str | None = related.get(related_label)
                    return found
        own: str | None = self.resource.get(label)
        return own


class ReceivedEvent(Event):
    """The server-side view of an event that has happened to a Resource after it has been received by the server"""

    received: datetime.datetime

    _after: ClassVar[dict[str, tuple[Check, ...]]] = {"occurred": (as_moment,), "received": (as_moment,)}


for _cls in (Resource, RelatedResource, ResourceSpecification, Event, ReceivedEvent):
    _cls.__module__ = "prefect.events.schemas.events"

__all__ = ["Event", "Labelled", "as_moment", "ReceivedEvent", "RelatedResource", "Resource", "ResourceSpecification"]
