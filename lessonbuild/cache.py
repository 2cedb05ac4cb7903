"""A content-addressed cache of what is slow to make: esbuild's bundles, highlighted code, rendered logs.

Each entry is keyed by a hash of everything that goes into it (the inputs'
bytes, and the version of the tool that made it), so an entry can never be
stale: a changed input is a different key. Entries live in memory for the
warm rebuilds of ``--serve``, and on disk in ``.build/cache/`` beside
``_site/`` (git-ignored), so a fresh ``python -m lessonbuild`` reuses the work of the
last one; delete the folder to build from nothing. After a successful build,
entries that build did not use are dropped, so the cache stays the size of one
site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

Entry = tuple[str, str]  # (namespace, key)


def key_of(*parts: str | bytes) -> str:
    """A key for an entry made from `parts` (each one length-prefixed, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def files_key(paths: Iterable[Path], *extra: str | bytes) -> str:
    """A key for an entry made from these files' paths and bytes (and `extra`)."""
    parts: list[str | bytes] = list(extra)
    for path in sorted(paths):
        parts += [str(path), path.read_bytes()]
    return key_of(*parts)


class BuildCache:
    """`get(namespace, key, make)`: the bytes `make()` returned for this key, made at most once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._memory: dict[Entry, bytes] = {}
        self._used: set[Entry] = set()
        self._lock = threading.Lock()
        self._local = threading.local()

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[Entry]]:
        """Collect the entries this thread uses meanwhile (a cached page lists the entries it was made of)."""
        previous = getattr(self._local, "record", None)
        record: list[Entry] = []
        self._local.record = record
        try:
            yield record
        finally:
            self._local.record = previous

    def touch(self, entries: Iterable[Entry]) -> None:
        """Count entries as used by this build, so `prune` keeps them."""
        with self._lock:
            self._used.update((ns, key) for ns, key in entries)

    def _mark(self, entry: Entry) -> None:
        with self._lock:
            self._used.add(entry)
        record = getattr(self._local, "record", None)
        if record is not None:
            record.append(entry)

    def get(self, namespace: str, key: str, make: Callable[[], bytes]) -> bytes:
        entry = (namespace, key)
        self._mark(entry)
        with self._lock:
            data = self._memory.get(entry)
        if data is not None:
            return data
        path = self._path(entry)
        if path is not None and path.is_file():
            data = path.read_bytes()
        else:
            data = make()
            if path is not None:
                self._write(path, data)
        with self._lock:
            self._memory[entry] = data
        return data

    def load(self, namespace: str, key: str) -> bytes | None:
        """The entry, if there is one (it then counts as used); no `make`."""
        entry = (namespace, key)
        with self._lock:
            data = self._memory.get(entry)
        if data is None:
            path = self._path(entry)
            if path is None or not path.is_file():
                return None
            data = path.read_bytes()
            with self._lock:
                self._memory[entry] = data
        self._mark(entry)
        return data

    def store(self, namespace: str, key: str, data: bytes) -> None:
        entry = (namespace, key)
        with self._lock:
            self._memory[entry] = data
        self._mark(entry)
        path = self._path(entry)
        if path is not None:
            self._write(path, data)

    def get_text(self, namespace: str, key: str, make: Callable[[], str]) -> str:
        return self.get(namespace, key, lambda: make().encode("utf-8")).decode("utf-8")

    def prune(self) -> None:
        """Forget what the last build did not use; start counting afresh for the next."""
        with self._lock:
            used, self._used = self._used, set()
            self._memory = {entry: data for entry, data in self._memory.items() if entry in used}
        if self.folder is None or not self.folder.is_dir():
            return
        keep = {self._path(entry) for entry in used}
        for namespace in {ns for ns, _ in used}:
            for path in (self.folder / namespace).glob("*"):
                if path not in keep:
                    path.unlink(missing_ok=True)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
            self._used.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, entry: Entry) -> Path | None:
        return self.folder / entry[0] / entry[1] if self.folder is not None else None

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write whole or not at all: another build may read the entry at the same moment."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
