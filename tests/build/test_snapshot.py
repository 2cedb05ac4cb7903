"""The page's Python memory snapshot, made at build time in Node (lessonbuild/snapshot.py).

Every worker of the page starts from it, so the build must make it the same way every time
(the same inputs, the same bytes: the asset's fingerprinted name then changes only when
what went into it does), keep it in the build cache, ship it gzipped under a fingerprinted
name the page's script tag names, and fail with one clear line when Node.js is missing.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import struct
import zipfile

import pytest

from lessonbuild import assets, snapshot
from lessonbuild.errors import BuildError
from lessonbuild.project import ROOT
from tests.build.fixture_course import Course

pytestmark = pytest.mark.node
MAGIC = 1886286592  # Pyodide's snapshot format (snapshot.ts)


def shipped(course: Course) -> bytes:
    [path] = (course.site / "assets").glob("snapshot-*.bin")
    return path.read_bytes()


def test_the_site_ships_the_snapshot_gzipped_and_the_page_names_it(course: Course) -> None:
    course.build()
    packed = shipped(course)
    assert packed[:2] == b"\x1f\x8b" and len(packed) < 12_000_000  # about 7 MB for 31 MB of memory
    raw = gzip.decompress(packed)
    magic, header, held_size, _ = struct.unpack("<4I", raw[:16])
    assert magic == MAGIC
    # The JavaScript objects Python holds: none but Pyodide's own (a browser's worker has those).
    held = json.loads(raw[48 : 48 + held_size])
    assert held == {"hiwireKeys": [None] * len(held["hiwireKeys"]), "immortalKeys": []}
    assert len(raw) - header > 16_000_000  # Python's heap after the imports and the warm-up
    [name] = [p.name for p in (course.site / "assets").glob("snapshot-*.bin")]
    page = course.read("_site/01-first.html")
    assert re.search(rf'<script src="assets/page-[0-9a-f]+\.js"[^>]* data-snapshot-url="assets/{name}"', page)
    assert f'data-snapshot-url="assets/{name}"' in page.split("<body", 1)[1]


def test_the_site_ships_our_python_as_one_zip_gzipped_whole_and_the_page_names_it(course: Course) -> None:
    """Gzipped whole, not file by file inside the zip: our modules repeat each other's words (the worker unpacks
    it as it does the snapshot)."""
    course.build()
    [path] = (course.site / "assets").glob("python-*.zip.gz")
    packed = path.read_bytes()
    assert packed[:2] == b"\x1f\x8b"
    raw = gzip.decompress(packed)
    assert raw == assets.python_zip(ROOT)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert zf.namelist() and {info.compress_type for info in zf.infolist()} == {zipfile.ZIP_STORED}
    page = course.read("_site/01-first.html")
    assert page.count(f'data-python-url="assets/{path.name}"') == 2  # the script tag's and the body's


def test_the_same_inputs_make_the_same_bytes(course: Course) -> None:
    """Made again (outside the cache), in another process, the snapshot is byte for byte the same."""
    course.build()
    again = snapshot.make_snapshot(ROOT, ROOT / "web", assets.python_zip(ROOT))
    assert gzip.decompress(shipped(course)) == again


def test_a_rebuild_takes_the_snapshot_from_the_cache(course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    course.build()
    before = shipped(course)

    def refuse(*args: object) -> bytes:
        raise AssertionError("the snapshot was made again")

    monkeypatch.setattr(snapshot, "make_snapshot", refuse)
    course.edit("lesson/01-first.md", "## Run it\n", "## Run it\n\nOne more sentence.\n")  # a change that is not the Python's
    course.build()
    assert shipped(course) == before


def test_without_node_the_build_says_so_in_one_line(course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot.shutil, "which", lambda name: None)
    with pytest.raises(BuildError) as failure:
        course.build()
    message = str(failure.value)
    assert "Node.js is required to make the page's Python memory snapshot" in message and "\n" not in message
