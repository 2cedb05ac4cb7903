"""The client's methods for one part of Prefect's API: logs (read_logs).

Prefect keeps them in ``prefect/client/orchestration/_logs/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.

Prefect's API keeps the lines of its run loggers (``prefect.flow_runs``,
``prefect.task_runs``) that belong to a flow run: a line outside any flow
run is not sent (Python's warning says so), nor are other loggers' lines.
A line with a traceback keeps it in its message, as Prefect's handler
formats it. The default order is the server's ``TIMESTAMP_ASC``.
"""

from __future__ import annotations

from ..schemas.filters import LogFilter
from ..schemas.objects import Log
from ..schemas.sorting import LogSort
from ._flow_runs import checked, ordered
from .base import BaseClient, paged

_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
_LOG_ORDERS = {
    LogSort.TIMESTAMP_ASC: [(lambda line: line.timestamp, False)],
    LogSort.TIMESTAMP_DESC: [(lambda line: line.timestamp, True)],
}


class LogClient(BaseClient):
    """Logs (read_logs)."""

    def read_logs(
        self,
        log_filter: LogFilter | None = None,
        limit: int | None = None,
        offset: int | None = None,
        sort: LogSort | None = None,
    ) -> list[Log]:
        checked(log_filter, LogFilter, "log_filter")
        lines = self._api_logs()
        if log_filter is not None:
            lines = [line for line in lines if log_filter.includes(line)]
        # Lines of one moment (a browser's clock moves by whole milliseconds) keep the order they were logged
        # in, newest first when the newest come first, as lines a moment apart would.
        order = _LOG_ORDERS[LogSort(sort or LogSort.TIMESTAMP_ASC)]
        position = {id(line): i for i, line in enumerate(lines)}
        by_arrival = (lambda line: position[id(line)], order[-1][1])
        return paged(ordered(lines, [*order, by_arrival]), limit, offset, "/logs/filter")

    def _api_logs(self) -> list[Log]:
        """The lines Prefect's API handler would have sent: a run logger's, within a flow run."""
        server = self.store
        lines = []
        for index, log in enumerate(server.logs):
            if log.logger not in _RUN_LOGGERS or log.run_id is None:
                continue
            flow_run_id: str | None = log.run_id
            if log.run_kind == "task":
                record = server.find(log.run_id)
                flow_run_id = record.flow_run_id if record is not None else None
            if flow_run_id is not None:
                lines.append(Log.from_record(index, log, flow_run_id))
        return lines


__all__ = ["LogClient"]
