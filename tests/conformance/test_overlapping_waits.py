"""Waits overlap as in Prefect's thread pool: the acceptance cases, held on real Prefect and on sim_prefect.

The transcript comparison (test_conformance.py) compares each run's lines, not
the interleaving between runs; these tests hold what the interleaving must show
on both backends: every task starts before the first one ends, the flows take
as long as their longest wait, and as_completed yields in the order of finishing.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness.backends import Backend, Script

SCRIPT = Script(Path(__file__).parent / "scenarios" / "overlapping_waits.py")


def _flow_lines(output: str) -> list[list[str]]:
    """The messages of each flow run in order, its task runs' included, split where a flow begins."""
    flows: list[list[str]] = []
    for line in output.splitlines():
        if "Beginning flow run" in line:
            flows.append([])
        elif flows and " - " in line:
            flows[-1].append(line.split(" - ", 1)[1])
    return flows


def _took(lines: list[str]) -> float:
    (seconds,) = [float(m[1]) for line in lines if (m := re.fullmatch(r"took (\d+\.\d)s", line))]
    return seconds


# sim_prefect must report the waits exactly as Prefect's threads take them. Real Prefect's own
# engine overhead adds to them under load (1.1 s on an idle machine, 1.4 s on a busy one, 3.3 s
# once on a loaded CI machine), so its leg holds no upper bound: that every start comes before
# the first end is what shows its waits overlapped.
TOOK = {"sim": ((1.0, 1.2), (2.0, 2.2)), "real": ((1.0, float("inf")), (2.0, float("inf")))}


def test_three_mapped_sleeps_overlap(backend: Backend) -> None:
    mapped = _flow_lines(backend.run(SCRIPT).output)[0]
    starts = [n for n, line in enumerate(mapped) if line.startswith("start ")]
    ends = [n for n, line in enumerate(mapped) if line.startswith("end ")]
    assert len(starts) == len(ends) == 3 and max(starts) < min(ends), mapped
    low, high = TOOK[backend.name][0]
    assert low <= _took(mapped) <= high


def test_three_submitted_sleeps_take_as_long_as_the_longest(backend: Backend) -> None:
    submitted = _flow_lines(backend.run(SCRIPT).output)[1]
    starts = [n for n, line in enumerate(submitted) if line.startswith("start ")]
    ends = [n for n, line in enumerate(submitted) if line.startswith("end ")]
    assert len(starts) == len(ends) == 3 and max(starts) < min(ends), submitted
    assert [line for line in submitted if line.startswith("end ")][-1] == "end 2"
    low, high = TOOK[backend.name][1]
    assert low <= _took(submitted) <= high


def test_as_completed_yields_in_the_order_of_finishing(backend: Backend) -> None:
    last = _flow_lines(backend.run(SCRIPT).output)[2]
    assert "['quick', 'middle', 'slow']" in last
