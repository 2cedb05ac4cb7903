"""The page's Python memory snapshot, made at build time in Node.js.

Booting Pyodide cold (starting CPython, importing the standard library it needs,
then playground and sim_prefect, then a warm-up) costs a browser seconds of CPU.
The build does it once instead: `snapshot.mjs` runs the page's own worker
(web/worker.js) under Node with the same Pyodide files the site ships, and keeps
Pyodide's memory snapshot of the warmed-up interpreter. Every worker of the page
starts from it (``loadPyodide({_loadSnapshot})``), which Pyodide allows for the
same pyodide.asm.wasm (it checks the build id): Python's heap is the same
WebAssembly memory in Node and in a browser, and the snapshot maker refuses one
in which Python holds JavaScript objects a browser's worker would not have.

The snapshot is shipped gzipped (about 7 MB on the wire for 31 MB of memory; the
worker inflates it with DecompressionStream), with a fingerprinted name. It is
made through the build cache (`cache.py`), keyed by everything that goes into it
(our python.zip, Pyodide's files, the worker's boot code, the maker and Node's
version), and the maker fixes what Python reads from its surroundings (clock,
entropy, time zone, program name), so the same inputs give the same bytes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .assets import packed
from .cache import BuildCache, files_key
from .errors import BuildError

# WebAssembly stack switching (JSPI), which Chromium has: Pyodide records in Python's memory whether
# it was there, and a Run is a promising call (sim_prefect/lanes.py), so the snapshot is made with it.
NODE_FLAGS = ("--experimental-wasm-stack-switching", "--wasm-stack-switching-stack-size=8192")
MAKER = Path(__file__).with_name("snapshot.mjs")
# The worker's boot path runs in the maker: its code (worker.js and the modules it imports) is an input of the snapshot.
WORKER = "worker.js"
LOCAL_IMPORT = re.compile(r'^import [^;]*? from "\./([\w.-]+\.js)";', re.M)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
TIMEOUT_S = 600


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise BuildError(
            "lessonbuild/snapshot.py", None,
            "Node.js is required to make the page's Python memory snapshot, and `node` is not on PATH: "
            "install Node.js 20 or later (Debian: `apt-get install nodejs`), then `npm ci`",
        )  # fmt: skip
    return found


def node_version(executable: str) -> str:
    try:
        proc = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        raise BuildError("lessonbuild/snapshot.py", None, f"could not run Node.js ({executable}): {exc}") from None
    return proc.stdout.strip()


def snapshot_key(project_root: Path, web: Path, python_zip: bytes, node_version_text: str) -> str:
    pyodide_dir = project_root / "node_modules" / "pyodide"
    inputs = [MAKER, Path(__file__), *worker_files(web), *(pyodide_dir / name for name in PYODIDE_FILES)]
    missing = [path for path in inputs if not path.is_file()]
    if missing:
        raise BuildError(str(missing[0]), None, "is missing; run `npm ci` (or `make build`)")
    return files_key(inputs, python_zip, node_version_text, *NODE_FLAGS)


def worker_files(web: Path) -> list[Path]:
    """worker.js and every module of ours it imports, directly or not."""
    found, todo = [], [web / WORKER]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.append(path)
        if path.is_file():
            todo += [web / name for name in LOCAL_IMPORT.findall(path.read_text(encoding="utf-8"))]
    return found


def make_snapshot(project_root: Path, web: Path, python_zip: bytes) -> bytes:
    """The raw snapshot (Pyodide's format) of the page's warmed-up worker, made by Node."""
    executable = node()
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        zip_path, out = Path(tmp) / "python.zip", Path(tmp) / "snapshot.bin"
        zip_path.write_bytes(python_zip)
        command = [
            executable, *NODE_FLAGS, str(MAKER), str(web / "worker.js"),
            str(project_root / "node_modules" / "pyodide"), str(zip_path), str(out),
        ]  # fmt: skip
        try:
            proc = subprocess.run(command, cwd=project_root, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise BuildError("lessonbuild/snapshot.mjs", None, f"making the snapshot took over {TIMEOUT_S} s") from None
        if proc.returncode != 0 or not out.is_file():
            # Pyodide's loader prints its whole minified source with an error: keep the last lines.
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            message = " / ".join(line[-300:] for line in tail) or f"node exited with {proc.returncode}"
            raise BuildError("lessonbuild/snapshot.mjs", None, f"could not make the Python memory snapshot: {message}")
        return out.read_bytes()


def packed_snapshot(project_root: Path, web: Path, python_zip: bytes, cache: BuildCache) -> bytes:
    """The snapshot as the site ships it (gzip, no name or time in its header), through the build cache.

    `project_root` has node_modules/pyodide; `web` the worker's code (web/worker.js and what it imports)."""
    executable = node()
    key = snapshot_key(project_root, web, python_zip, node_version(executable))
    return cache.get("snapshot.bin", key, lambda: packed(make_snapshot(project_root, web, python_zip)))
