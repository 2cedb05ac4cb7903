"""Page 9's real-Prefect files on real Prefect 3.9.1: the Dask lab, and the process pool the page compares it with.

- demo/real/dask_lab.py runs as the page says to run it, `python dask_lab.py`,
  with PREFECT_API_URL pointing at a Prefect server (the session's shared one
  here; at home, the one the page starts). Its local Dask cluster listens on
  127.0.0.1 only: nothing leaves the machine.
- claims/process_pool.py shows ProcessPoolTaskRunner running task runs in
  other processes.

The tests assert what the page says: both flow runs complete with the same
count, each under the task runner it names, the thread pool's task runs in the
flow's own process and the Dask ones in two worker processes. Speeds depend on
the machine and are printed, never asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness.real_prefect import PrefectServer, skip_reason
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, read_page

SKIP = skip_reason()
pytestmark = [pytest.mark.real, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

LAB = DEMO_DIR / "real" / "dask_lab.py"
PROCESS_POOL = Path(__file__).resolve().parent / "claims" / "process_pool.py"
PAGE = LESSON_DIR / "09-scaling-out.md"
PRIMES = 84_164  # primes in the six ranges of 200,000 numbers from 1,000,000 to 2,200,000
TIMEOUT_S = 240


@dataclass
class Ran:
    output: str
    returncode: int

    def runner_line(self, runner: str) -> re.Match[str]:
        match = re.search(
            rf"Flow run '(?P<run>[\w-]+)' - {runner}: (?P<primes>\d+) primes in (?P<took>[\d.]+) s, "
            r"counted in processes \[(?P<pids>[\d, ]+)\]\n"
            r"(?:.*\n)*?.* \| INFO    \| Flow run '(?P=run)' - the flow runs in process (?P<flow>\d+)$",
            self.output,
            re.M,
        )
        assert match, f"no line from the flow run on {runner}:\n{self.output}"
        return match


def _run(script: Path, server: PrefectServer) -> Ran:
    proc = subprocess.run(
        [sys.executable, script.name],
        cwd=script.parent,
        env=server.client_env(),  # PREFECT_API_URL: every process, Dask's workers too, reports to one server
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    return Ran(proc.stdout, proc.returncode)


@pytest.fixture(scope="module")
def lab(prefect_server: PrefectServer) -> Ran:
    ran = _run(LAB, prefect_server)
    assert ran.returncode == 0, f"python dask_lab.py failed:\n{ran.output}"
    return ran


def test_the_page_shows_the_lab_and_how_to_run_it() -> None:
    page = read_page(PAGE)
    shown = [fence.argument for fence in page.fences if fence.directive == "prefect-code"]
    assert "real/dask_lab.py" in shown
    commands = "\n".join(fence.body for fence in page.fences if fence.lang in ("bash", "console"))
    assert "pip install prefect prefect-dask" in commands and "python dask_lab.py" in commands, commands


def test_both_flow_runs_complete_with_the_same_count(lab: Ran, capsys: pytest.CaptureFixture[str]) -> None:
    out = lab.output
    for name in ("on-threads", "on-dask"):
        assert re.search(rf"Beginning flow run '[\w-]+' for flow '{name}'$", out, re.M), out
    assert len(re.findall(r"Flow run '[\w-]+' - Finished in state Completed\(\)$", out, re.M)) == 2, out
    # Every task run reports its end, the Dask ones from the worker processes.
    assert len(re.findall(r"Task run 'count_primes-\w+' - Finished in state Completed\(\)$", out, re.M)) == 12, out
    assert int(lab.runner_line("ThreadPoolTaskRunner")["primes"]) == PRIMES
    assert int(lab.runner_line("DaskTaskRunner")["primes"]) == PRIMES
    # How much faster the processes are depends on the machine's cores and load: printed, not asserted.
    took = {runner: lab.runner_line(runner)["took"] + " s" for runner in ("ThreadPoolTaskRunner", "DaskTaskRunner")}
    with capsys.disabled():
        print(f"\ndask_lab.py took {took}")


def test_threads_count_in_the_flows_process_and_dask_in_two_worker_processes(lab: Ran) -> None:
    threads, dask = lab.runner_line("ThreadPoolTaskRunner"), lab.runner_line("DaskTaskRunner")
    assert threads["flow"] == dask["flow"], "both flows run in the script's own process"
    assert [int(p) for p in threads["pids"].split(", ")] == [int(threads["flow"])]
    workers = {int(p) for p in dask["pids"].split(", ")}
    assert len(workers) == 2 and int(dask["flow"]) not in workers, dask[0]


def test_the_cluster_is_local_and_on_loopback(lab: Ran) -> None:
    assert re.search(
        r"\| INFO    \| prefect\.task_runner\.dask - Connecting to an existing Dask cluster at tcp://127\.0\.0\.1:\d+$",
        lab.output,
        re.M,
    ), lab.output


def test_a_process_pool_runs_task_runs_in_other_processes(prefect_server: PrefectServer) -> None:
    ran = _run(PROCESS_POOL, prefect_server)
    assert ran.returncode == 0, ran.output
    match = re.search(r"^RAN 4 task runs in (\d) process\(es\); the flow's own among them: (True|False)$", ran.output, re.M)
    assert match, ran.output
    assert 1 <= int(match[1]) <= 2 and match[2] == "False", ran.output
    assert len(re.findall(r"Task run 'which_process-\w+' - Finished in state Completed\(\)$", ran.output, re.M)) == 4, ran.output
