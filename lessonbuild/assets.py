"""Static assets: fingerprinted file names, and the Python the page ships, packaged once.

Each of our own files gets a content hash in its name (``page-3f2a….js``), so
a host may cache them forever. ``python.zip.gz`` holds ``sim_prefect`` and
``playground`` for the worker to unpack into Pyodide, without their docstrings
and comments (`slim.py`), in a zip gzipped whole; it is byte-identical for identical sources. Each
file's slimmed text is cached by its content (a save of one module slims that
module only), and when many files need slimming (a build from nothing) the
work is shared out to worker processes (``python -S``, `slim.worker`),
so it runs beside the rendering of the lessons instead of taking turns with it
for the interpreter lock.
``pytest.zip`` holds pytest, as pip installed it, for the page's test modules. Producing an asset goes through the build cache (`cache.py`),
keyed by its inputs' bytes, so a rebuild repeats only what changed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from . import slim as slim_module
from .cache import DIGESTS, BuildCache, Entry, key_of
from .errors import BuildError

PYTHON_PACKAGES = ("sim_prefect", "playground")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprinted_name(name: str, data: bytes) -> str:
    """``page.js`` -> ``page-<hash>.js``: the name changes whenever the content does."""
    stem, dot, ext = name.partition(".")
    return f"{stem}-{content_hash(data)}{dot}{ext}"


def is_python_source(path: Path) -> bool:
    return path.suffix == ".py" and "__pycache__" not in path.parts and path.is_file()


def python_files(project_root: Path) -> list[Path]:
    """The files that go into python.zip (also the inputs of its cache key)."""
    return [
        path for package in PYTHON_PACKAGES for path in sorted((project_root / package).rglob("*")) if is_python_source(path)
    ]


def python_zip(project_root: Path, cache: BuildCache | None = None) -> bytes:
    """sim_prefect and playground as one zip, slimmed, byte-identical for identical sources.

    Its files are stored, not deflated: the page downloads the zip gzipped whole (`packed`), which is a
    quarter smaller than deflating each file on its own, since our modules repeat each other's words."""
    files = python_files(project_root)
    names = [path.relative_to(project_root).as_posix() for path in files]
    slimmed = slimmed_sources(list(zip(names, (path.read_bytes() for path in files))), cache)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, data in zip(names, slimmed):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def packed(data: bytes) -> bytes:
    """A file as the page downloads it gzipped (the worker unpacks it; the same bytes for the same input)."""
    return gzip.compress(data, 9, mtime=0)


# -- slimming, file by file -------------------------------------------------------------

SLIM_FILES_PER_WORKER = 16  # fewer files than this to slim: in this process (a worker costs a Python start)
SLIM_WORKERS = int(os.environ.get("LESSONBUILD_SLIM_WORKERS", "0")) or min(os.cpu_count() or 1, 4)


@lru_cache(maxsize=1)
def _slim_tool() -> str:
    """What a slimmed text depends on besides its source: slim.py, and the Python that proved it."""
    return key_of(Path(slim_module.__file__).read_bytes(), sys.version)


def slim_entries(project_root: Path) -> list[Entry]:
    """The cache entries of python.zip's files as they are now (kept by a build whose python.zip was cached)."""
    return [("slim", key_of(_slim_tool(), DIGESTS.digest(path))) for path in python_files(project_root)]


def slimmed_sources(files: list[tuple[str, bytes]], cache: BuildCache | None) -> list[bytes]:
    """Each (name, UTF-8 source) slimmed, from the cache when that source was slimmed before."""
    keys = [key_of(_slim_tool(), hashlib.sha256(data).hexdigest()) for _, data in files]
    done: list[bytes | None] = [cache.load("slim", key) if cache else None for key in keys]
    todo = [i for i, data in enumerate(done) if data is None]
    for i, data in zip(todo, _slim_all([files[i] for i in todo])):
        done[i] = data
        if cache is not None:
            cache.store("slim", keys[i], data)
    return [data for data in done if data is not None]


def _slim_all(files: list[tuple[str, bytes]]) -> list[bytes]:
    workers = min(SLIM_WORKERS, len(files) // SLIM_FILES_PER_WORKER)
    if workers < 2 or not sys.executable:
        return _checked(slim_module.slim_files(files))
    chunks = [files[i::workers] for i in range(workers)]  # interleaved: big and small files in each
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_slim_in_worker, chunks))
    slimmed: list[bytes] = [b""] * len(files)
    for i, result in enumerate(results):
        slimmed[i::workers] = _checked(result)
    return slimmed


def _slim_in_worker(files: list[tuple[str, bytes]]) -> slim_module.Result:
    """Slim `files` in a new ``python -S`` (no site-packages: slim.py needs the standard library only)."""
    command = [sys.executable, "-S", "-c", "from lessonbuild.slim import worker; worker()"]
    proc = subprocess.run(
        command, input=pickle.dumps(files), capture_output=True, cwd=Path(slim_module.__file__).parent.parent, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    result: slim_module.Result = pickle.loads(proc.stdout)
    return result


def _checked(result: slim_module.Result) -> list[bytes]:
    if isinstance(result, slim_module.Failure):
        raise BuildError(result.name, result.line, result.message)
    return result


# pytest and what it imports, for the page's test modules (``:runner: pytest``): the files pip installed
# from pyproject's pins (the build extra), in a zip of their own that the page fetches only when such a
# block first runs. Of Pygments, which pytest imports to colour code, only the modules it imports.
PYTEST_DISTRIBUTIONS = ("pytest", "pluggy", "iniconfig", "packaging")
PYGMENTS_MODULES = (
    "__init__", "console", "filter", "filters/__init__", "formatter", "formatters/__init__", "formatters/_mapping",
    "formatters/terminal", "lexer", "lexers/__init__", "lexers/_mapping", "lexers/diff", "lexers/python", "modeline",
    "plugin", "regexopt", "styles/__init__", "styles/_mapping", "token", "unistring", "util",
)  # fmt: skip


def pytest_files() -> list[tuple[str, Path]]:
    """(name in the zip, installed file) for pytest.zip, sorted; also the inputs of its cache key."""
    from importlib import metadata

    found: dict[str, Path] = {}
    for name in PYTEST_DISTRIBUTIONS:
        for file in metadata.distribution(name).files or []:
            if file.suffix == ".py" and "__pycache__" not in file.parts and not file.parts[0].endswith(".dist-info"):
                found[file.as_posix()] = Path(str(file.locate()))
    wanted = {f"pygments/{module}.py" for module in PYGMENTS_MODULES}
    for file in metadata.distribution("Pygments").files or []:
        if file.as_posix() in wanted:
            found[file.as_posix()] = Path(str(file.locate()))
    missing = wanted - found.keys()
    if missing:
        raise FileNotFoundError(f"Pygments has no {', '.join(sorted(missing))}: pytest.zip's module list needs updating")
    return sorted(found.items())


def pytest_zip() -> bytes:
    """pytest and its libraries as one zip, byte-identical for identical files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, path in pytest_files():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def stamp(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What changes when any of `paths` (files, or folders searched recursively) changes."""
    found: list[tuple[str, int, int]] = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []
        for file in files:
            if "__pycache__" in file.parts:
                continue
            st = file.stat()
            found.append((str(file), st.st_mtime_ns, st.st_size))
    return tuple(found)
