"""Transactions (``prefect.transactions``): work that commits, or rolls back, as one.

Every task run runs in a transaction of its own, keyed by the task's cache key
(task_engine.py). When the task completes, its result is *staged*; when the
transaction *commits*, the result's record is written to the result store and
the task's ``on_commit`` hooks run; when it *rolls back*, its ``on_rollback``
hooks run, the last registered first, and the run is recorded
``Completed(name="RolledBack")``.

``with transaction():`` groups the work inside it. A transaction that ends
inside another hands itself to the outer one (its *parent*) instead of
committing, so the task runs in the block commit together when the block ends,
or roll back together when anything in it fails: a failing task rolls back
its own transaction, and with it the parent and every transaction the parent
holds, before the failure is logged.

- Commit modes (`CommitMode`): ``LAZY``, the default, commits when the
  outermost transaction ends; ``EAGER`` commits each transaction as it ends;
  ``OFF`` rolls back at the end whatever happened. A child takes its parent's
  mode, and its isolation level, unless given its own.
- A key makes the transaction write a record on commit (in the session's
  store, as Prefect writes it in its default result storage); a transaction
  that begins with the same key later, in this process or another, finds the
  record and is committed from the start (`Transaction.is_committed`).
- ``IsolationLevel.SERIALIZABLE`` takes a lock on the key for the whole
  transaction through the store's lock manager (``ResultStore(lock_manager=
  MemoryLockManager())``, locking/memory.py); without one the transaction
  fails to begin with Prefect's ConfigurationError.
- ``txn.set(name, value)`` / ``txn.get(name)`` keep values in a transaction; a
  child reads its parent's.

The active transaction is one ContextVar, as in Prefect. A task run's
transaction is opened and closed by the task engine (`BaseTransaction.open`,
`close`), which sets the ContextVar for each step of the run, since submitted
runs take turns on one thread here where Prefect gives each its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar, Token
from enum import Enum
from typing import Any, Protocol, TypeVar

from . import _msgs
from .annotations import NotSet
from .asyncutils import run_coro_as_sync
from .exceptions import ConfigurationError, MissingContextError, SerializationError
from .hooks import get_hook_name
from .loggers import get_logger, get_run_logger, setup_logging
from .results import ResultRecord, ResultStore
from .session import session

Hook = Callable[[Any], Any]
Self = TypeVar("Self", bound="BaseTransaction")


class _AutoEnum(str, Enum):
    """Prefect's AutoEnum: each value is its name, shown as ``Kind.NAME``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


class IsolationLevel(_AutoEnum):
    READ_COMMITTED = "READ_COMMITTED"
    SERIALIZABLE = "SERIALIZABLE"


class CommitMode(_AutoEnum):
    EAGER = "EAGER"
    LAZY = "LAZY"
    OFF = "OFF"


class TransactionState(_AutoEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    STAGED = "STAGED"
    COMMITTED = "COMMITTED"
    ROLLED_BACK = "ROLLED_BACK"


PENDING, ACTIVE, STAGED = TransactionState.PENDING, TransactionState.ACTIVE, TransactionState.STAGED
COMMITTED, ROLLED_BACK = TransactionState.COMMITTED, TransactionState.ROLLED_BACK
_FINAL = (COMMITTED, ROLLED_BACK)


class Owner(Protocol):
    """A task run, standing in the ContextVar for the transaction active in it (task_engine.py).

    Most task runs' own transactions could never be seen: no key worth computing,
    no hooks, no transaction around them. Such a run makes its transaction only if
    `get_transaction()` is called inside it.
    """

    def active_transaction(self) -> BaseTransaction | None:
        """During an attempt its own transaction (made now if need be), else the one it was called in."""
        ...


_active: ContextVar[BaseTransaction | Owner | None] = ContextVar("transaction", default=None)


def get_transaction() -> BaseTransaction | None:
    """The active transaction: inside a task, the task run's own; outside any, None."""
    active = _active.get()
    if active is None or isinstance(active, BaseTransaction):
        return active
    return active.active_transaction()


def activate(active: BaseTransaction | Owner | None) -> Callable[[], None]:
    """Make `active` the active transaction (or the task run that stands for it); return what restores
    the one before, whatever the step changed meanwhile. The task engine calls this as each step of a
    task run begins."""
    token = _active.set(active)
    return lambda: _active.reset(token)


def set_active(active: BaseTransaction | Owner | None) -> None:
    """Make `active` the active transaction for the rest of the current step (the task engine's)."""
    _active.set(active)


_holders = itertools.count(1)


def _now() -> dt.datetime:
    return dt.datetime.fromtimestamp(session().now(), dt.timezone.utc)


class BaseTransaction:
    """What sync and async transactions share: their fields, values, hooks, commit and rollback."""

    def __init__(
        self,
        *,
        store: ResultStore | None = None,
        key: str | None = None,
        children: list[Any] | None = None,
        commit_mode: CommitMode | str | None = None,
        isolation_level: IsolationLevel | str | None = IsolationLevel.READ_COMMITTED,
        state: TransactionState | str = TransactionState.PENDING,
        on_commit_hooks: list[Hook] | None = None,
        on_rollback_hooks: list[Hook] | None = None,
        overwrite: bool = False,
        logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
        write_on_commit: bool = True,
    ) -> None:
        self.store = store
        self.key = key
        self.children: list[BaseTransaction] = list(children or [])
        self.commit_mode = CommitMode(commit_mode) if commit_mode is not None else None
        self.isolation_level = IsolationLevel(isolation_level) if isolation_level is not None else None
        self.state = TransactionState(state)
        self.on_commit_hooks: list[Hook] = list(on_commit_hooks or [])
        self.on_rollback_hooks: list[Hook] = list(on_rollback_hooks or [])
        self.overwrite = overwrite
        self.logger: logging.Logger | logging.LoggerAdapter[Any] = logger or get_logger("transactions")
        self.write_on_commit = write_on_commit
        self._stored_values: dict[str, Any] = {}
        self._staged_value: Any = None
        self._record: ResultRecord | None = None  # the record found when it began
        self._holder = f"transaction-{next(_holders)}"  # who holds its lock (Prefect: a uuid)
        self._parent: BaseTransaction | None = None  # the transaction active when it was entered
        self._open = False
        self._token: Token[BaseTransaction | Owner | None] | None = None

    # -- values ---------------------------------------------------------------------------
    def set(self, name: str, value: Any) -> None:
        """Keep `value` under `name` in this transaction."""
        self._stored_values[name] = value

    def get(self, name: str, default: Any = NotSet) -> Any:
        """A copy of the value kept under `name` here, else in a parent; else `default`, else ValueError."""
        value = copy.deepcopy(self._stored_values.get(name, NotSet))
        if value is NotSet:
            parent = self.get_parent()
            if parent is not None:
                value = parent.get(name, default)
            elif default is not NotSet:
                value = default
            else:
                raise ValueError(_msgs.TXN_UNKNOWN_KEY.format(name=name))
        return value

    # -- state ----------------------------------------------------------------------------
    def is_committed(self) -> bool:
        return self.state == COMMITTED

    def is_rolled_back(self) -> bool:
        return self.state == ROLLED_BACK

    def is_staged(self) -> bool:
        return self.state == STAGED

    def is_pending(self) -> bool:
        return self.state == PENDING

    def is_active(self) -> bool:
        return self.state == ACTIVE

    @classmethod
    def get_active(cls) -> BaseTransaction | None:
        return get_transaction()

    def add_child(self, transaction: BaseTransaction) -> None:
        self.children.append(transaction)

    def get_parent(self) -> BaseTransaction | None:
        """The transaction this one began in; once it has ended, the active one."""
        if self._open:
            return self._parent
        return get_transaction()

    def stage(
        self, value: Any, on_rollback_hooks: list[Hook] | None = None, on_commit_hooks: list[Hook] | None = None
    ) -> None:
        """Keep `value` to be written on commit, with the hooks to run then (nothing once committed)."""
        if self.state != COMMITTED:
            self._staged_value = value
            self.on_rollback_hooks += on_rollback_hooks or []
            self.on_commit_hooks += on_commit_hooks or []
            self.state = STAGED

    # -- the life of a transaction (Prefect's __enter__ / __exit__ and what they call) -------
    def prepare_transaction(self) -> None:
        """Take the parent's mode and level where none was given, and check that the level can be had."""
        if self._open:
            raise RuntimeError(_msgs.TXN_ENTERED_TWICE)
        parent = get_transaction()
        self._parent = parent
        if self.commit_mode is None:
            self.commit_mode = parent.commit_mode if parent else CommitMode.LAZY
        if self.isolation_level is None:
            self.isolation_level = parent.isolation_level if parent else IsolationLevel.READ_COMMITTED
        if self.store and self.key and not self.store.supports_isolation_level(self.isolation_level):
            raise ConfigurationError(_msgs.SERIALIZABLE_UNSUPPORTED)
        self.state = ACTIVE  # before begin, which may find it committed

    def _locked(self) -> bool:
        return bool(self.store and self.key and self.isolation_level == IsolationLevel.SERIALIZABLE)

    def _begin(self) -> None:
        """Take the key's lock (SERIALIZABLE); a record under the key means committed already."""
        if self._locked():
            assert self.store is not None and self.key is not None
            self.store.acquire_lock(self.key, holder=self._holder)
        if not self.overwrite and self.store and self.key:
            self._record = self.store.find(self.key, _now)
            if self._record is not None:
                self.state = COMMITTED

    def open(self) -> ResultRecord | None:
        """Begin, and make this the active transaction until `close`: the task engine's ``with``, which
        may end in another step of the run than it began in (so no ContextVar token). Returns the
        record found under the key, if it began committed."""
        self.prepare_transaction()
        self._begin()
        self._open = True
        _active.set(self)
        return self._record

    def close(self, failed: bool) -> None:
        """End as ``with`` ends (Prefect's ``__exit__``): roll back after an error; else commit now
        (EAGER), leave the rest to the parent, or as the last one commit (LAZY) or roll back (OFF)."""
        if failed:
            self.rollback_now()
            self._reset()
            return
        if self.commit_mode == CommitMode.EAGER:
            self.commit_now()
        if self.get_parent() is not None:
            self._reset()
            return
        if self.commit_mode == CommitMode.OFF:
            self.rollback_now()  # nothing if committed already
        elif self.commit_mode == CommitMode.LAZY:
            self.commit_now()
        self._reset()

    def _reset(self) -> None:
        """Hand this transaction to its parent and make the parent active; a rollback reaches the parent."""
        parent = self.get_parent()
        if parent is not None:
            parent.add_child(self)
        if self._open:
            self._open = False
            if self._token is not None:
                _active.reset(self._token)
                self._token = None
            else:
                _active.set(parent)
        if parent is not None and self.state == ROLLED_BACK:
            parent.rollback_now()

    def _read(self) -> ResultRecord | None:
        if self.store and self.key:
            if self._record is not None:
                return self._record
            return self.store.read(self.key, holder=self._holder)
        return None

    def _release(self) -> None:
        assert self.store is not None and self.key is not None
        self.store.release_lock(self.key, holder=self._holder)

    def commit_now(self) -> bool:
        """Prefect's ``commit``, here and now whatever the kind of transaction (a parent commits its
        children so): commit the children, run the commit hooks, write the record; False if it was over."""
        if self.state in _FINAL:
            if self._locked():
                self._release()
            return False
        try:
            for child in self.children:
                child.commit_now()
            for hook in self.on_commit_hooks:
                self._run_hook(hook, "commit")
            if self.store and self.key and self.write_on_commit:
                staged = self._staged_value
                if isinstance(staged, ResultRecord):
                    self.store.persist_result_record(staged, holder=self._holder)
                else:
                    self.store.write(staged, key=self.key, holder=self._holder)
            self.state = COMMITTED
            if self._locked():
                self._release()
            return True
        except SerializationError as exc:
            self.logger.warning(_msgs.SERIALIZE_WARNING.format(key=self.key, error=exc))
            self.rollback_now()
            return False
        except Exception:
            self.logger.exception(_msgs.TXN_COMMIT_ERROR.format(key=self.key))
            self.rollback_now()
            return False

    def rollback_now(self) -> bool:
        """Prefect's ``rollback``, here and now: run the rollback hooks (last first), then roll back the
        children; False if it was over already."""
        if self.state in _FINAL:
            return False
        try:
            for hook in reversed(self.on_rollback_hooks):
                self._run_hook(hook, "rollback")
            self.state = ROLLED_BACK
            for child in reversed(self.children):
                child.rollback_now()
            return True
        except Exception:
            self.logger.exception(_msgs.TXN_ROLLBACK_ERROR.format(key=self.key))
            return False
        finally:
            if self._locked():
                self._release()

    def _run_hook(self, hook: Hook, kind: str) -> None:
        """Call `hook(self)`, logged on the transaction's logger (unless the hook says ``log_on_run = False``)."""
        name = get_hook_name(hook)
        logged = getattr(hook, "log_on_run", True)
        if logged:
            self.logger.info(_msgs.TXN_HOOK_RUNNING.format(kind=kind, name=name))
        try:
            result = hook(self)
            if inspect.iscoroutine(result):
                run_coro_as_sync(result)
        except Exception:
            if logged:
                self.logger.error(_msgs.TXN_HOOK_ERROR.format(kind=kind, name=name))
            raise
        if logged:
            self.logger.info(_msgs.TXN_HOOK_FINISHED.format(Kind=kind.capitalize(), name=name))


class Transaction(BaseTransaction):
    """A transaction, used as ``with transaction(...) as txn:`` (or ``with Transaction(...)``)."""

    def __enter__(self: Self) -> Self:
        self.prepare_transaction()
        self._begin()
        self._open = True
        self._token = _active.set(self)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if not self._open:
            raise RuntimeError(_msgs.TXN_EXIT_WITHOUT_ENTER)
        self.close(exc_type is not None)  # an exception goes on after the rollback

    def begin(self) -> None:
        self._begin()

    def read(self) -> ResultRecord | None:
        """The record under the key (None without a key)."""
        return self._read()

    def reset(self) -> None:
        self._reset()

    def commit(self) -> bool:
        return self.commit_now()

    def rollback(self) -> bool:
        return self.rollback_now()

    def run_hook(self, hook: Hook, hook_type: str) -> None:
        self._run_hook(hook, hook_type)


class AsyncTransaction(BaseTransaction):
    """A transaction used as ``async with atransaction(...) as txn:``; its methods are coroutines.

    Its hooks run as a sync transaction's do (an ``async def`` hook to its end), not
    in a worker thread as Prefect's do: there are no threads in the browser.
    """

    async def __aenter__(self: Self) -> Self:
        self.prepare_transaction()
        self._begin()
        self._open = True
        self._token = _active.set(self)
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if not self._open:
            raise RuntimeError(_msgs.TXN_EXIT_WITHOUT_ENTER)
        self.close(exc_type is not None)

    def __enter__(self) -> Any:
        raise NotImplementedError(_msgs.ASYNC_TXN_IN_WITH)

    def __exit__(self, *exc_info: Any) -> Any:
        raise NotImplementedError(_msgs.ASYNC_TXN_IN_WITH)

    async def begin(self) -> None:
        self._begin()

    async def read(self) -> ResultRecord | None:
        return self._read()

    async def reset(self) -> None:
        self._reset()

    async def commit(self) -> bool:
        return self.commit_now()

    async def rollback(self) -> bool:
        return self.rollback_now()

    async def run_hook(self, hook: Hook, hook_type: str) -> None:
        self._run_hook(hook, hook_type)


def _logger(given: logging.Logger | logging.LoggerAdapter[Any] | None) -> logging.Logger | logging.LoggerAdapter[Any]:
    """The logger given, else the run's, else Prefect's ``prefect.transactions``."""
    setup_logging()
    if given is not None:
        return given
    try:
        return get_run_logger()
    except MissingContextError:
        return get_logger("transactions")


@contextmanager
def transaction(
    key: str | None = None,
    store: ResultStore | None = None,
    commit_mode: CommitMode | None = None,
    isolation_level: IsolationLevel | None = None,
    overwrite: bool = False,
    write_on_commit: bool = True,
    logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
) -> Iterator[Transaction]:
    """Open a transaction for the block; with a `key`, its record goes to the result store on commit."""
    if key and not store:
        store = ResultStore()
    with Transaction(
        key=key, store=store, commit_mode=commit_mode, isolation_level=isolation_level, overwrite=overwrite,
        write_on_commit=write_on_commit, logger=_logger(logger),
    ) as txn:  # fmt: skip
        yield txn


@asynccontextmanager
async def atransaction(
    key: str | None = None,
    store: ResultStore | None = None,
    commit_mode: CommitMode | None = None,
    isolation_level: IsolationLevel | None = None,
    overwrite: bool = False,
    write_on_commit: bool = True,
    logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
) -> AsyncIterator[AsyncTransaction]:
    """`transaction`, for ``async with``."""
    if key and not store:
        store = ResultStore()
    async with AsyncTransaction(
        key=key, store=store, commit_mode=commit_mode, isolation_level=isolation_level, overwrite=overwrite,
        write_on_commit=write_on_commit, logger=_logger(logger),
    ) as txn:  # fmt: skip
        yield txn


for _cls in (IsolationLevel, CommitMode, TransactionState, BaseTransaction, Transaction, AsyncTransaction):
    _cls.__module__ = "prefect.transactions"

__all__ = [
    "AsyncTransaction", "BaseTransaction", "CommitMode", "IsolationLevel", "Owner", "Transaction",
    "TransactionState", "activate", "atransaction", "get_transaction", "set_active", "transaction",
]  # fmt: skip
