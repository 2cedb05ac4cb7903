"""Static assets: fingerprinted file names, and the Python the page ships, packaged once.

Each of our own files gets a content hash in its name (``page-3f2a….js``), so
a host may cache them forever. ``python.zip`` holds ``sim_prefect`` and
``playground`` for the worker to unpack into Pyodide, without their docstrings
and comments (`slim.py`); it is byte-identical for identical sources. Producing an asset goes through the build cache (`cache.py`),
keyed by its inputs' bytes, so a rebuild repeats only what changed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .slim import slim

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


def python_zip(project_root: Path) -> bytes:
    """sim_prefect and playground as one zip, slimmed, byte-identical for identical sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in python_files(project_root):
            info = zipfile.ZipInfo(path.relative_to(project_root).as_posix(), date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, slim(path.read_text(encoding="utf-8")).encode("utf-8"), compresslevel=9)
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
