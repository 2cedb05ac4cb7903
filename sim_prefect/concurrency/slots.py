"""Concurrency slots on the server's limits: take them, wait for them in turn, give them back.

A global concurrency limit (store.ConcurrencyLimit) has ``limit`` slots;
``concurrency("db", occupy=1)`` holds one for the length of its block, and a
task with the tag ``db`` holds one of ``tag:db`` while it runs. A limit with a
``slot_decay_per_second`` frees its slots by itself as time passes, which is
what ``rate_limit`` needs. An inactive limit never blocks.

What the server answers, as Prefect's server does (``api/concurrency_limits_v2.py``):
no limit by those names: nothing to hold (the caller warns, or raises if
``strict``); more slots than a limit has, or a rate limit on a limit without
decay: refused (422); otherwise the slots are taken at once, or the caller
waits for them.

How a waiting caller gets its slots is where this differs from Prefect on
purpose (PORT.yaml: concurrency-slots-in-turn). Prefect's client asks again
after the server's ``Retry-After``, a randomly jittered delay, so a freed slot
goes to whichever waiter asks first, up to ~2 s later. Here waiters queue in
the order they asked, and a slot goes to the first waiter it fits the moment
it is freed (or decays): deterministic, and as quick as Prefect at its
quickest. The caller waits on the session's scheduler, so the waits overlap
with other runs as Prefect's threads do, and show on the session's clock.

Prefect's service thread logs every failed attempt at ERROR on its internal
logger (``Service 'ConcurrencySlotAcquisitionWithLeaseService' failed to
process item ...``); so does this module, in the same words and format.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

from .. import _msgs, current_run, prefect_settings
from ..exceptions import PrefectHTTPStatusError, not_imitated
from ..loggers import emit_logger_log
from ..run_events import LogEmitted
from ..scheduler import Sleep, WaitFor
from ..session import Session, session
from ..store import ConcurrencyLimit, EventRecord, Store

Mode = Literal["concurrency", "rate_limit"]
_EPSILON = 1e-9  # clock arithmetic: a slot due to decay at t has decayed at t


class ConcurrencySlotAcquisitionError(Exception):
    """The server refused the slots, or (``strict=True``) the limits do not exist."""


class AcquireConcurrencySlotTimeoutError(TimeoutError):
    """The slots did not come within ``timeout_seconds``."""


for _cls in (ConcurrencySlotAcquisitionError, AcquireConcurrencySlotTimeoutError):
    _cls.__module__ = "prefect.concurrency._asyncio"


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


@dataclass(eq=False)
class Request:
    """One caller's ask for `slots` on each of the limits found by its names."""

    names: list[str]
    limits: list[ConcurrencyLimit]
    slots: int
    holder: str | None = None  # the task run that holds them (shown by the tag limits' view)
    granted: bool = False
    on_grant: list[Callable[[], None]] = field(default_factory=list)

    @property
    def active(self) -> list[ConcurrencyLimit]:
        return [limit for limit in self.limits if limit.active]

    def done(self) -> bool:
        """Granted: what a run that waits for it in its steps (``WaitFor``) waits for."""
        return self.granted

    async def wait_async(self) -> None:
        """Wait until granted, letting the other coroutines of this loop go on (one of them may free the slots)."""
        if self.granted:
            return
        if len(asyncio.all_tasks()) <= 1:  # nothing else on this loop could free a slot: the scheduler's runs may
            session().scheduler.run_until(self.done)
            return
        loop = asyncio.get_running_loop()
        woken: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            loop.call_soon_threadsafe(_settle, woken)

        self.on_grant.append(wake)
        try:
            await woken
        finally:
            self.on_grant.remove(wake)


@dataclass(eq=False)
class Lease:
    """Slots held: on which limits, how many, by whom (released when the block ends)."""

    request: Request
    acquired: list[EventRecord] = field(default_factory=list)  # the events that announced it

    @property
    def limits(self) -> list[ConcurrencyLimit]:
        return self.request.limits


# -- one store's waiting line -------------------------------------------------------------


def _elapsed(since: float, now: float) -> float:
    """Seconds between two clock readings, to the microsecond (the clocks' resolution: no float dust)."""
    return max(0, round((now - since) * 1_000_000)) / 1_000_000


def occupied(limit: ConcurrencyLimit, now: float) -> int:
    """The slots taken now: a decaying limit frees whole slots as time passes since it last changed."""
    if limit.slot_decay_per_second <= 0:
        return limit.active_slots
    decayed = math.floor(limit.slot_decay_per_second * _elapsed(limit.updated, now) + _EPSILON)
    return max(0, limit.active_slots - decayed)


class SlotBook:
    """The callers waiting for slots on one store's limits, in the order they asked."""

    def __init__(self) -> None:
        self.waiting: list[Request] = []
        self.futures = 0  # numbers the addresses of the futures the ERROR lines show

    @staticmethod
    def fits(request: Request, now: float) -> bool:
        return all(occupied(limit, now) + request.slots <= limit.limit for limit in request.active)

    @staticmethod
    def take(request: Request, now: float) -> None:
        for limit in request.active:
            limit.active_slots = occupied(limit, now) + request.slots
            limit.updated = now
            if request.holder is not None:
                limit.holders.append(request.holder)
        request.granted = True
        for callback in request.on_grant:
            callback()

    def serve(self, now: float) -> None:
        """Give slots to every waiter they fit, the first to ask first."""
        for request in list(self.waiting):
            if self.fits(request, now):
                self.waiting.remove(request)
                self.take(request, now)

    def release(self, request: Request, now: float) -> None:
        for limit in request.active:
            limit.active_slots = max(0, occupied(limit, now) - request.slots)
            limit.updated = now
            if request.holder is not None and request.holder in limit.holders:
                limit.holders.remove(request.holder)
        self.serve(now)

    @staticmethod
    def wake_time(request: Request, now: float) -> float | None:
        """When decay alone will have freed enough slots for `request` (None if a limit frees only on release)."""
        wake = now
        for limit in request.active:
            need = limit.active_slots + request.slots - limit.limit
            if occupied(limit, now) + request.slots <= limit.limit:
                continue
            if limit.slot_decay_per_second <= 0:
                return None
            wait = math.ceil(need / limit.slot_decay_per_second * 1_000_000 - _EPSILON) / 1_000_000
            wake = max(wake, limit.updated + wait)
        return wake


_books: weakref.WeakKeyDictionary[Store, SlotBook] = weakref.WeakKeyDictionary()


def book_of(store: Store) -> SlotBook:
    book = _books.get(store)
    if book is None:
        book = _books[store] = SlotBook()
    return book


# -- asking ----------------------------------------------------------------------------------


class _Refused(Exception):
    """The server's refusal (an HTTP error), before the client words it."""

    def __init__(self, error: PrefectHTTPStatusError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class Ask:
    """What the caller asks for, as Prefect's client sends it (and its service logs it when it fails)."""

    names: list[str]
    slots: int
    mode: Mode = "concurrency"
    timeout_seconds: float | None = None
    max_retries: int | None = None
    lease_duration: float | None = 300  # None: rate_limit, which takes no lease
    strict: bool = False
    holder: Any = None  # a ConcurrencyLeaseHolder
    suppress_warnings: bool = False

    @property
    def path(self) -> str:
        return "/v2/concurrency_limits/" + ("increment-with-lease" if self.lease_duration is not None else "increment")

    def item(self) -> tuple[Any, ...]:
        if self.lease_duration is None:
            return (self.slots, self.mode, self.timeout_seconds, self.max_retries)
        return (self.slots, self.mode, self.timeout_seconds, self.max_retries, self.lease_duration, self.strict,
                self.holder)  # fmt: skip

    @property
    def service(self) -> str:
        return "ConcurrencySlotAcquisitionWithLeaseService" if self.lease_duration is not None else "ConcurrencySlotAcquisitionService"


def _refused(status: int, path: str, detail: str) -> _Refused:
    try:  # raised, as Prefect's client raises it: a traceback shows it with its header
        raise PrefectHTTPStatusError.of(status, path, detail)
    except PrefectHTTPStatusError as error:
        return _Refused(error)


def _request(ask: Ask, s: Session) -> Request:
    """The server's checks of an ask (422s), and the request for the limits it names."""
    if ask.max_retries is not None and ask.max_retries > 0:
        raise not_imitated(
            "concurrency limits", f"max_retries={ask.max_retries}: Prefect asks again after the server's randomly "
            "jittered Retry-After; sim_prefect gives slots to waiters in turn (max_retries=0 and None are imitated)",
        )  # fmt: skip
    if ask.slots <= 0:
        raise _refused(422, ask.path, "slots: Input should be greater than 0")
    if ask.lease_duration is not None and not 60 <= ask.lease_duration <= 86400:
        bound = "greater than or equal to 60" if ask.lease_duration < 60 else "less than or equal to 86400"
        raise _refused(422, ask.path, f"lease_duration: Input should be {bound}")
    store = s.store
    limits = [store.limits[name] for name in dict.fromkeys(ask.names) if name in store.limits]
    holder = getattr(ask.holder, "id", None)
    request = Request(list(ask.names), limits, ask.slots, str(holder) if getattr(ask.holder, "type", None) == "task_run" else None)
    active = request.active
    if any(limit.limit < ask.slots for limit in active):
        raise _refused(422, ask.path, _msgs.SLOTS_OVER_LIMIT)
    without_decay = [limit.name for limit in active if limit.slot_decay_per_second == 0.0]
    if ask.mode == "rate_limit" and without_decay:
        raise _refused(422, ask.path, _msgs.RATE_LIMIT_WITHOUT_DECAY.format(names=",".join(without_decay)))
    return request


def _service_failed(ask: Ask, book: SlotBook, raised: str, s: Session) -> None:
    """The ERROR line Prefect's service thread logs for an attempt that failed."""
    if prefect_settings.internal_logging_level() > logging.ERROR:
        return
    book.futures += 1
    future = f"<Future at 0x7f{0x4a0000000 + 0x90 * book.futures:010x} state=finished raised {raised}>"
    item = "(" + ", ".join(repr(part) for part in ask.item()) + f", {future})"
    message = _msgs.SERVICE_FAILED.format(service=ask.service, item=item)
    s.emit(LogEmitted(s.now(), "ERROR", "prefect._internal.concurrency", message, thread="GlobalEventLoopThread"))


def _log(ask: Ask, message: str) -> None:
    """A warning on the run's logger; outside a run, ``prefect.concurrency``'s (rate_limit: none, as in Prefect)."""
    level = logging.DEBUG if ask.suppress_warnings else logging.WARNING
    ctx = current_run.current()
    if ctx is not None:
        ctx.run.log(level, message)
    elif ask.lease_duration is not None:
        emit_logger_log("prefect.concurrency", level, message)


def _delivered(error: BaseException) -> NoReturn:
    """Raise `error` as Prefect's synchronous API does: out of its service's future, so a traceback shows
    ``concurrent/futures/_base.py`` (``__get_result``) where Prefect's does."""
    import concurrent.futures  # when first needed: only a failed acquisition gets here

    future: concurrent.futures.Future[None] = concurrent.futures.Future()
    future.set_exception(error)
    future._Future__get_result()  # type: ignore[attr-defined]
    raise AssertionError("unreachable")  # pragma: no cover


class _Attempt:
    """One ask, from the server's answer to the slots or an error: what the sync and async waits share.

    `sync`: the caller is synchronous code, whose errors Prefect hands over through a future.
    """

    def __init__(self, ask: Ask, sync: bool = True) -> None:
        self.ask = ask
        self.sync = sync
        self.s = session()
        self.book = book_of(self.s.store)
        now = self.s.now()
        self.deadline = None if ask.timeout_seconds is None else now + ask.timeout_seconds
        try:
            self.request: Request | None = _request(ask, self.s)
        except _Refused as refused:
            self.fail(refused)
        if not self.request.limits:  # nothing by those names: nothing to hold
            if ask.strict:
                self.raise_(ConcurrencySlotAcquisitionError(_msgs.CONCURRENCY_LIMITS_STRICT.format(names=ask.names)))
            _log(ask, _msgs.CONCURRENCY_LIMITS_MISSING.format(names=ask.names))
            self.request = None
            return
        self.book.waiting.append(self.request)
        self.book.serve(now)
        if not self.request.granted and ask.max_retries == 0:  # the first answer was 423, and no retries
            self.book.waiting.remove(self.request)
            self.fail(_refused(423, ask.path, "Locked"))

    def fail(self, refused: _Refused) -> NoReturn:
        _service_failed(self.ask, self.book, type(refused.error).__name__, self.s)
        status = f"{refused.error.status}: {refused.error.detail}"  # Prefect's client quotes the server's detail
        self.raise_(ConcurrencySlotAcquisitionError(_msgs.CONCURRENCY_REFUSED.format(names=self.ask.names, status=status)),
                    refused.error)  # fmt: skip

    def raise_(self, error: BaseException, cause: BaseException | None = None) -> NoReturn:
        error.__cause__ = cause
        if self.sync:
            _delivered(error)
        raise error

    def until(self) -> float | None:
        """When to look again: when decay frees the slots, or the deadline, whichever is first (None: on release)."""
        assert self.request is not None
        now = self.s.now()
        times = [t for t in (self.book.wake_time(self.request, now), self.deadline) if t is not None]
        return max(min(times), now + 1e-6) if times else None  # the clock moves on, at least by its resolution

    def after_wait(self) -> bool:
        """After a wait: True once the slots are ours; raises the timeout once the deadline has passed."""
        assert self.request is not None
        now = self.s.now()
        if not self.request.granted:
            self.book.serve(now)
        if self.request.granted:
            return True
        if self.deadline is not None and now >= self.deadline - _EPSILON:
            self.book.waiting.remove(self.request)
            _service_failed(self.ask, self.book, "TimeoutError", self.s)
            self.raise_(AcquireConcurrencySlotTimeoutError(
                _msgs.CONCURRENCY_TIMEOUT.format(timeout=self.ask.timeout_seconds)), TimeoutError())  # fmt: skip
        return False

    @contextmanager
    def withdrawn_if_abandoned(self) -> Iterator[None]:
        """A wait that ends in an error (a timeout around it, a crash, the run cancelled) leaves the line,
        and gives back what it may have been granted meanwhile."""
        try:
            yield
        except BaseException:
            request = self.request
            if request is not None:
                if request in self.book.waiting:
                    self.book.waiting.remove(request)
                elif request.granted:
                    self.book.release(request, self.s.now())
            raise

    def lease(self) -> Lease | None:
        if self.request is None:
            return None
        return Lease(self.request, _announce(self.s, self.request, "acquired"))


def acquire(ask: Ask, sync: bool = True) -> Lease | None:
    """The slots, waiting for them on the scheduler as long as it takes (None: no limit by those names)."""
    attempt = _Attempt(ask, sync)
    request = attempt.request
    if request is not None:
        with attempt.withdrawn_if_abandoned():
            while not request.granted:
                attempt.s.scheduler.run_until(lambda: request.granted, attempt.until())
                if attempt.after_wait():
                    break
    return attempt.lease()


def acquire_steps(ask: Ask, sync: bool = True) -> Generator[Sleep | WaitFor, Any, Lease | None]:
    """`acquire` as a run's steps (``yield from``): the run waits as its driver waits, parking nothing."""
    attempt = _Attempt(ask, sync)
    request = attempt.request
    if request is not None:
        with attempt.withdrawn_if_abandoned():
            while not request.granted:
                until = attempt.until()
                yield WaitFor((request,)) if until is None else Sleep(max(0.0, until - attempt.s.now()))
                if attempt.after_wait():
                    break
    return attempt.lease()


async def aacquire(ask: Ask) -> Lease | None:
    """`acquire` in async code: the caller's other coroutines go on while it waits."""
    if len(asyncio.all_tasks()) <= 1:  # nothing else on this loop could free a slot: wait as sync code does
        return acquire(ask, sync=False)
    attempt = _Attempt(ask, sync=False)
    request = attempt.request
    if request is not None:
        with attempt.withdrawn_if_abandoned():
            await _wait_async(attempt, request)
    return attempt.lease()


async def _wait_async(attempt: _Attempt, request: Request) -> None:
    """Wait for the slots without blocking the loop: a grant wakes it (call_soon_threadsafe)."""
    loop = asyncio.get_running_loop()
    while not request.granted:
        woken: asyncio.Future[None] = loop.create_future()

        def wake(woken: asyncio.Future[None] = woken) -> None:
            loop.call_soon_threadsafe(_settle, woken)

        request.on_grant.append(wake)
        until = attempt.until()
        try:
            # A second at most: the loop's own waits are what let the scheduler run others meanwhile.
            timeout = 1.0 if until is None else max(0.0, until - attempt.s.now())
            await asyncio.wait_for(woken, timeout)
        except TimeoutError:
            pass
        finally:
            request.on_grant.remove(wake)
        if attempt.after_wait():
            break


def release(lease: Lease) -> None:
    s = session()
    book_of(s.store).release(lease.request, s.now())
    _announce(s, lease.request, "released", lease.acquired)


# -- events --------------------------------------------------------------------------------


def _announce(s: Session, request: Request, phase: str, follows: list[EventRecord] | None = None) -> list[EventRecord]:
    """``prefect.concurrency-limit.acquired`` / ``.released``, one per limit, as Prefect's client emits them."""
    events = []
    for i, limit in enumerate(request.limits):
        related = [{"prefect.resource.id": f"prefect.concurrency-limit.{other.id}",
                    "prefect.resource.role": "concurrency-limit"} for other in request.limits if other is not limit]  # fmt: skip
        event = EventRecord(
            s.new_id(), s.now(), f"prefect.concurrency-limit.{phase}",
            {"prefect.resource.id": f"prefect.concurrency-limit.{limit.id}", "prefect.resource.name": limit.name,
             "slots-acquired": str(request.slots), "limit": str(limit.limit)},
            related, follows=follows[i].id if follows else None,
        )  # fmt: skip
        s.store.events.append(event)
        events.append(event)
    return events


__all__ = [
    "AcquireConcurrencySlotTimeoutError", "Ask", "ConcurrencySlotAcquisitionError", "Lease", "Request", "SlotBook",
    "acquire", "acquire_steps", "aacquire", "book_of", "occupied", "release",
]  # fmt: skip
