"""Run the benchmarks: ``python -m bench [NAME ...]`` (``make bench``).

Each ``bench/bench_*.py`` measures one part against a named anchor in the same run
and prints ratios with their spread. Benchmarks are run on demand and never fail a
build: speed and size are reported, not asserted.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n=== {name} ===", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
