"""A content-addressed cache of what is slow to make: esbuild's bundles, highlighted code, rendered logs.

Each entry is keyed by a hash of everything that goes into it (the inputs'
bytes, and the version of the tool that made it), so an entry can never be
stale: a changed input is a different key. Entries live in memory for the
warm rebuilds of ``--serve``, and on disk in ``.build/cache/`` beside
``_site/`` (git-ignored), so a fresh ``python -m lessonbuild`` reuses the work of the
last one; delete the folder to build from nothing. After a successful build,
entries that build did not use are dropped, so the cache stays the size of one
site.

A key is made from its input files' SHA-256 digests (`files_key`). Reading and
hashing every input on every build would cost more than the rest of a cached
build (Pyodide's 10 MB are an input of the memory snapshot), so `Digests`
remembers each file's digest together with its size, modification time (ns),
inode and device, as git's index does: a file whose stat is unchanged is not
read again. (Not its change time: hard-linking Pyodide's files into the site,
as every build does, moves it; git's ``core.trustctime=false``.) A file changed
in the last two seconds is always read (git's "racily clean" rule: a second
write within the file system's timestamp granularity could leave the stat as
it was), and so is one whose stat moves while it is read. What this cannot see
is a same-size rewrite in place that also sets the old modification time back
(``cp -p`` onto the file); ``make clean`` then builds from nothing. The digests
are kept beside the cache (``digests.json``) for the next process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
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
    """A key for an entry made from these files' paths and contents (their digests), and `extra`."""
    parts: list[str | bytes] = list(extra)
    for path in sorted(paths):
        parts += [str(path), DIGESTS.digest(path)]
    return key_of(*parts)


Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, device
SETTLED_NS = 2_000_000_000  # a file changed more recently than this is read again on every use


def _stat(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


class Digests:
    """Files' SHA-256 digests (hex), read again only when their stat changes (see the module's docstring)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[Stat, str]] = {}
        self._lock = threading.Lock()
        self._loaded: set[Path] = set()
        self._dirty = False

    def digest(self, path: Path) -> str:
        name = str(path)
        st = _stat(os.stat(name))
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[0] == st:
            return known[1]
        data = Path(name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        after = _stat(os.stat(name))
        if after == st and time.time_ns() - st[1] > SETTLED_NS:
            with self._lock:
                self._known[name] = (st, digest)
                self._dirty = True
        return digest

    def load(self, file: Path) -> None:
        """Take in the digests a previous process kept in `file` (once per file)."""
        if file in self._loaded:
            return
        self._loaded.add(file)
        try:
            saved = json.loads(file.read_bytes())
        except (OSError, ValueError):
            return
        with self._lock:
            for name, (st, digest) in saved.items():
                if len(st) == 4:
                    self._known.setdefault(name, (tuple(st), digest))

    def save(self, file: Path) -> None:
        """Keep the digests of the files that still exist, for the next process."""
        with self._lock:
            if not self._dirty and file.exists():
                return
            self._dirty = False
            known = {name: entry for name, entry in self._known.items() if os.path.exists(name)}
            self._known = dict(known)
        data = json.dumps({name: [list(st), digest] for name, (st, digest) in sorted(known.items())}).encode()
        file.parent.mkdir(parents=True, exist_ok=True)
        BuildCache._write(file, data)


DIGESTS = Digests()


class BuildCache:
    """`get(namespace, key, make)`: the bytes `make()` returned for this key, made at most once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        if folder is not None:
            DIGESTS.load(folder / "digests.json")
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
        DIGESTS.save(self.folder / "digests.json")
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
