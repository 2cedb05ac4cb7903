"""Run Python files through the page's runner (playground.runner.run) in CPython, as the Node script does in Pyodide.

    python -m tests.harness.page_runner FILE.py [FILE.py ...]    (from the repository root)

Prints one JSON object: {"<file name>": {"output": ..., "ok": ...}}. Each file
runs in deterministic mode, in this one process, one after another, as
tests/node/run_in_pyodide.mjs runs them in one Pyodide.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playground.runner import run


def main(files: list[str]) -> None:
    results = {}
    for file in files:
        path = Path(file)
        result = run(path.read_text(encoding="utf-8"), filename=path.name, mode="deterministic")
        results[path.name] = {"output": result.output, "ok": result.ok}
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
