"""The orders the client's reads take (``prefect.client.schemas.sorting``): Prefect's members and values.

Each member's value is its name, and it prints as ``FlowRunSort.START_TIME_ASC``,
as Prefect's ``AutoEnum`` does. What each order means is the server's, and
lives with the reads (client/orchestration).
"""

from __future__ import annotations

import enum


class _AutoEnum(str, enum.Enum):
    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__


class FlowRunSort(_AutoEnum):
    """Defines flow run sorting options."""

    ID_DESC = "ID_DESC"
    START_TIME_ASC = "START_TIME_ASC"
    START_TIME_DESC = "START_TIME_DESC"
    EXPECTED_START_TIME_ASC = "EXPECTED_START_TIME_ASC"
    EXPECTED_START_TIME_DESC = "EXPECTED_START_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    NEXT_SCHEDULED_START_TIME_ASC = "NEXT_SCHEDULED_START_TIME_ASC"
    END_TIME_DESC = "END_TIME_DESC"


class TaskRunSort(_AutoEnum):
    """Defines task run sorting options."""

    ID_DESC = "ID_DESC"
    EXPECTED_START_TIME_ASC = "EXPECTED_START_TIME_ASC"
    EXPECTED_START_TIME_DESC = "EXPECTED_START_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    NEXT_SCHEDULED_START_TIME_ASC = "NEXT_SCHEDULED_START_TIME_ASC"
    END_TIME_DESC = "END_TIME_DESC"
    DURATION_DESC = "DURATION_DESC"
    DURATION_ASC = "DURATION_ASC"


class LogSort(_AutoEnum):
    """Defines log sorting options."""

    TIMESTAMP_ASC = "TIMESTAMP_ASC"
    TIMESTAMP_DESC = "TIMESTAMP_DESC"


class FlowSort(_AutoEnum):
    """Defines flow sorting options."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class DeploymentSort(_AutoEnum):
    """Defines deployment sorting options."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    CONCURRENCY_LIMIT_ASC = "CONCURRENCY_LIMIT_ASC"
    CONCURRENCY_LIMIT_DESC = "CONCURRENCY_LIMIT_DESC"


class ArtifactSort(_AutoEnum):
    """Defines artifact sorting options."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    ID_DESC = "ID_DESC"
    KEY_DESC = "KEY_DESC"
    KEY_ASC = "KEY_ASC"


for _cls in (FlowRunSort, TaskRunSort, LogSort, FlowSort, DeploymentSort, ArtifactSort):
    _cls.__module__ = "prefect.client.schemas.sorting"

__all__ = ["ArtifactSort", "DeploymentSort", "FlowRunSort", "FlowSort", "LogSort", "TaskRunSort"]
