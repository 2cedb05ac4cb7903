"""web/unzip.js, which writes our Python (and pytest's) into each worker's file system, against
zips made by Python's zipfile, as the build makes them."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

UNZIP = (Path(__file__).resolve().parents[2] / "web" / "unzip.js").as_uri()
pytestmark = pytest.mark.node

# A stand-in for Pyodide's FS: it records the folders made and the files written.
UNZIP_INTO = """
import { unzipInto } from %s;
const data = Uint8Array.from(atob(%s), (c) => c.charCodeAt(0));
const files = {}, folders = [];
const FS = {
  mkdirTree: (path) => folders.push(path),
  writeFile: (path, bytes) => { files[path] = new TextDecoder().decode(bytes); },
};
try {
  await unzipInto(FS, data, "/home/pyodide/lib");
  console.log(JSON.stringify({ files, folders }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message }));
}
"""


def unzip(data: bytes) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is required to run web/unzip.js"
    script = UNZIP_INTO % (json.dumps(UNZIP), json.dumps(base64.b64encode(data).decode()))
    proc = subprocess.run([node, "--input-type=module"], input=script, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def make_zip(entries: dict[str, str], method: int = zipfile.ZIP_STORED, comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
        zf.comment = comment
    return buffer.getvalue()


FILES = {
    "sim_prefect/__init__.py": "from .flows import flow\n",
    "sim_prefect/client/orchestration.py": "def get_client(): ...\n" * 50,
    "playground/runner.py": "print('héllo')\n",
}


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"])
def test_every_file_lands_under_the_folder_with_its_bytes_and_its_folders_made(method: int) -> None:
    got = unzip(make_zip(FILES, method, comment=b"a comment after the directory"))
    assert got["files"] == {f"/home/pyodide/lib/{name}": text for name, text in FILES.items()}
    assert set(got["folders"]) == {"/home/pyodide/lib/sim_prefect", "/home/pyodide/lib/sim_prefect/client", "/home/pyodide/lib/playground"}


def test_the_build_s_own_python_zip_unpacks_whole() -> None:
    from lessonbuild.assets import python_zip

    data = python_zip(Path(__file__).resolve().parents[2])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        expected = {f"/home/pyodide/lib/{info.filename}": zf.read(info).decode() for info in zf.infolist()}
    assert unzip(data)["files"] == expected


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not a zip at all", "not a zip: no end-of-directory record"),
        (make_zip({"../outside.py": "x = 1\n"}), "a zip entry outside its folder: ../outside.py"),
        (make_zip({"/etc/passwd": "x\n"}), "a zip entry outside its folder: /etc/passwd"),
        (make_zip({"big.py": "x = 1\n" * 100}, zipfile.ZIP_BZIP2), "a zip entry compressed in a way not read here (method 12): big.py"),
    ],
    ids=["not a zip", "a name that climbs out", "an absolute name", "bzip2"],
)
def test_a_zip_it_cannot_write_safely_is_refused_by_name(data: bytes, error: str) -> None:
    assert unzip(data) == {"error": error}
