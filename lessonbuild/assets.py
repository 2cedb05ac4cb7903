"""Static assets: fingerprinted file names, and the Python the page ships, packaged once.

Each of our own files gets a content hash in its name (``page-3f2a….js``), so
a host may cache them forever. ``python.zip`` holds ``sim_prefect`` and
``playground`` for the worker to unpack into Pyodide, without their docstrings
and comments (`slim.py`); it is byte-identical for identical sources.
``pytest.zip`` holds pytest, as pip installed it, for the page's test modules. Producing an asset goes through the build cache (`cache.py`),
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
