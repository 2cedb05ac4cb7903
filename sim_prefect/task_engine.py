"""Task runs, after Prefect's ``task_engine.py``.

A task run waits for its upstream runs, moves to Running, calls the task's
function, and moves on through the handlers: Completed, or AwaitingRetry and
Retrying while retries are left, or Failed / TimedOut. `TaskRun.steps` is that
whole story, written once; a direct call drives it at once (`run_task`), a
submitted run takes turns with others on the scheduler (`TaskRun.job`).

Each attempt runs in a transaction of its own (transactions.py), keyed by the
task's cache key, as in Prefect: a record under the key means the result is
cached; a completed attempt stages its result there, which is written (and the
task's on_commit hooks run) when the transaction commits, at once or with the
transaction around it; a rollback runs the on_rollback hooks and records the
run ``RolledBack``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import weakref
from datetime import timedelta
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any

from . import _msgs, current_run, names
from .engine import COMPLETED, RUNNING, SCHEDULED, ReturnType, Run, Steps, drive_async
from .asyncutils import AsyncCall, run_coro_as_sync
from . import prefect_settings
from .cache_policies import DEFAULT, CachePolicy, default_key
from .client.schemas.objects import ConcurrencyLeaseHolder, TaskRun as TaskRunRecord
from .concurrency.slots import Ask, Lease, acquire_steps, release
from .context import TaskRunContext
from .run_events import RunCreated
from .annotations import BaseAnnotation, quote
from .exceptions import UpstreamTaskError
from .futures import PrefectFuture, collect_upstream, has_annotations, resolve_inputs
from .hooks import call_hooks, select_hooks
from .loggers import run_logger, setup_logging
from .results import ResultRecord, ResultStore, store_for
from .retries import retry_delay
from .runtime import values as runtime_values
from .scheduler import CALL, Job, Outcome, Sleep, WaitFor
from .session import Session, session
from .states import (
    AwaitingRetry,
    Completed,
    Crashed,
    Failed,
    Pending,
    Retrying,
    Running,
    State,
    TimedOut,
    exception_to_crashed_state,
    exception_to_failed_state,
    format_exception_short,
    return_value_to_state,
)
from .timeouts import AsyncTimeout, Timeout
from .transactions import AsyncTransaction, BaseTransaction, Transaction, activate, get_transaction, set_active

if TYPE_CHECKING:
    from .tasks import Task

class TaskRunTimeoutError(TimeoutError):
    """A task ran past its `timeout_seconds`; Prefect defines it in ``prefect.task_engine`` too."""


TaskRunTimeoutError.__module__ = "prefect.task_engine"

# The handlers' Prefect log text for a failure that is a returned state, not an
# exception: `exc_info=True` with no exception being handled.
NO_EXCEPTION = "NoneType: None"
_RUNNING = Running()
_RETRYING = Retrying()
_PLAIN_VALUES = frozenset({int, float, str, bool, bytes, type(None)})


class TaskRun(Run):
    kind = "task"
    refused: BaseException | None = None  # its tags' slots were refused (a limit of 0): it never starts

    def __init__(
        self,
        task: Task[Any, Any],
        parameters: dict[str, Any],
        wait_for: list[Any] | None = None,
        submitted: bool = False,
    ) -> None:
        s = session()
        setup_logging()
        ctx = current_run.current()
        self.task = task
        self.flow_run = current_run.current_flow_run()
        self.flow_run_id = self.flow_run.id if self.flow_run is not None else None
        self.parameters = parameters
        self.caller = ctx.run if ctx else None  # the run whose code made this one
        self.tags = task.tags | current_run.current_tags()
        self.wait_for = wait_for
        self.submitted = submitted
        self.on_worker_thread = submitted or (self.caller is not None and self.caller.on_worker_thread)
        if task.log_prints is not None:
            self.log_prints = task.log_prints
        else:
            self.log_prints = bool(self.flow_run is not None and self.flow_run.log_prints)
        # What this run waits for before it starts: the futures and states in its inputs (Prefect's
        # task_inputs), found once here. Plain values hold nothing to look inside.
        self.plain = all(type(v) in _PLAIN_VALUES for v in parameters.values())
        self.upstream: list[tuple[Any, bool]] = [] if self.plain else collect_upstream(parameters, [])
        if wait_for:
            self.upstream = collect_upstream(wait_for, self.upstream)
        self.retries = 0
        self.steps_begun = False
        self.job_: Job | None = None
        # The transaction its attempts' own begin in: where it was called (or submitted).
        self.txn_parent = get_transaction()
        self.in_attempt = False
        self.txn: BaseTransaction | None = None  # the attempt's own, once made
        self._begin(s, task.name, task.task_run_name, ctx.run.id if ctx else None)
        if self.flow_run is not None and submitted:  # what the flow waits for at its end
            self.flow_run.children.append(self)

    def _describe(self, event: RunCreated) -> None:
        event.tags = tuple(sorted(self.tags))
        event.task_key = self.task.task_key
        event.version = getattr(self.task, "version", None)
        inputs: dict[str, list[str]] = {}
        links = _RESULTS.get(self.flow_run) if self.flow_run is not None else None
        for name, value in self.parameters.items():
            found = [] if self.plain else _run_ids(collect_upstream(value, []))
            inputs[name] = _linked(value, links, found) if links else found
        if self.wait_for:
            found = _run_ids(collect_upstream(self.wait_for, []))
            inputs["wait_for"] = _linked(self.wait_for, links, found) if links else found
        event.task_inputs = inputs

    def _default_name(self, s: Session) -> str:
        if self.flow_run is None:
            return self.task.name  # outside a flow: no suffix, as in Prefect
        return names.task_run_name(self.task.name, s.rng)

    def enter(self) -> Callable[[], None]:
        """Make this run current, and the one that says which transaction is active in it
        (`active_transaction`): whatever the step changes, leaving restores the one before."""
        leave = super().enter()
        undo = activate(self)

        def leave_both() -> None:
            undo()
            leave()

        return leave_both

    def job(self) -> Job:
        # The scheduler enters the run's context before each step.
        if self.task.isasync:  # submitted: its coroutine takes turns on a private loop
            self.job_ = Job(self.steps(), enter=self.enter, call=lambda: AsyncCall(self.call_async(), self.session))
        else:
            self.job_ = Job(self.steps(), enter=self.enter, call=self.call)
        return self.job_

    def call(self) -> Outcome:
        """One attempt: call the task's function (within its timeout)."""
        fn = self.task.fn
        timeout = self.task.timeout_seconds
        try:
            if timeout is None:
                return Outcome(fn(*self._args, **self._kwargs))
            with Timeout(timeout, TaskRunTimeoutError, self.session.clock, not self.on_worker_thread):
                return Outcome(fn(*self._args, **self._kwargs))
        except BaseException as exc:  # the steps decide what it means
            return Outcome(error=exc)

    async def call_async(self) -> Outcome:
        """One attempt of an ``async def`` task: await it (within its timeout)."""
        fn = self.task.fn
        try:
            async with AsyncTimeout(self.task.timeout_seconds, TaskRunTimeoutError):
                return Outcome(await fn(*self._args, **self._kwargs))
        except BaseException as exc:  # the steps decide what it means
            return Outcome(error=exc)

    async def drive_async(self) -> None:
        """Carry out the steps on the running event loop (an awaited ``async def`` task)."""
        leave = self.enter()
        try:
            await drive_async(self.steps(), self.call_async, self.session)
        finally:
            leave()

    def should_persist(self) -> bool:
        """Whether the result is stored: the task says, else the setting, else whoever called it."""
        if self.task.persist_result is not None:
            return self.task.persist_result
        setting = prefect_settings.task_default_persist_result()
        if setting is not None:
            return setting
        if isinstance(self.caller, TaskRun):
            return self.caller.should_persist()
        if self.flow_run is not None and self.flow_run.flow.persist_result is not None:
            return bool(self.flow_run.flow.persist_result)
        return prefect_settings.persist_by_default()

    def call_hooks(self) -> None:
        """The task's hooks for the state it is in (Prefect's ``call_hooks``)."""
        task = self.task
        if not (task.on_completion_hooks or task.on_failure_hooks or task.on_running_hooks):
            return  # most tasks: nothing to choose from
        hooks = select_hooks(self.state, task.hooks)
        if hooks:
            call_hooks(hooks, (self.task, TaskRunRecord.of(self), self.state), self.log)

    def steps(self) -> Steps:
        self.steps_begun = True
        plain, upstream = self.plain, self.upstream
        if upstream:
            futures = tuple(u for u, _ in upstream if isinstance(u, PrefectFuture))
            if any(not f.done() for f in futures):
                yield WaitFor(futures)
            for item, allowed in upstream:
                state = item.state if isinstance(item, PrefectFuture) else item
                if state.type is not COMPLETED and not (allowed and _failure_allowed(state)):
                    self.handle_not_ready(state)
                    return
        if upstream or (not plain and has_annotations(self.parameters)):
            parameters = resolve_inputs(self.parameters)
        else:
            parameters = self.parameters
        self._args, self._kwargs = self.task.split_parameters(parameters)

        try:
            lease = yield from self.take_tag_slots()
        except Exception as refusal:  # refused (a limit of 0): the run never starts, and its caller gets the error
            self.refused = self._raised = refusal
            self.log_finished()
            if self.submitted:  # raised in Prefect's worker thread: its future raises it
                return
            raise
        self.set_state(_RUNNING)
        timeout = self.task.timeout_seconds
        # Prefect warns on each attempt of a sync task in a worker thread.
        warn_timeout = timeout is not None and self.submitted and not self.task.isasync
        try:
            self.call_hooks()
            self.resolved = parameters
            cache = Cache.open(self, parameters, plain, keyed=self.needs_transaction())
            while True:
                if warn_timeout:
                    self.log(logging.WARNING, _msgs.TIMEOUT_IN_WORKER_THREAD.format(timeout=timeout))
                try:
                    cached = self.begin_attempt(cache)
                except Exception as exc:  # its transaction cannot begin (SERIALIZABLE without a lock manager)
                    outcome: Outcome | None = Outcome(error=exc)
                else:
                    if cached is not None:  # a stored result: the function does not run
                        self.set_state(Completed(name="Cached", data=cached.value))
                        self._return = cached.value
                        link_result(self, cached.value)
                        self.end_attempt(None)
                        break
                    outcome = yield CALL
                assert outcome is not None
                error = outcome.error
                if error is not None:  # its transaction rolls back before the failure is handled, as in Prefect
                    self.end_attempt(error)
                if error is None:
                    self.handle_success(outcome.value)
                    self.end_attempt(None)
                elif isinstance(error, TimeoutError):
                    self.handle_timeout(error)
                elif isinstance(error, Exception):
                    self.handle_exception(error)
                else:
                    raise error  # a crash: KeyboardInterrupt, SystemExit, ...
                state = self.state
                if state.type is SCHEDULED:  # AwaitingRetry: wait, then Retrying
                    yield Sleep(max(0.0, (state.scheduled_time - state.timestamp).total_seconds()))  # type: ignore[operator]
                    self.set_state(_RETRYING)
                elif state.type is not RUNNING:  # final
                    break
                self.call_hooks()  # Retrying
        except BaseException as exc:
            if isinstance(exc, GeneratorExit):
                raise
            if self.in_attempt:
                self.end_attempt(exc)
            if self.state.type is RUNNING:  # Prefect calls the on_running hooks once more here
                self.call_hooks()
            if lease is not None:
                release(lease)
            self.handle_crash(exc)
            self.log_finished()
            raise
        try:
            self.call_hooks()
        finally:  # a hook whose name cannot be read fails the caller, as in Prefect, after this line
            if lease is not None:  # the slots go back before the run says it has finished, as in Prefect
                release(lease)
            self.log_finished()

    def take_tag_slots(self) -> Generator[Sleep | WaitFor, Any, Lease | None]:
        """A slot of each of the task's tag limits (``tag:<tag>``), waited for before the run starts.

        Prefect's engine takes them just before it proposes Running (task_engine.py:986), and
        says nothing while it waits: no state, no line (the task's tags without a limit give a
        DEBUG line). Waiters get freed slots in turn (concurrency/slots.py).
        """
        if not self.tags:
            return None
        names = [f"tag:{tag}" for tag in sorted(self.tags)]
        holder = None
        if any(name in self.session.store.limits for name in names):
            import uuid  # when first needed: it costs the page's first boot

            holder = ConcurrencyLeaseHolder(type="task_run", id=uuid.UUID(self.id))
        ask = Ask(names, 1, lease_duration=60, holder=holder, suppress_warnings=True)
        return (yield from acquire_steps(ask, sync=not self.task.isasync))

    def done(self) -> bool:
        return self.refused is not None or super().done()

    def log_finished(self) -> None:
        if self.state.is_pending() and self.state.name != "NotReady":  # it never started: Prefect's advice follows
            self.log(logging.ERROR, _msgs.FINISHED_IN_STATE.format(state=self.state) + _msgs.TASK_LEFT_PENDING)
            return
        super().log_finished()

    # -- its transactions, after Prefect's transaction_context and handle_success ------------------
    def needs_transaction(self) -> bool:
        """Could anyone tell this run's transactions from none, whatever its key? (Hooks, or one around it.)"""
        task = self.task
        return self.txn_parent is not None or bool(task.on_commit_hooks or task.on_rollback_hooks)

    def begin_attempt(self, cache: Cache | None) -> ResultRecord | None:
        """Open the attempt's transaction; return the record it found under its key, if any.

        A run whose transaction no one could see (no key that can find or keep a
        record, `needs_transaction` false) makes it only if code inside asks for it
        (`active_transaction`): most task runs.
        """
        self.in_attempt = True
        self.txn = None
        if cache is None and not self.needs_transaction():
            return None
        txn = self.make_transaction(cache)
        set_active(self.txn_parent)  # what it begins in
        try:
            found = txn.open()
        except BaseException:
            self.in_attempt = False
            set_active(self)
            raise
        self.txn = txn
        return found

    def active_transaction(self) -> BaseTransaction | None:
        """During an attempt its own transaction, made when code inside first asks for it
        (`get_transaction()`); else the one it was called in."""
        if not self.in_attempt:
            return self.txn_parent
        if self.txn is None:
            txn = self.make_transaction(Cache.open(self, self.resolved, self.plain, keyed=True))
            set_active(self.txn_parent)  # what it begins in
            txn.open()
            self.txn = txn
        return self.txn

    def make_transaction(self, cache: Cache | None) -> BaseTransaction:
        """The attempt's transaction, as Prefect's engine makes it: keyed by the cache key, in the task's
        store with the lock manager of its cache policy (else of the transaction around it), logging as
        the run, overwriting the record when the cache is refreshed."""
        task = self.task
        policy = task.cache_policy if isinstance(task.cache_policy, CachePolicy) else None
        parent = self.txn_parent
        lock_manager = policy.lock_manager if policy is not None else None
        if lock_manager is None and parent is not None and isinstance(parent.store, ResultStore):
            lock_manager = parent.store.lock_manager
        records = cache.store if cache is not None else self.session.results
        # A DEFAULT key holds the flow run's id: only a record of this run, so of this process, matches.
        store = ResultStore.over(records, lock_manager, own_only=policy is DEFAULT)
        refresh = task.refresh_cache if task.refresh_cache is not None else prefect_settings.refresh_cache()
        kind = AsyncTransaction if task.isasync else Transaction
        return kind(
            key=cache.key if cache is not None else None, store=store, overwrite=bool(refresh),
            logger=run_logger(self), write_on_commit=self.should_persist(),
            isolation_level=policy.isolation_level if policy is not None else None,
        )  # fmt: skip

    def stage(self, txn: BaseTransaction, state: State) -> None:
        """Stage the attempt's result (a record, if it has a key) with the task's hooks; a failed state
        rolls the transaction back at once."""
        task = self.task
        failed = state.is_failed()
        if failed:
            txn.write_on_commit = False
        elif txn.write_on_commit and txn.key is not None:
            self.session.runs_with_records.add(self.flow_run_id or self.id)  # its DEFAULT keys can find one now
        value = state.data
        if txn.key is not None:
            expiration = self.now() + task.cache_expiration if task.cache_expiration else None
            value = ResultRecord(txn.key, state.data, expiration, task.result_serializer or "pickle")
        # Recording RolledBack is a hook too, run last and not logged (log_on_run), as Prefect's.
        recorder = functools.partial(self.handle_rollback)
        recorder.log_on_run = False  # type: ignore[attr-defined]
        txn.stage(value, ([] if failed else [recorder]) + task.on_rollback_hooks, task.on_commit_hooks)
        if failed:
            txn.rollback_now()

    def end_attempt(self, error: BaseException | None) -> None:
        """Close the attempt's transaction, if it was made: it rolls back after an error."""
        txn, self.txn, self.in_attempt = self.txn, None, False
        if txn is not None:
            txn.close(error is not None)  # which makes the one it began in active
            set_active(self)

    def handle_rollback(self, txn: BaseTransaction) -> None:
        """Its transaction rolled back: Prefect's server records RolledBack, while the run itself stays Completed."""
        self.record_state(Completed(name="RolledBack", message=_msgs.ROLLED_BACK))

    # -- handlers, after Prefect's SyncTaskRunEngine -------------------------------------
    def handle_success(self, result: Any) -> None:
        txn = self.txn
        if isinstance(result, State) and result.is_failed() and self.handle_retry(result):
            if txn is not None:
                txn.write_on_commit = False
            return
        new_state = return_value_to_state(result)
        if txn is not None:
            self.stage(txn, new_state)
        state = self.set_state(new_state)
        if state.is_final():
            link_result(self, state.data)
        # A returned state *becomes* the run's state in Prefect (the same object, now
        # carrying the run's id), so the caller gets it back as the run's state.
        self._return = state if isinstance(result, State) and result.run_id is None else result

    def can_retry(self, exc_or_state: BaseException | State) -> bool:
        condition = self.task.retry_condition_fn
        state = (
            exc_or_state
            if isinstance(exc_or_state, State)
            else Failed(data=exc_or_state, message=_msgs.TASK_UNEXPECTED_EXCEPTION.format(exc=exc_or_state))
        )
        try:
            if not callable(condition):
                return not condition  # no condition: retry
            # Any callable, as Prefect calls it (a partial, an object with __call__); an async one is awaited.
            should_retry = condition(self.task, TaskRunRecord.of(self), state)
            if inspect.isawaitable(should_retry):
                should_retry = run_coro_as_sync(_awaited(should_retry))
            return bool(should_retry)
        except Exception as exc:
            self.log(
                logging.ERROR,
                _msgs.RETRY_CONDITION_ERROR.format(condition=condition, task=self.task.name),
                exc=exc,
            )
            return False

    def handle_retry(self, exc_or_state: BaseException | State) -> bool:
        kind = "exception" if isinstance(exc_or_state, Exception) else "state"
        task = self.task
        if self.retries < task.retries and self.can_retry(exc_or_state):
            if task.retry_delay_seconds:
                delay: float | None = retry_delay(task, self.retries, self.session.rng)
                new_state = AwaitingRetry(scheduled_time=self.now() + timedelta(seconds=delay or 0))
            else:
                delay = None
                new_state = Retrying()
            when = _msgs.RETRY_IN_SECONDS.format(delay=delay) if delay else _msgs.RETRY_IMMEDIATELY
            self.log(
                logging.INFO,
                _msgs.TASK_RETRY.format(
                    kind=kind, exc=exc_or_state, attempt=self.retries + 1, retries=task.retries, when=when
                ),
            )
            self.set_state(new_state)
            self.retries += 1
            return True
        if self.retries >= task.retries:
            template = _msgs.TASK_RETRIES_EXHAUSTED if task.retries > 0 else _msgs.TASK_FAILED
            message = template.format(kind=kind, exc=exc_or_state)
            if isinstance(exc_or_state, BaseException):
                self.log(logging.ERROR, message, exc=exc_or_state)
            else:
                self.log(logging.ERROR, message, traceback=NO_EXCEPTION)
        return False

    def handle_exception(self, exc: Exception) -> None:
        if not self.handle_retry(exc):
            self.set_state(exception_to_failed_state(exc, _msgs.TASK_FAILED_PREFIX))
            self._raised = exc

    def handle_timeout(self, exc: TimeoutError) -> None:
        if not self.handle_retry(exc):
            if isinstance(exc, TaskRunTimeoutError):
                message = _msgs.TASK_TIMEOUT.format(timeout=self.task.timeout_seconds)
            else:
                message = _msgs.TASK_TIMEOUT_OTHER.format(exc=exc)
            self.log(logging.ERROR, message)
            self.set_state(TimedOut(message=message, data=exc))
            self._raised = exc

    def handle_not_ready(self, upstream: State) -> None:
        """An upstream run did not complete: this one never starts (Pending 'NotReady')."""
        error = UpstreamTaskError(_msgs.UPSTREAM_NOT_COMPLETED.format(run_id=upstream.run_id))
        self.set_state(Pending(name="NotReady", message=str(error)))
        self.log_finished()


class Cache:
    """A task run's cache key, and the store its record is kept in (its transaction finds and writes it)."""

    def __init__(self, run: TaskRun, key: str, store: ResultStore) -> None:
        self.run = run
        self.key = key
        self.store = store

    @classmethod
    def open(cls, run: TaskRun, parameters: dict[str, Any], plain: bool = False, keyed: bool = False) -> Cache | None:
        """The run's cache, if it has a key (a key that cannot be computed is logged, as in Prefect).

        `plain`: every argument is a plain value, so computing the key cannot fail.
        `keyed`: the key is wanted even if it can find and keep no record (a transaction shows it).
        """
        task = run.task
        policy = task.cache_policy
        key: str | None = None
        if (not keyed and policy is DEFAULT and plain and task.result_storage is None and not run.should_persist()
                and (run.flow_run_id or run.id) not in run.session.runs_with_records):
            return None  # the key could neither find a record (see `own_only`) nor be stored: nothing to observe
        if isinstance(policy, CachePolicy):
            flow_parameters = run.flow_run.parameters if run.flow_run is not None else {}
            try:
                if policy is DEFAULT:
                    key = default_key(task, run.flow_run_id or run.id, parameters)
                else:
                    key = policy.compute_key(
                        task_ctx=TaskRunContext.of(run), inputs=parameters or {}, flow_parameters=flow_parameters or {}
                    )
            except Exception as exc:
                run.log(logging.ERROR, _msgs.CACHE_KEY_ERROR, exc=exc)
        elif task.result_storage_key is not None:
            key = task.result_storage_key.format(**runtime_values(), parameters=parameters)
        if key is None:
            return None
        key_storage = getattr(policy, "key_storage", None)
        return cls(run, key, store_for(task.result_storage, key_storage, run.session.results))


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


# Prefect's link_state_to_result: a task run's result, and each thing it holds one level down,
# is remembered in its flow run by identity (`id()`, checked against the object itself, as
# Prefect checks a weak reference), so that a later task run given it records where it came
# from (its task_inputs). Not what Prefect cannot tell apart: True/False/None, Ellipsis,
# NotImplemented, and the small ints every caller shares.
_RESULTS: weakref.WeakKeyDictionary[Any, dict[int, tuple[Any, str]]] = weakref.WeakKeyDictionary()
_UNTRACKABLE = frozenset({bool, type(None), type(...), type(NotImplemented)})


def link_result(run: TaskRun, result: Any) -> None:
    flow_run = run.flow_run
    if flow_run is None:
        return
    links = _RESULTS.get(flow_run)
    if links is None:
        links = _RESULTS[flow_run] = {}
    items: Any = ()
    if isinstance(result, dict):
        items = [*result.keys(), *result.values()]
    elif isinstance(result, (list, tuple, set, frozenset)):
        items = result
    for obj in (result, *items):
        if type(obj) in _UNTRACKABLE or (type(obj) is int and -5 <= obj <= 256):
            continue
        links[id(obj)] = (obj, run.id)


def _linked(value: Any, links: dict[int, tuple[Any, str]], found: list[str]) -> list[str]:
    """`found`, and the runs whose results are in `value` at any depth (as Prefect's
    collect_task_run_inputs visits it: through collections and annotations, not quote)."""
    out = list(found)
    seen: set[int] = set()

    def visit(obj: Any) -> None:
        if id(obj) in seen or isinstance(obj, (PrefectFuture, State, quote)):
            return
        seen.add(id(obj))
        entry = links.get(id(obj))
        if entry is not None and entry[0] is obj and entry[1] not in out:
            out.append(entry[1])
        if isinstance(obj, BaseAnnotation):
            visit(obj.unwrap())
        elif isinstance(obj, dict):
            for k, v in obj.items():
                visit(k)
                visit(v)
        elif isinstance(obj, (list, tuple, set, frozenset)):
            for v in obj:
                visit(v)

    visit(value)
    return out


def _run_ids(found: list[tuple[Any, bool]]) -> list[str]:
    """The runs behind the futures and states found in an input (a state of no run gives none)."""
    ids = [item.task_run_id if isinstance(item, PrefectFuture) else item.run_id for item, _ in found]
    return [i for i in ids if i]


def _failure_allowed(state: State) -> bool:
    """What `allow_failure` lets through: a failed upstream, or one that never started (not a crash)."""
    return state.is_failed() or state.name == "NotReady"


def run_task(task: Task[Any, Any], parameters: dict[str, Any], wait_for: list[Any] | None, return_type: ReturnType) -> Any:
    """A direct task call: runs now, in the caller's place, until it is done."""
    run = TaskRun(task, parameters, wait_for)
    run.session.scheduler.run_now(run.job(), run.done)
    return run.state if return_type == "state" else run.result()


async def run_task_async(
    task: Task[Any, Any], parameters: dict[str, Any], wait_for: list[Any] | None, return_type: ReturnType
) -> Any:
    """An ``async def`` task, awaited: it runs on the caller's event loop (Prefect's name, as the coroutine shows)."""
    run = TaskRun(task, parameters, wait_for)
    await run.drive_async()
    return run.state if return_type == "state" else run.result()


def crash_unstarted(run: TaskRun) -> None:
    """A submitted run that never started when its async flow ended: Prefect's task runner cancels it."""
    assert run.job_ is not None
    run.session.scheduler.cancel(run.job_)
    run.set_state(_RUNNING)
    cancelled = asyncio.CancelledError(_msgs.CANCELLED_BY_TASK_RUNNER)
    if run.task.isasync:  # cancelled on its own loop
        state = exception_to_crashed_state(cancelled)
    else:  # cancelled in a worker thread, where no loop runs: Prefect words it as any other crash
        state = Crashed(message=_msgs.CRASH_MESSAGE.format(exc=format_exception_short(cancelled)), data=cancelled)
    run.log(logging.ERROR, _msgs.CRASH_DETECTED.format(message=state.message))
    run.set_state(state)
    run._raised = cancelled
    run.log_finished()


def submit_task(task: Task[Any, Any], parameters: dict[str, Any], wait_for: list[Any] | None) -> TaskRun:
    """A submitted run: it takes its turns on the scheduler while the flow goes on."""
    run = TaskRun(task, parameters, wait_for, submitted=True)
    job = run.job()
    if run.flow_run is not None:
        job.limit = run.flow_run.limit  # the flow's task runner: at most max_workers at once
    run.session.scheduler.spawn(job)
    return run


__all__ = ["TaskRun", "TaskRunTimeoutError", "crash_unstarted", "run_task", "run_task_async", "submit_task"]
