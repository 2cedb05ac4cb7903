"""Annotations that change how Prefect treats a task's input (``prefect.utilities.annotations``).

- `unmapped(x)`: `Task.map` passes `x` whole to every run instead of mapping over it;
- `allow_failure(future)`: the task runs even if that upstream run failed, and
  receives the upstream's exception as the value;
- `quote(x)`: `x` is passed as it is: not searched for futures, not resolved;
- `opaque(future)`: the future is resolved, but its value is not searched further.

Each is a one-element tuple, as in Prefect, so ``x.value`` and ``x.unwrap()``
give the wrapped value back.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class BaseAnnotation(tuple, Generic[T]):  # type: ignore[type-arg]
    """Base class of Prefect's annotations: a tuple holding one value."""

    __slots__ = ()

    def __new__(cls, value: T) -> BaseAnnotation[T]:
        return super().__new__(cls, (value,))

    value: T = cast(T, property(itemgetter(0)))

    def unwrap(self) -> T:
        return cast(T, self[0])

    def rewrap(self, value: T) -> BaseAnnotation[T]:
        return type(self)(value)

    def __eq__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return False
        return super().__eq__(other)

    def __hash__(self) -> int:
        return super().__hash__()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self[0]!r})"


class unmapped(BaseAnnotation[T]):  # noqa: N801 - Prefect's names
    """Pass a value whole to every run of `Task.map`."""

    def __getitem__(self, _: object) -> T:  # type: ignore[override]
        return cast(T, super().__getitem__(0))  # an endless list of the same value


class allow_failure(BaseAnnotation[T]):  # noqa: N801
    """Let a run start even if this upstream failed; it then receives the upstream's exception."""


class quote(BaseAnnotation[T]):  # noqa: N801
    """Pass a value as it is: not searched for futures, not resolved."""

    def unquote(self) -> T:
        return self.unwrap()


class opaque(BaseAnnotation[T]):  # noqa: N801
    """Resolve the future (or state) it holds, but do not look inside the value for more."""


class NotSet:
    """Marks an argument that was not given, where None is a value."""


for _cls in (BaseAnnotation, unmapped, allow_failure, quote, opaque, NotSet):
    _cls.__module__ = "prefect.utilities.annotations"

__all__ = ["BaseAnnotation", "NotSet", "allow_failure", "opaque", "quote", "unmapped"]
