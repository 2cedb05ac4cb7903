"""Static assets: fingerprinted files, the Python package for Pyodide, Pyodide itself."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

# The files Pyodide needs to boot; it needs no extra packages (sim_prefect is pure stdlib).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
PYTHON_PACKAGES = ("sim_prefect", "playground")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprinted_name(name: str, data: bytes) -> str:
    """``page.js`` -> ``page-<hash>.js``: the name changes whenever the content does."""
    stem, dot, ext = name.partition(".")
    return f"{stem}-{content_hash(data)}{dot}{ext}"


def python_zip(project_root: Path) -> bytes:
    """sim_prefect and playground as one zip, byte-identical for identical sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for package in PYTHON_PACKAGES:
            for path in sorted((project_root / package).rglob("*")):
                if path.is_dir() or "__pycache__" in path.parts or path.suffix not in (".py", ".yaml"):
                    continue
                info = zipfile.ZipInfo(path.relative_to(project_root).as_posix(), date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    return buffer.getvalue()


def pyodide_dir(project_root: Path) -> Path:
    return project_root / "node_modules" / "pyodide"


def pyodide_version(project_root: Path) -> str:
    import json

    return str(json.loads((pyodide_dir(project_root) / "package.json").read_text())["version"])


def copy_pyodide(project_root: Path, dest: Path) -> None:
    source = pyodide_dir(project_root)
    missing = [f for f in PYODIDE_FILES if not (source / f).exists()]
    if missing:
        raise FileNotFoundError(
            f"Pyodide is not installed ({', '.join(missing)} missing in {source}); run `npm ci` (or `make build`)."
        )
    dest.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, dest / name)
