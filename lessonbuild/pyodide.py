"""Where the page gets Pyodide: self-hosted from node_modules (the default), or a pinned CDN.

Self-hosted, the five files Pyodide needs to boot are hard-linked (or copied)
from ``node_modules/pyodide`` into ``_site/pyodide/``. With ``--pyodide-cdn``
the page loads the same version from a CDN instead, and the build computes each
file's subresource-integrity hash (sha384) from the local npm files: jsDelivr's
``/npm/pyodide@VERSION/`` serves the npm package byte for byte, so the hashes
match what the browser will download, and a tampered file is refused. The
page's CSP then allows that one origin (`csp.py`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BuildError

# The files Pyodide needs to boot; it needs no extra packages (sim_prefect is pure stdlib).
FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
DEFAULT_CDN = "https://cdn.jsdelivr.net/npm/pyodide@{version}/"
SITE_FOLDER = "pyodide/"


@dataclass(frozen=True)
class PyodideSource:
    url: str  # the folder the page loads Pyodide from: "pyodide/" or an https URL ending in "/"
    version: str
    integrity: dict[str, str] = field(default_factory=dict)  # file name -> "sha384-…", for a CDN

    @property
    def self_hosted(self) -> bool:
        return not self.integrity

    @property
    def origin(self) -> str | None:
        """The CDN's origin, for the CSP; None when self-hosted."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def version(pyodide_dir: Path) -> str:
    package = pyodide_dir / "package.json"
    if not package.is_file():
        raise BuildError(_display(pyodide_dir), None, "Pyodide is not installed; run `npm ci` (or `make build`)")
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def self_hosted(pyodide_dir: Path) -> PyodideSource:
    return PyodideSource(SITE_FOLDER, version(pyodide_dir))


def from_cdn(pyodide_dir: Path, url_template: str = DEFAULT_CDN) -> PyodideSource:
    """Pyodide from `url_template` (``{version}`` is filled in), pinned to the local files' hashes."""
    found = version(pyodide_dir)
    url = url_template.format(version=found)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or not url.endswith("/"):
        raise BuildError("--pyodide-cdn", None, f"'{url}' must be an https:// URL of a folder, ending in '/'")
    if found not in url:
        raise BuildError(
            "--pyodide-cdn", None, f"'{url}' does not name Pyodide {found}, the version in node_modules; write {{version}} in it"
        )
    return PyodideSource(url, found, {name: sri(_file(pyodide_dir, name)) for name in FILES})


def sri(path: Path) -> str:
    """The subresource-integrity value of a file: ``sha384-`` and the base64 digest."""
    stat = path.stat()
    return _sri(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _sri(path: Path, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def install(pyodide_dir: Path, dest: Path) -> None:
    """Put the boot files in `dest`: hard links when possible (instant), copies otherwise."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        source = _file(pyodide_dir, name)
        try:
            os.link(source, dest / name)
        except OSError:
            shutil.copy2(source, dest / name)


def _file(pyodide_dir: Path, name: str) -> Path:
    path = pyodide_dir / name
    if not path.is_file():
        raise BuildError(_display(pyodide_dir), None, f"Pyodide is incomplete ({name} is missing); run `npm ci` (or `make build`)")
    return path


def _display(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index("node_modules") :]) if "node_modules" in parts else str(path)
