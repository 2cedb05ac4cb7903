"""Result records and where they are kept: what a cache hit reads.

When a task's result is persisted, Prefect writes a *result record* under the
run's cache key: a small JSON document holding the pickled value and when it
expires, in a file named by the key, in ``~/.prefect/storage`` (or
``PREFECT_LOCAL_STORAGE_PATH``). A later run with the same key, in the same
process or another one, reads it instead of running the task.

sim_prefect writes the same records (Prefect's format, pickled with the
standard library's ``pickle``) to one of three stores:

- `DirectoryStore`: files, like Prefect's, in ``PREFECT_LOCAL_STORAGE_PATH`` or
  else ``$SIM_PREFECT_HOME/storage`` (``~/.sim_prefect/storage``): never in
  Prefect's own folder, so the two never read each other's records by chance.
  Delete the folder to clear the cache. (``real`` and ``fast`` modes.)
- `MemoryStore`: in memory, empty at start, so that ``deterministic`` mode
  prints the same thing every time.
- the page's store (playground/results.py): kept by the page outside the
  Python worker, so it outlives each Run as Prefect's files outlive a process.

Within one process, a hit returns the very object the first run returned, as
Prefect's store does through its in-memory cache.

`ResultStore` is also Prefect's public class (``prefect.results.ResultStore``).
One made by user code, ``ResultStore(lock_manager=MemoryLockManager())``, keeps
its records in the session's store, as Prefect's default result storage is the
one its runs use; its lock manager lets a transaction take a lock on its key
(``IsolationLevel.SERIALIZABLE``, transactions.py). Result storage other than
the default (storage blocks) and the rest of ``prefect.results`` are refused,
naming the feature.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from . import _msgs, prefect_settings
from .exceptions import ConfigurationError, SerializationError, not_imitated

PICKLE = {"type": "pickle", "picklelib": "cloudpickle", "picklelib_version": None}


@dataclass
class ResultRecord:
    """A stored result: the value, and when it stops being reusable."""

    key: str
    value: Any
    expiration: dt.datetime | None = None
    serializer: str = "pickle"

    @property
    def result(self) -> Any:
        """The value, by Prefect's name for it (``record.result``)."""
        return self.value

    def expired(self, now: dt.datetime) -> bool:
        return self.expiration is not None and self.expiration <= now


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dump_record(record: ResultRecord, storage_key: str) -> str:
    """The record as Prefect writes it: compact JSON, the value pickled and base64-encoded."""
    serializer = record.serializer
    try:
        if serializer == "json":
            data = json.dumps(record.value).encode()
        else:
            import pickle  # when first needed: importing it costs the page's first boot 45 ms

            data = pickle.dumps(record.value)
    except Exception as exc:
        raise SerializationError(
            _msgs.SERIALIZE_FAILED.format(type=type(record.value).__name__, serializer=serializer)
        ) from exc
    metadata = {
        "storage_key": storage_key,
        "expiration": _iso(record.expiration),
        "serializer": PICKLE if serializer == "pickle" else {"type": "json"},
        "prefect_version": prefect_settings.PREFECT_VERSION,
        "storage_block_id": None,
    }
    document = {"metadata": metadata, "result": base64.encodebytes(data).decode()}
    return json.dumps(document, separators=(",", ":"))


def load_record(key: str, text: str) -> ResultRecord:
    document = json.loads(text)
    metadata = document["metadata"]
    data = base64.decodebytes(document["result"].encode())
    kind = metadata["serializer"]["type"]
    if kind == "json":
        value = json.loads(data)
    else:
        import pickle

        value = pickle.loads(data)
    expiration = metadata.get("expiration")
    when = dt.datetime.strptime(expiration, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc) if expiration else None
    return ResultRecord(key, value, when, "json" if kind == "json" else "pickle")


class Session(Protocol):
    """What a store needs of the session (session.py links it: a lower layer cannot import it)."""

    @property
    def results(self) -> ResultStore: ...

    @property
    def now(self) -> Callable[[], float]: ...


_session: Callable[[], Session] | None = None


def link_session(current: Callable[[], Session]) -> None:
    """Name the function that gives the current session: its store holds the records of a store
    made by user code, and its clock says when a record has expired."""
    global _session
    _session = current


def _current() -> Session:
    assert _session is not None, "session.py links the session when it is imported"
    return _session()


def _now() -> dt.datetime:
    return dt.datetime.fromtimestamp(_current().now(), dt.timezone.utc)


def _random_key() -> str:
    """Prefect's default storage key: a random hex uuid (only for a record written without a key)."""
    import uuid  # when first needed: importing it costs the page's first boot

    return uuid.uuid4().hex


def _default_holder() -> str:
    """Who holds a lock when no holder is named: this process and thread, as Prefect's default holder."""
    return f"{os.getpid()}:{threading.get_ident()}:{threading.current_thread().name}"


class ResultStore:
    """Records by key, and locks on them (``prefect.results.ResultStore``).

    `MemoryStore` and `DirectoryStore` keep records themselves; a store made by
    user code keeps them in the session's store (Prefect's default result
    storage), or in the store it was made `over`.
    """

    keeps_records = False  # MemoryStore and DirectoryStore: True

    def __init__(
        self,
        *,
        result_storage: Any = None,
        metadata_storage: Any = None,
        lock_manager: Any = None,
        cache_result_in_memory: bool = True,
        serializer: Any = None,
        storage_key_fn: Callable[[], str] | None = None,
    ) -> None:
        for name, storage in (("result_storage", result_storage), ("metadata_storage", metadata_storage)):
            if storage is not None:
                raise not_imitated("storage blocks", f"ResultStore({name}={storage!r})")
        if serializer not in (None, "pickle", "json"):
            raise not_imitated("result serializers other than 'pickle' and 'json'", f"{serializer!r}")
        self.result_storage = None
        self.metadata_storage = None
        self.lock_manager = lock_manager
        self.cache_result_in_memory = cache_result_in_memory
        self.serializer: str = serializer or "pickle"
        self.storage_key_fn = storage_key_fn or _random_key
        self._recent: dict[str, ResultRecord] = {}  # this process's records, as objects
        self._records: ResultStore | None = None  # see `over`
        self._own_only = False

    @classmethod
    def over(cls, records: ResultStore, lock_manager: Any = None, own_only: bool = False) -> ResultStore:
        """A store whose records are those of `records`, with its own lock manager: Prefect's store
        updated for a task (its storage, the lock manager of its cache policy or of the enclosing
        transaction). `own_only`: its keys hold a flow run's id (see `find`)."""
        store = cls(lock_manager=lock_manager)
        store._records = records.record_store()
        store._own_only = own_only
        return store

    def record_store(self) -> ResultStore:
        """The store that holds this one's records: itself, the one it was made over, or the session's."""
        if self.keeps_records:
            return self
        return self._records if self._records is not None else _current().results

    # -- records, as the engine reads and writes them ---------------------------------------
    def find(self, key: str, now: Callable[[], dt.datetime], own_only: bool = False) -> ResultRecord | None:
        """The live record for `key`, or None (none, or expired at `now()`).

        `own_only`: the key holds this flow run's id, so only a record this process
        wrote can match (never one an earlier process stored, ids repeat or not).
        """
        records = self.record_store()
        if records is not self:
            return records.find(key, now, own_only or self._own_only)
        record = self._recent.get(key)
        if record is None and own_only:
            return None
        if record is None or not self._exists(key):
            text = self._load(key)
            record = load_record(key, text) if text is not None else None
        if record is None or record.expired(now()):
            return None
        self._recent[key] = record
        return record

    def save(self, record: ResultRecord) -> None:
        """Keep `record`; raises SerializationError if its value cannot be serialized."""
        records = self.record_store()
        if records is not self:
            records.save(record)
            return
        self._save(record.key, dump_record(record, self.storage_key(record.key)))
        self._recent[record.key] = record

    def storage_key(self, key: str) -> str:
        records = self.record_store()
        return key if records is self else records.storage_key(key)

    def _exists(self, key: str) -> bool:
        return self._load(key) is not None

    def _load(self, key: str) -> str | None:
        raise NotImplementedError

    def _save(self, key: str, text: str) -> None:
        raise NotImplementedError

    # -- Prefect's methods -------------------------------------------------------------------
    def exists(self, key: str) -> bool:
        """Is there a live record for `key`?"""
        return self.find(key, _now) is not None

    def read(self, key: str, holder: str | None = None) -> ResultRecord:
        """The record for `key` (waiting first while another holder has it locked)."""
        if self.lock_manager is not None and not self.is_lock_holder(key, holder):
            self.wait_for_lock(key)
        record = self.find(key, _now)
        if record is None:
            raise ValueError(f"Path {self.storage_key(key)} does not exist.")
        return record

    def create_result_record(self, obj: Any, key: str | None = None, expiration: dt.datetime | None = None) -> ResultRecord:
        return ResultRecord(key or self.storage_key_fn(), obj, expiration, self.serializer)

    def write(
        self, obj: Any, key: str | None = None, expiration: dt.datetime | None = None, holder: str | None = None
    ) -> None:
        self.persist_result_record(self.create_result_record(obj, key, expiration), holder)

    def persist_result_record(self, result_record: ResultRecord, holder: str | None = None) -> None:
        key = result_record.key
        if self.lock_manager is not None and self.is_locked(key) and not self.is_lock_holder(key, holder):
            raise RuntimeError(_msgs.RECORD_LOCKED.format(key=key))
        self.save(result_record)

    async def aexists(self, key: str) -> bool:
        return self.exists(key)

    async def aread(self, key: str, holder: str | None = None) -> ResultRecord:
        return self.read(key, holder)

    async def awrite(
        self, obj: Any, key: str | None = None, expiration: dt.datetime | None = None, holder: str | None = None
    ) -> None:
        self.write(obj, key, expiration, holder)

    # -- locks (the lock manager's, by Prefect's names) ----------------------------------------
    def supports_isolation_level(self, level: Any) -> bool:
        if level == "READ_COMMITTED":
            return True
        if level == "SERIALIZABLE":
            return self.lock_manager is not None
        raise ValueError(f"Unsupported isolation level: {level}")

    def _lock_manager(self) -> Any:
        if self.lock_manager is None:
            raise ConfigurationError(_msgs.NO_LOCK_MANAGER)
        return self.lock_manager

    def acquire_lock(self, key: str, holder: str | None = None, timeout: float | None = None) -> bool:
        return bool(self._lock_manager().acquire_lock(key, holder or _default_holder(), timeout))

    async def aacquire_lock(self, key: str, holder: str | None = None, timeout: float | None = None) -> bool:
        return bool(await self._lock_manager().aacquire_lock(key, holder or _default_holder(), timeout))

    def release_lock(self, key: str, holder: str | None = None) -> None:
        self._lock_manager().release_lock(key, holder or _default_holder())

    def is_locked(self, key: str) -> bool:
        return bool(self._lock_manager().is_locked(key))

    def is_lock_holder(self, key: str, holder: str | None = None) -> bool:
        return bool(self._lock_manager().is_lock_holder(key, holder or _default_holder()))

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return bool(self._lock_manager().wait_for_lock(key, timeout))

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return bool(await self._lock_manager().await_for_lock(key, timeout))


class MemoryStore(ResultStore):
    """Records kept in this process only (deterministic mode): every run starts with none."""

    keeps_records = True

    def __init__(self, records: dict[str, str] | None = None, on_save: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self.records: dict[str, str] = dict(records or {})
        self.on_save = on_save

    def _load(self, key: str) -> str | None:
        return self.records.get(key)

    def _save(self, key: str, text: str) -> None:
        self.records[key] = text
        if self.on_save is not None:
            self.on_save(key, text)


class DirectoryStore(ResultStore):
    """One file per record, named by its key, in `folder` (created on the first write)."""

    keeps_records = True

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self._prefix = str(folder.absolute()) + os.sep  # a lookup happens on every call of a task
        # No folder, no records: then a lookup needs no file system call until this process writes one.
        self._folder_seen = folder.is_dir()

    def storage_key(self, key: str) -> str:
        return self._prefix + key

    def _load(self, key: str) -> str | None:
        if not self._folder_seen:
            return None
        try:
            with open(self._prefix + key, encoding="utf-8") as record:
                return record.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def _save(self, key: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._folder_seen = True
        (self.folder / key).write_text(text, encoding="utf-8")


def default_folder() -> Path:
    """Where records go unless told otherwise (see the module's docstring)."""
    configured = prefect_settings.local_storage_path()
    if configured is not None:
        return Path(configured).expanduser()
    home = os.environ.get("SIM_PREFECT_HOME") or os.path.join("~", ".sim_prefect")
    return Path(home).expanduser() / "storage"


def store_for(result_storage: Any, key_storage: Any, default: ResultStore) -> ResultStore:
    """The store a task's records go to: its own folder (a Path), or the session's."""
    for location in (key_storage, result_storage):
        if location is None:
            continue
        if isinstance(location, Path) or (location is key_storage and isinstance(location, str)):
            return DirectoryStore(Path(location).expanduser())
        raise not_imitated("storage blocks", f"result storage {location!r}")
    return default


# The rest of Prefect's prefect.results: importing one of these names fails, naming it.
_NOT_IMITATED = frozenset({
    "DEFAULT_STORAGE_KEY_FN", "ResultRecordMetadata", "aget_default_result_storage", "aresolve_result_storage",
    "default_cache", "get_default_persist_setting", "get_default_persist_setting_for_tasks",
    "get_default_result_serializer", "get_default_result_storage", "get_or_create_default_task_scheduling_storage",
    "get_result_store", "resolve_result_storage", "resolve_serializer", "result_storage_discriminator",
    "should_persist_result",
})  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _NOT_IMITATED:
        raise not_imitated("the result store API beyond ResultStore and ResultRecord", f"prefect.results.{name}")
    raise AttributeError(f"module 'prefect.results' has no attribute {name!r}")


for _cls in (ResultRecord, ResultStore):
    _cls.__module__ = "prefect.results"

__all__ = [
    "DirectoryStore", "MemoryStore", "ResultRecord", "ResultStore", "default_folder", "link_session", "store_for",
]  # fmt: skip
