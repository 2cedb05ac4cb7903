"""Pausing a flow run for a person (``prefect.flow_runs``): `pause_flow_run`, `suspend_flow_run`, `resume_flow_run`.

``pause_flow_run()`` inside a flow logs "Pausing flow, execution will
continue when this flow run is resumed.", puts the run in ``Paused`` and
waits: it looks after ``min(timeout / 2, poll_interval)`` seconds, then every
`poll_interval`, until the run is Running again ("Resuming flow run
execution!") or `timeout` has passed (``FlowPauseTimeout``), as Prefect's
does. The wait is on the session's scheduler, so the run's submitted tasks,
a served deployment's runs, or any other code in the session go on meanwhile
and may resume it (`resume_flow_run`), as may the page's form for the run
(server/flow_runs.py: ``pending_input``, ``resume_with``). While it waits, the
session's clock keeps the page's pace (serve_controls.py); without one, in
``fast`` and ``deterministic`` mode, time runs on to the timeout at once unless
something in the session resumes the run first.

With ``wait_for_input``, the run waits for input of that type (prefect.input):
its schema is kept with the run, a resume must bring input that fits it (the
server says why not), and the call returns it.

``suspend_flow_run()`` works only in a deployment's run, as in Prefect: the run
ends ``Suspended``, its serving process lets it go, and a resume schedules it
again (``Resuming``), to start from the top; the same suspend then returns
the input at once.
"""

from __future__ import annotations

import logging
from typing import Any

from . import _msgs, current_run
from .async_dispatch import async_dispatch
from .exceptions import Abort, FlowPauseTimeout, NotPausedError, ObjectNotFound, Pause, PrefectHTTPStatusError, not_imitated
from .input.run_input import keyset_from_base_key, run_input_subclass_from_type
from .server.flow_runs import expire_pauses, resume, start_pause
from .session import Session, session
from .states import State, StateType
from .store import PauseRecord, RunRecord


def _checked_timeout(timeout: float | None) -> None:
    if timeout is not None and timeout < 0:
        raise ValueError(_msgs.NEGATIVE_TIMEOUT.format(timeout=timeout))


def _next_pause_key(run: Any) -> str:
    """The run's pause counter (1, 2, ...), as Prefect counts the pauses its flow run context has seen."""
    count = getattr(run, "observed_pauses", 0) + 1
    run.observed_pauses = count
    return str(count)


def _resumed(record: RunRecord) -> bool:
    state = record.state
    return state is not None and state.is_running()


def _wait(s: Session, seconds: float) -> None:
    with s.serving.paced(s.clock, for_a_person=True):
        s.scheduler.run_until(lambda: False, s.now() + seconds)


def _take_pause(run: Any, name: str, pause: PauseRecord) -> RunRecord:
    """The run takes its Paused (or Suspended) state, and the server keeps the pause with it."""
    s: Session = run.session
    record = s.store.get(run.id)
    previous = s.store.pauses.get(run.id)
    used = previous.used_keys if previous is not None else []
    if pause.pause_key in used:
        return record  # this pause happened before (a suspended run started again): the run is Running
    pause.used_keys = [*used, pause.pause_key]
    start_pause(s, record, pause)
    run.set_state(State(StateType.PAUSED, name))
    return record


def _pause(wait_for_input: Any, timeout: int, poll_interval: int, key: str | None) -> Any:
    _checked_timeout(timeout)
    run = current_run.current_flow_run()
    if run is None:
        raise RuntimeError(_msgs.PAUSE_OUTSIDE_FLOW)
    s: Session = run.session
    pause_key = key or _next_pause_key(run)
    run.log(logging.INFO, _msgs.PAUSING)
    input_cls = run_input_subclass_from_type(wait_for_input) if wait_for_input else None
    keys = keyset_from_base_key(f"paused-{pause_key}") if input_cls is not None else None
    record = _take_pause(run, "Paused", PauseRecord(run.id, pause_key, s.now() + timeout, False, keys))
    if _resumed(record):
        return input_cls.load(keys, run.id) if input_cls is not None and keys is not None else None
    if input_cls is not None:
        input_cls.save(keys, run.id)
    s.serving.announce("paused", {"flow_run_id": run.id, "timeout": timeout, "poll_interval": poll_interval})
    try:
        return _wait_to_resume(s, run, record, input_cls, keys, timeout, poll_interval)
    finally:
        s.serving.announce("unpaused", {"flow_run_id": run.id})


def _wait_to_resume(s: Session, run: Any, record: RunRecord, input_cls: Any, keys: dict[str, str] | None,
                    timeout: int, poll_interval: int) -> Any:  # fmt: skip
    start = s.now()
    _wait(s, min(timeout / 2, poll_interval))
    while True:
        expire_pauses(s)
        if _resumed(record):
            return _resume_here(run, record, input_cls, keys)
        if s.now() - start >= timeout:
            break
        _wait(s, poll_interval)
    expire_pauses(s)
    if _resumed(record):  # one last look, as Prefect's
        return _resume_here(run, record, input_cls, keys)
    raise FlowPauseTimeout(_msgs.PAUSE_TIMED_OUT)


def _resume_here(run: Any, record: RunRecord, input_cls: Any, keys: dict[str, str] | None) -> Any:
    run.log(logging.INFO, _msgs.RESUMING)
    run.state = record.state  # the server set it Running; the engine goes on from there
    if input_cls is not None and keys is not None:
        return input_cls.load(keys, run.id)
    return None


async def apause_flow_run(
    wait_for_input: Any = None, timeout: int = 3600, poll_interval: int = 10, key: str | None = None
) -> Any:
    """`pause_flow_run`, to be awaited (the wait holds the flow's loop, on the session's clock)."""
    return _pause(wait_for_input, timeout, poll_interval, key)


@async_dispatch(apause_flow_run)
def pause_flow_run(
    wait_for_input: Any = None, timeout: int = 3600, poll_interval: int = 10, key: str | None = None
) -> Any:
    """Pause the current flow run until it is resumed (or `timeout` seconds pass); the input it was given."""
    return _pause(wait_for_input, timeout, poll_interval, key)


def _suspend(wait_for_input: Any, flow_run_id: Any, timeout: int | None, key: str | None) -> Any:
    _checked_timeout(timeout)
    if flow_run_id is not None:
        raise not_imitated("suspending another flow run", "suspend_flow_run(flow_run_id=...)")
    ctx = current_run.current()
    if ctx is not None and ctx.run.kind == "task":
        raise RuntimeError(_msgs.SUSPEND_IN_TASK)
    run = current_run.current_flow_run()
    if run is None:
        raise RuntimeError(_msgs.SUSPEND_OUTSIDE_FLOW)
    run.log(logging.INFO, _msgs.SUSPENDING)
    s: Session = run.session
    pause_key = key or _next_pause_key(run)
    record = s.store.get(run.id)
    if record.deployment_id is None:
        try:  # the server aborts the proposed Suspended state; Prefect raises its own error from that
            raise Abort(_msgs.CANNOT_SUSPEND_WITHOUT_DEPLOYMENT)
        except Abort as exc:
            raise RuntimeError(_msgs.SUSPEND_ABORTED.format(reason=exc))  # noqa: B904 - chained, as Prefect's is
    input_cls = run_input_subclass_from_type(wait_for_input) if wait_for_input else None
    keys = keyset_from_base_key(f"suspended-{pause_key}") if input_cls is not None else None
    timeout_at = s.now() + timeout if timeout is not None else None
    record = _take_pause(run, "Suspended", PauseRecord(run.id, pause_key, timeout_at, True, keys))
    if _resumed(record):
        return input_cls.load(keys, run.id) if input_cls is not None and keys is not None else None
    if input_cls is not None:
        input_cls.save(keys, run.id)
    raise Pause(state=record.state)


async def asuspend_flow_run(
    wait_for_input: Any = None, flow_run_id: Any = None, timeout: int | None = None, key: str | None = None
) -> Any:
    return _suspend(wait_for_input, flow_run_id, timeout, key)


@async_dispatch(asuspend_flow_run)
def suspend_flow_run(
    wait_for_input: Any = None, flow_run_id: Any = None, timeout: int | None = None, key: str | None = None
) -> Any:
    """Suspend the current flow run (a deployment's): it ends Suspended, and starts again when resumed."""
    return _suspend(wait_for_input, flow_run_id, timeout, key)


def _resume(flow_run_id: Any, run_input: dict[str, Any] | None) -> None:
    s = session()
    record = s.store.find(str(flow_run_id))
    if record is None or record.kind != "flow":
        raise ObjectNotFound(http_exc=PrefectHTTPStatusError.of(404, f"/flow_runs/{flow_run_id}", "Flow run not found"))
    if record.state is None or not record.state.is_paused():
        raise NotPausedError(_msgs.NOT_PAUSED)
    result = resume(s, record, run_input)
    if result.status == "REJECT":
        if record.state is not None and record.state.type is StateType.FAILED:
            raise FlowPauseTimeout(_msgs.RESUME_TOO_LATE)
        raise RuntimeError(_msgs.CANNOT_RESUME.format(reason=result.reason))


async def aresume_flow_run(flow_run_id: Any, run_input: dict[str, Any] | None = None) -> None:
    _resume(flow_run_id, run_input)


@async_dispatch(aresume_flow_run)
def resume_flow_run(flow_run_id: Any, run_input: dict[str, Any] | None = None) -> None:
    """Resume a paused (or suspended) flow run, with the input it waits for, if any."""
    _resume(flow_run_id, run_input)

for _fn in (pause_flow_run, apause_flow_run, suspend_flow_run, asuspend_flow_run, resume_flow_run, aresume_flow_run):
    _fn.__module__ = "prefect.flow_runs"

__all__ = [
    "apause_flow_run", "aresume_flow_run", "asuspend_flow_run", "pause_flow_run", "resume_flow_run",
    "suspend_flow_run",
]  # fmt: skip
