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
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _msgs, prefect_settings
from .exceptions import SerializationError, not_imitated

PICKLE = {"type": "pickle", "picklelib": "cloudpickle", "picklelib_version": None}
_PREFECT_VERSION = "3.9.1"


@dataclass
class ResultRecord:
    """A stored result: the value, and when it stops being reusable."""

    key: str
    value: Any
    expiration: dt.datetime | None = None

    def expired(self, now: dt.datetime) -> bool:
        return self.expiration is not None and self.expiration <= now


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dump_record(record: ResultRecord, storage_key: str, serializer: str = "pickle") -> str:
    """The record as Prefect writes it: compact JSON, the value pickled and base64-encoded."""
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
        "prefect_version": _PREFECT_VERSION,
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
    return ResultRecord(key, value, when)


class ResultStore:
    """Records by key. Subclasses say where the serialized records live."""

    def __init__(self) -> None:
        self._recent: dict[str, ResultRecord] = {}  # this process's records, as objects

    def read(self, key: str, now: Callable[[], dt.datetime], own_only: bool = False) -> ResultRecord | None:
        """The live record for `key`, or None (none, or expired at `now()`).

        `own_only`: the key holds this flow run's id, so only a record this process
        wrote can match (never one an earlier process stored, ids repeat or not).
        """
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

    def write(self, record: ResultRecord, serializer: str = "pickle") -> None:
        """Keep `record`; raises SerializationError if its value cannot be serialized."""
        self._save(record.key, dump_record(record, self.storage_key(record.key), serializer))
        self._recent[record.key] = record

    def storage_key(self, key: str) -> str:
        return key

    def _exists(self, key: str) -> bool:
        return self._load(key) is not None

    def _load(self, key: str) -> str | None:
        raise NotImplementedError

    def _save(self, key: str, text: str) -> None:
        raise NotImplementedError


class MemoryStore(ResultStore):
    """Records kept in this process only (deterministic mode): every run starts with none."""

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


__all__ = ["DirectoryStore", "MemoryStore", "ResultRecord", "ResultStore", "default_folder", "store_for"]
