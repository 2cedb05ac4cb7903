"""web/sparse-restore.js: a worker's restore of Python's memory writes what differs, and leaves
alone the blocks that are zeros in the snapshot and in the memory (so they stay untouched pages)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = (Path(__file__).resolve().parents[2] / "web" / "sparse-restore.js").as_uri()
pytestmark = pytest.mark.node

# Six 64 KB blocks after a 16-byte header, as Pyodide's snapshot has its memory after its header.
# "data": some bytes not zero; "zeros": all zero. The memory before the restore has data of its own
# (as instantiating the module leaves its data segments) where the snapshot has zeros, in block 1.
RESTORE = """
import { restoreSparsely } from %s;
const BLOCK = 65536;
const snapshot = new Uint8Array(16 + 6 * BLOCK);
const source = snapshot.subarray(16);
const layout = ["data", "zeros", "zeros", "data", "zeros", "data"];
layout.forEach((kind, i) => { if (kind === "data") source[i * BLOCK + 7] = 200 + i; });
const memory = new Int8Array(8 * BLOCK);
memory[1 * BLOCK + 9] = 5;  // the memory's own bytes where the snapshot has zeros
memory[3 * BLOCK + 1] = 6;  // and where it has data
const other = new Int8Array(4);

const writes = [];
const { set, fill } = Uint8Array.prototype;
Uint8Array.prototype.set = function (array, at) { writes.push(["copy", at / BLOCK]); return set.call(this, array, at); };
Uint8Array.prototype.fill = function (value, from, to) { writes.push(["zero", from / BLOCK]); return fill.call(this, value, from, to); };
const unhook = restoreSparsely((array) => array.buffer === snapshot.buffer);
memory.set(source);                       // Pyodide's restore: HEAP8.set(snapshot after its header)
other.set(new Int8Array([1, 2]), 1);      // anything else passes through
unhook();
Uint8Array.prototype.set = set;
Uint8Array.prototype.fill = fill;

const same = Array.from(source).every((byte, i) => (memory[i] & 255) === byte);
console.log(JSON.stringify({
  same, writes, other: Array.from(other), beyond: memory[6 * BLOCK + 1],
  restored: !Object.hasOwn(Int8Array.prototype, "set"),
}));
"""


def test_the_memory_equals_the_snapshot_and_only_blocks_that_differ_are_written() -> None:
    node = shutil.which("node")
    assert node, "Node.js is required to run web/sparse-restore.js"
    proc = subprocess.run([node, "--input-type=module"], input=RESTORE % json.dumps(MODULE),
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["same"] is True
    # Data copied (blocks 0, 3, 5); block 1 zeroed, as the memory had bytes there; blocks 2 and 4 untouched.
    assert got["writes"] == [["copy", 0], ["zero", 1], ["copy", 3], ["copy", 5]]
    assert got["other"] == [0, 1, 2, 0]
    assert got["beyond"] == 0
    assert got["restored"] is True
