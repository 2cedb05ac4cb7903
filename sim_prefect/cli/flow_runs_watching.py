"""Following a flow run until it ends (Prefect's ``prefect/cli/flow_runs_watching.py``).

``prefect flow-run watch`` and ``prefect deployment run --watch`` print an
event line for each state the run takes after the watch starts, and return
the run once its state is final. Prefect streams the events from its server;
here the watch waits on the session's clock, so whatever the session runs
meanwhile (a served deployment's loop picking the run up) goes on, and reads
the run's states from the store. Only the flow run's own state changes are
shown: Prefect's stream may also carry task-run events and heartbeats, or
not, depending on timing (PORT.yaml: watch-shows-flow-run-events). With
nothing serving the run, the watch waits, as Prefect's does, in real time
(a clock that skips waits would otherwise spin).
"""

from __future__ import annotations

import datetime

from ..client.schemas.objects import FlowRun
from ..exceptions import PrefectException
from ..states import State
from . import _msgs
from ._utilities import Context

POLL_SECONDS = 0.25  # how often the watch looks at the run (on the session's clock)


class FlowRunWaitTimeout(PrefectException):
    """The run did not end within the watch's timeout (Prefect's ``FlowRunWaitTimeout``)."""


FlowRunWaitTimeout.__module__ = "prefect.exceptions"


class FlowRunFormatter:
    """An event line's timestamp shows only the parts that changed since the line before (``.599``, ``:08.195``)."""

    def __init__(self) -> None:
        self._last: list[str] = ["", "", "", ""]
        self._last_moment: datetime.datetime | None = None

    def format_timestamp(self, moment: datetime.datetime) -> str:
        moment = moment.astimezone(datetime.timezone.utc)
        parts = [f"{moment:%H}", f"{moment:%M}", f"{moment:%S}", f"{moment:%f}"[:3]]
        if self._last_moment is not None and moment < self._last_moment:
            self._last, self._last_moment = parts, moment
            return "{}:{}:{}.{}".format(*parts)
        shown = [parts[3]]
        for i, (last, current) in enumerate(zip(self._last, parts)):
            if current != last:
                shown = parts[i:]
                break
        self._last, self._last_moment = parts, moment
        if len(shown) == 4:
            text = "{}:{}:{}.{}".format(*shown)
        elif len(shown) == 3:
            text = ":{}:{}.{}".format(*shown)
        elif len(shown) == 2:
            text = ":{}.{}".format(*shown)
        else:
            text = f".{shown[0]}"
        return f"{text:>12}"

    def format_state(self, run_id: str, run_name: str, state: State) -> str:
        return _msgs.EVENT_LINE.format(
            timestamp=self.format_timestamp(state.timestamp), run_id=f"{run_id[-12:]:>12}",
            event=f"prefect.flow-run.{state.name}", name=run_name,
        )  # fmt: skip


def watch_flow_run(ctx: Context, flow_run_id: str, timeout: int | None = None) -> FlowRun:
    """Print the run's states as it takes them, until one is final; the run as the API then gives it."""
    s = ctx.session
    record = s.store.get(flow_run_id)
    formatter = FlowRunFormatter()
    shown = len(record.states)
    deadline = None if timeout is None else s.now() + timeout
    while True:
        for state in record.states[shown:]:
            ctx.console.print(formatter.format_state(flow_run_id, record.name, state))
        shown = len(record.states)
        if record.state is not None and record.state.is_final():
            return ctx.client.read_flow_run(flow_run_id)
        if deadline is not None and s.now() >= deadline:
            raise FlowRunWaitTimeout(_msgs.WATCH_TIMEOUT.format(id=flow_run_id, timeout=timeout))
        wait = POLL_SECONDS if deadline is None else max(0.0, min(POLL_SECONDS, deadline - s.now()))
        if record.deployment_id not in s.serving.serving_deployments and not s.serving.waits_for_real(s.clock):
            s.serving.real_wait(wait)  # nothing in the session can run it: the watch waits for real, as Prefect's
        s.scheduler.sleep(wait)


__all__ = ["FlowRunFormatter", "FlowRunWaitTimeout", "watch_flow_run"]
