"""The filters the client's reads take (``prefect.client.schemas.filters``).

``client.read_flow_runs(flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
type=FlowRunFilterStateType(any_=[StateType.FAILED]))))``: each filter is a
pydantic-style model (models.py) with Prefect's name, fields and defaults, so
a plain dict works wherever Prefect takes one (``FlowRunFilter(id={"any_":
ids})``) and a wrong value fails with pydantic's ``ValidationError``.

Prefect's server turns a filter into SQL; here a filter decides on the
objects the client returns (`Filter.includes`), with the server's meaning:
a *leaf* (``FlowRunFilterName``) tests one attribute with its operator
fields (``any_``, ``not_any_``, ``all_``, ``like_``, ``is_null_``, ``ge_``,
``le_``, ``before_``, ``after_``, ``exists_``), as SQL would (a missing value
is in no list and outside every range); a *group* (``FlowRunFilterState``,
``FlowRunFilter``) combines what is set in it with its ``operator``, ``and_``
by default. A filter with nothing set lets everything through, as Prefect's.
"""

from __future__ import annotations

import datetime
import enum
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Optional

from ...models import Model, ValidationError
from ...states import StateType
from ...types import DateTime
from ...validation import Error, Invalid

if typing.TYPE_CHECKING:
    import uuid


class Operator(str, enum.Enum):
    """How a filter combines what is set in it."""

    and_ = "and_"
    or_ = "or_"

    def __repr__(self) -> str:  # Prefect's AutoEnum
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__


# What a field holds beyond its type (validation.py reads the type; these convert after it).
_UUIDS = "uuids"
_TIME = "time"
UUIDs = Annotated[Optional[list[Any]], _UUIDS]
Time = Annotated[Optional[datetime.datetime], _TIME]


def _as_uuid(value: Any, loc: tuple[Any, ...]) -> uuid.UUID:
    import uuid  # when first needed: importing it costs the page's first boot

    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Invalid([Error("uuid_parsing", loc, f"Input should be a valid UUID, {exc}", value, {"error": str(exc)})]) from None


def _as_time(value: datetime.datetime) -> DateTime:
    if value.tzinfo is None:  # Prefect's DateTime takes a naive time as UTC
        value = value.replace(tzinfo=datetime.timezone.utc)
    return DateTime.at(value.timestamp())


def _key(value: Any) -> Any:
    """A value as compared: ids as text, enums by value (the API's JSON form)."""
    if isinstance(value, enum.Enum):
        return value.value
    if type(value).__name__ == "UUID":
        return str(value)
    return value


def _in(value: Any, operand: list[Any]) -> bool:
    allowed = {_key(x) for x in operand}
    if isinstance(value, list):  # tags: any in common
        return any(_key(v) in allowed for v in value)
    return value is not None and _key(value) in allowed


def text_matches(text: str, query: str) -> bool:
    """Prefect's log text search: any plain term, none of the ``-`` or ``!`` terms, every ``+`` term;
    ``"quoted phrases"``; case-insensitive, over the message and the logger's name."""
    text = text.lower()
    include: list[str] = []
    exclude: list[str] = []
    required: list[str] = []
    for prefix, quoted, bare in re.findall(r'(?:(?<!\S)([-!+])(?=\S))?(?:"((?:[^"\\]|\\.)*)"?|(\S+))', query):
        term = (quoted if quoted else bare).lower()
        if not term:
            continue
        (exclude if prefix in ("-", "!") else required if prefix == "+" else include).append(term)
    if include and not any(t in text for t in include):
        return False
    return not any(t in text for t in exclude) and all(t in text for t in required)


# Each operator field: does the object's value pass it? (value, operand) -> bool, as SQL decides.
_OPERATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "any_": _in,
    "not_any_": lambda value, operand: value is not None and not _in(value, operand),
    "all_": lambda value, operand: {_key(x) for x in operand} <= {_key(v) for v in value or []},
    "is_null_": lambda value, operand: (value is None or value == []) == operand,
    "like_": lambda value, operand: value is not None and operand.lower() in str(value).lower(),
    "ge_": lambda value, operand: value is not None and value >= operand,
    "le_": lambda value, operand: value is not None and value <= operand,
    "before_": lambda value, operand: value is not None and value <= operand,
    "after_": lambda value, operand: value is not None and value >= operand,
    "exists_": lambda value, operand: (value is not None) == operand,
    "id_": lambda value, operand: value is not None and _in(getattr(value, "id", None), operand),
    "type_": lambda value, operand: value is not None and _in(getattr(value, "type", None), operand),
    "query": lambda value, operand: text_matches(value or "", operand),
}


class Filter(Model):
    """A filter: a leaf (it names `_attr`, the attribute it tests) or a group of filters."""

    _attr: ClassVar[str | None] = None

    @classmethod
    def _validate_field(cls, name: str, info: Any, value: Any) -> Any:
        nested = _nested_filter(info.annotation)
        if nested is not None and isinstance(value, dict):
            try:
                value = nested(**value)
            except ValidationError as exc:
                raise Invalid([Error(e["type"], e["loc"], e["msg"], e["input"], e.get("ctx")) for e in exc.errors()]) from None
        elif nested is not None and value is not None and not isinstance(value, nested):
            raise Invalid([Error(
                "model_type", (), f"Input should be a valid dictionary or instance of {nested.__name__}", value,
                {"class_name": nested.__name__},
            )])  # fmt: skip
        value = super()._validate_field(name, info, value)
        marks = typing.get_args(info.annotation)[1:] if typing.get_origin(info.annotation) is Annotated else ()
        if value is not None and _UUIDS in marks:
            value = [_as_uuid(v, (i,)) for i, v in enumerate(value)]
        elif value is not None and _TIME in marks:
            value = _as_time(value)
        return value

    def _criteria(self, obj: Any) -> list[bool]:
        """What each field that is set says about `obj`."""
        if self._attr is None:  # a group: its filters
            return [f.includes(obj) for f in self._set_values() if isinstance(f, Filter)]
        value = getattr(obj, self._attr, None)
        return [_OPERATIONS[name](value, operand) for name, operand in self._set_fields() if name != "operator"]

    def _set_fields(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields if getattr(self, name) is not None]

    def _set_values(self) -> list[Any]:
        return [value for _, value in self._set_fields()]

    def includes(self, obj: Any) -> bool:
        """Whether `obj` passes this filter (everything passes a filter with nothing set)."""
        criteria = self._criteria(obj)
        if not criteria:
            return True
        return any(criteria) if getattr(self, "operator", Operator.and_) == Operator.or_ else all(criteria)


def _nested_filter(annotation: Any) -> type[Filter] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Filter):
            return candidate
    return None


class _Operated(Filter):
    """A filter whose parts are combined by `operator` (Prefect's ``OperatorMixin``)."""

    operator: Operator = Operator.and_


class _Strict(Filter):
    """The flow-run filters refuse fields they do not have (pydantic's ``extra="forbid"``)."""

    _extra: ClassVar[typing.Literal["ignore", "forbid", "allow"]] = "forbid"


class _StrictOperated(_Operated):
    _extra: ClassVar[typing.Literal["ignore", "forbid", "allow"]] = "forbid"


# -- flows ------------------------------------------------------------------------------------


class FlowFilterId(Filter):
    """Filter by `Flow.id`."""

    _attr = "id"
    any_: UUIDs = None


class FlowFilterName(Filter):
    """Filter by `Flow.name`."""

    _attr = "name"
    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowFilterTags(_Operated):
    """Filter by `Flow.tags`."""

    _attr = "tags"
    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowFilter(_Operated):
    """Filter for flows. Only flows matching all criteria will be returned."""

    id: Optional[FlowFilterId] = None
    name: Optional[FlowFilterName] = None
    tags: Optional[FlowFilterTags] = None


# -- flow runs --------------------------------------------------------------------------------


class FlowRunFilterId(_Strict):
    """Filter by FlowRun.id."""

    _attr = "id"
    any_: UUIDs = None
    not_any_: UUIDs = None


class FlowRunFilterName(_Strict):
    """Filter by `FlowRun.name`."""

    _attr = "name"
    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class FlowRunFilterTags(_StrictOperated):
    """Filter by `FlowRun.tags`."""

    _attr = "tags"
    all_: Optional[list[str]] = None
    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterDeploymentId(_StrictOperated):
    """Filter by `FlowRun.deployment_id`."""

    _attr = "deployment_id"
    any_: UUIDs = None
    is_null_: Optional[bool] = None


class FlowRunFilterWorkQueueName(_StrictOperated):
    """Filter by `FlowRun.work_queue_name`."""

    _attr = "work_queue_name"
    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilterStateType(_Strict):
    """Filter by `FlowRun.state_type`."""

    _attr = "state_type"
    any_: Optional[list[StateType]] = None
    not_any_: Optional[list[StateType]] = None


class FlowRunFilterStateName(_Strict):
    _attr = "state_name"
    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterState(_StrictOperated):
    type: Optional[FlowRunFilterStateType] = None
    name: Optional[FlowRunFilterStateName] = None


class FlowRunFilterFlowVersion(_Strict):
    """Filter by `FlowRun.flow_version`."""

    _attr = "flow_version"
    any_: Optional[list[str]] = None


class FlowRunFilterStartTime(_Strict):
    """Filter by `FlowRun.start_time`."""

    _attr = "start_time"
    before_: Time = None
    after_: Time = None
    is_null_: Optional[bool] = None


class FlowRunFilterEndTime(_Strict):
    """Filter by `FlowRun.end_time`."""

    _attr = "end_time"
    before_: Time = None
    after_: Time = None
    is_null_: Optional[bool] = None


class FlowRunFilterExpectedStartTime(_Strict):
    """Filter by `FlowRun.expected_start_time`."""

    _attr = "expected_start_time"
    before_: Time = None
    after_: Time = None


class FlowRunFilterNextScheduledStartTime(_Strict):
    """Filter by `FlowRun.next_scheduled_start_time`."""

    _attr = "next_scheduled_start_time"
    before_: Time = None
    after_: Time = None


class FlowRunFilterParentFlowRunId(_StrictOperated):
    """Filter for subflows of the given flow runs"""

    _attr = "_parent_flow_run_id"
    any_: UUIDs = None


class FlowRunFilterParentTaskRunId(_StrictOperated):
    """Filter by `FlowRun.parent_task_run_id`."""

    _attr = "parent_task_run_id"
    any_: UUIDs = None
    is_null_: Optional[bool] = None


class FlowRunFilterIdempotencyKey(_Strict):
    """Filter by FlowRun.idempotency_key."""

    _attr = "idempotency_key"
    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class FlowRunFilterCreatedBy(_StrictOperated):
    """Filter by `FlowRun.created_by`."""

    _attr = "created_by"
    id_: UUIDs = None
    type_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class FlowRunFilter(_StrictOperated):
    """Filter flow runs. Only flow runs matching all criteria will be returned"""

    id: Optional[FlowRunFilterId] = None
    name: Optional[FlowRunFilterName] = None
    tags: Optional[FlowRunFilterTags] = None
    deployment_id: Optional[FlowRunFilterDeploymentId] = None
    work_queue_name: Optional[FlowRunFilterWorkQueueName] = None
    state: Optional[FlowRunFilterState] = None
    flow_version: Optional[FlowRunFilterFlowVersion] = None
    start_time: Optional[FlowRunFilterStartTime] = None
    end_time: Optional[FlowRunFilterEndTime] = None
    expected_start_time: Optional[FlowRunFilterExpectedStartTime] = None
    next_scheduled_start_time: Optional[FlowRunFilterNextScheduledStartTime] = None
    parent_flow_run_id: Optional[FlowRunFilterParentFlowRunId] = None
    parent_task_run_id: Optional[FlowRunFilterParentTaskRunId] = None
    idempotency_key: Optional[FlowRunFilterIdempotencyKey] = None
    created_by: Optional[FlowRunFilterCreatedBy] = None


# -- task runs --------------------------------------------------------------------------------


class TaskRunFilterFlowRunId(Filter):
    """Filter by `TaskRun.flow_run_id`."""

    _attr = "flow_run_id"
    any_: UUIDs = None
    is_null_: bool = False

    def _criteria(self, obj: Any) -> list[bool]:
        # The server's reading: is_null_ False with no ids means "has a flow run" (the default does filter).
        value = getattr(obj, "flow_run_id", None)
        if self.is_null_:
            return [value is None]
        if self.any_ is None:
            return [value is not None]
        return [_in(value, self.any_)]


class TaskRunFilterId(Filter):
    """Filter by `TaskRun.id`."""

    _attr = "id"
    any_: UUIDs = None


class TaskRunFilterName(Filter):
    """Filter by `TaskRun.name`."""

    _attr = "name"
    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class TaskRunFilterTags(_Operated):
    """Filter by `TaskRun.tags`."""

    _attr = "tags"
    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class TaskRunFilterStateType(Filter):
    """Filter by `TaskRun.state_type`."""

    _attr = "state_type"
    any_: Optional[list[StateType]] = None


class TaskRunFilterStateName(Filter):
    _attr = "state_name"
    any_: Optional[list[str]] = None


class TaskRunFilterState(_Operated):
    type: Optional[TaskRunFilterStateType] = None
    name: Optional[TaskRunFilterStateName] = None


class TaskRunFilterSubFlowRuns(Filter):
    """Filter by `TaskRun.subflow_run`."""

    _attr = "_subflow_run"
    exists_: Optional[bool] = None


class TaskRunFilterStartTime(Filter):
    """Filter by `TaskRun.start_time`."""

    _attr = "start_time"
    before_: Time = None
    after_: Time = None
    is_null_: Optional[bool] = None


class TaskRunFilterEndTime(Filter):
    """Filter by `TaskRun.end_time`."""

    _attr = "end_time"
    before_: Time = None
    after_: Time = None
    is_null_: Optional[bool] = None


class TaskRunFilter(_Operated):
    """Filter task runs. Only task runs matching all criteria will be returned"""

    id: Optional[TaskRunFilterId] = None
    name: Optional[TaskRunFilterName] = None
    tags: Optional[TaskRunFilterTags] = None
    state: Optional[TaskRunFilterState] = None
    start_time: Optional[TaskRunFilterStartTime] = None
    end_time: Optional[TaskRunFilterEndTime] = None
    subflow_runs: Optional[TaskRunFilterSubFlowRuns] = None
    flow_run_id: Optional[TaskRunFilterFlowRunId] = None


# -- deployments ------------------------------------------------------------------------------


class DeploymentFilterId(Filter):
    """Filter by `Deployment.id`."""

    _attr = "id"
    any_: UUIDs = None
    not_any_: UUIDs = None


class DeploymentFilterName(Filter):
    """Filter by `Deployment.name`."""

    _attr = "name"
    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class DeploymentFilterWorkQueueName(Filter):
    """Filter by `Deployment.work_queue_name`."""

    _attr = "work_queue_name"
    any_: Optional[list[str]] = None


class DeploymentFilterTags(_Operated):
    """Filter by `Deployment.tags`."""

    _attr = "tags"
    all_: Optional[list[str]] = None
    any_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class DeploymentFilterConcurrencyLimit(Filter):
    """DEPRECATED: Prefect's server ignores it (the limit moved to a relationship), and so does this."""

    ge_: Optional[int] = None
    le_: Optional[int] = None
    is_null_: Optional[bool] = None

    def _criteria(self, obj: Any) -> list[bool]:
        return []


class DeploymentFilter(_Operated):
    """Filter for deployments. Only deployments matching all criteria will be returned."""

    id: Optional[DeploymentFilterId] = None
    name: Optional[DeploymentFilterName] = None
    tags: Optional[DeploymentFilterTags] = None
    work_queue_name: Optional[DeploymentFilterWorkQueueName] = None
    concurrency_limit: Optional[DeploymentFilterConcurrencyLimit] = None


# -- logs -------------------------------------------------------------------------------------


class LogFilterName(Filter):
    """Filter by `Log.name`."""

    _attr = "name"
    any_: Optional[list[str]] = None


class LogFilterLevel(Filter):
    """Filter by `Log.level`."""

    _attr = "level"
    ge_: Optional[int] = None
    le_: Optional[int] = None


class LogFilterTimestamp(Filter):
    """Filter by `Log.timestamp`."""

    _attr = "timestamp"
    before_: Time = None
    after_: Time = None


class LogFilterFlowRunId(Filter):
    """Filter by `Log.flow_run_id`."""

    _attr = "flow_run_id"
    any_: UUIDs = None


class LogFilterTaskRunId(Filter):
    """Filter by `Log.task_run_id`."""

    _attr = "task_run_id"
    any_: UUIDs = None


class LogFilterTextSearch(Filter):
    """Filter by text search across log content."""

    _attr = "_searchable_text"
    query: str


class LogFilter(_Operated):
    """Filter logs. Only logs matching all criteria will be returned"""

    level: Optional[LogFilterLevel] = None
    timestamp: Optional[LogFilterTimestamp] = None
    flow_run_id: Optional[LogFilterFlowRunId] = None
    task_run_id: Optional[LogFilterTaskRunId] = None
    text: Optional[LogFilterTextSearch] = None


# -- artifacts --------------------------------------------------------------------------------


class ArtifactFilterId(Filter):
    """Filter by `Artifact.id`."""

    _attr = "id"
    any_: UUIDs = None


class ArtifactFilterKey(Filter):
    """Filter by `Artifact.key`."""

    _attr = "key"
    any_: Optional[list[str]] = None
    like_: Optional[str] = None
    exists_: Optional[bool] = None


class ArtifactFilterFlowRunId(Filter):
    """Filter by `Artifact.flow_run_id`."""

    _attr = "flow_run_id"
    any_: UUIDs = None


class ArtifactFilterTaskRunId(Filter):
    """Filter by `Artifact.task_run_id`."""

    _attr = "task_run_id"
    any_: UUIDs = None


class ArtifactFilterType(Filter):
    """Filter by `Artifact.type`."""

    _attr = "type"
    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class ArtifactFilter(_Operated):
    """Filter artifacts. Only artifacts matching all criteria will be returned"""

    id: Optional[ArtifactFilterId] = None
    key: Optional[ArtifactFilterKey] = None
    flow_run_id: Optional[ArtifactFilterFlowRunId] = None
    task_run_id: Optional[ArtifactFilterTaskRunId] = None
    type: Optional[ArtifactFilterType] = None


_FILTERS = [cls for cls in list(globals().values()) if isinstance(cls, type) and issubclass(cls, Filter)]
for _cls in (*_FILTERS, Operator):
    _cls.__module__ = "prefect.client.schemas.filters"

__all__ = ["Filter", "Operator", "text_matches", *sorted(c.__name__ for c in _FILTERS if not c.__name__.startswith("_") and c is not Filter)]
