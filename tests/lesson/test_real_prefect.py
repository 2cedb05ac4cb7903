"""Every {prefect-code} file, run against real Prefect, as the pages say to run it.

Real Prefect starts a temporary server in each process (about 4 s), so the
files run in just two processes, started together:

- a driver that calls the requests pipeline against a local source that fails
  its first request (so the retry really fires), runs the concurrency file as
  a script, and runs the lab's in-page flow with only its import changed;
- `serve_pipeline.py`, the deployment; while it serves, the test runs the
  `prefect deployment run ...` command that page 2 shows, pointed at another
  flaky local source, and waits for the run with `--watch`.

Nothing leaves 127.0.0.1. Without real Prefect, every test here is skipped
with the reason. The {prefect-code} files of pages 4 and 5 need no network
or deployment, so test_claims.py runs them on both legs, on the session's
shared server.
"""

from __future__ import annotations

import http.server
import json
import re
import shlex
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness.browser import LoopbackServer, Quiet
from tests.harness.real_prefect import free_port, prefect_cli, skip_reason, wait_healthy
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, SHELL_LANGS, as_real_prefect, prefect_shell_env, read_page, shell_commands

SKIP = skip_reason()
pytestmark = [pytest.mark.real, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

REAL_DIR = DEMO_DIR / "real"
RECORDS = json.loads((REAL_DIR / "data.json").read_text(encoding="utf-8"))
SIM_IMPORT = "from sim_prefect import flow, get_run_logger, print_state_log, task"
REAL_IMPORT = "from prefect import flow, get_run_logger, task"
TIMEOUT_S = 240


class FlakySource(LoopbackServer):
    """An HTTP source on 127.0.0.1 that answers 503 to its first request, then serves data.json."""

    def __init__(self) -> None:
        self.requests: list[int] = []
        source = self

        class Handler(Quiet, http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                status = 503 if not source.requests else 200
                source.requests.append(status)
                body = b"busy, try again" if status == 503 else json.dumps(RECORDS).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler, "/data.json")


DRIVER = textwrap.dedent(
    """
    import runpy, sys
    sys.stdout.reconfigure(line_buffering=True)  # keep prints in order with Prefect's stderr lines
    real_dir, lab_file, url = sys.argv[1:4]  # run from real_dir, so `python -c` can import pipeline_requests

    print("=== pipeline_requests")
    from pipeline_requests import pipeline
    print("RESULT", pipeline(url=url))

    print("=== concurrency")
    runpy.run_path(real_dir + "/concurrency.py", run_name="__main__")

    print("=== lab_pipeline")
    runpy.run_path(lab_file, run_name="__main__")

    print("=== end")
    """
)


@dataclass
class Outcome:
    output: str
    returncode: int | None
    source: FlakySource

    def section(self, name: str) -> str:
        match = re.search(rf"^=== {name}\n(.*?)^=== ", self.output, re.M | re.S)
        assert match, f"no '{name}' section in the driver's output:\n{self.output}"
        return match[1]


@dataclass
class Deployment:
    serve_output: str
    command: list[str]
    run_output: str
    run_returncode: int
    source: FlakySource


def _read_lines(proc: subprocess.Popen[str], into: list[str]) -> threading.Thread:
    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            into.append(line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def _wait_for(lines: list[str], pattern: str, proc: subprocess.Popen[str], timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(pattern, "".join(lines), re.M)
        if match:
            return match
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"never saw /{pattern}/ in:\n{''.join(lines)}")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _page_command(prefix: list[str]) -> list[str]:
    """The first command in page 2's shell fences that starts with `prefix`."""
    page = read_page(LESSON_DIR / "02-prefect-in-practice.md")
    for fence in page.fences:
        if fence.lang in SHELL_LANGS:
            for command in shell_commands(fence):
                words = shlex.split(command)
                if words[: len(prefix)] == prefix:
                    return words
    raise AssertionError(f"page 2 shows no `{' '.join(prefix)} ...` command")


def _run_deployment(home: Path) -> Deployment:
    """Page 2's deployment steps: a dedicated server, `prefect config set`, serve, `deployment run`.

    The server listens on a free port on 127.0.0.1 instead of 4200, so the
    test never meets a server the developer is running.
    """
    source = FlakySource()
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = prefect_shell_env(home, PREFECT_RUNNER_POLL_FREQUENCY="2")
    server_cmd = _page_command(["prefect", "server", "start"])
    server = subprocess.Popen(
        [*prefect_cli(), *server_cmd[1:], "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    serve: subprocess.Popen[str] | None = None
    lines: list[str] = []
    pump = None
    try:
        wait_healthy(api_url, server)
        config_cmd = _page_command(["prefect", "config", "set"])
        setting = [f"PREFECT_API_URL={api_url}" if w.startswith("PREFECT_API_URL=") else w for w in config_cmd[1:]]
        subprocess.run([*prefect_cli(), *setting], env=env, capture_output=True, timeout=120, check=True)
        serve = subprocess.Popen(
            [sys.executable, "serve_pipeline.py"],
            cwd=REAL_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        pump = _read_lines(serve, lines)
        _wait_for(lines, r"is being served", serve, 120)
        words = _page_command(["prefect", "deployment", "run"])
        assert any(w.startswith("url=") for w in words), "page 2's deployment run should pass --param url=..."
        command = [*prefect_cli(), *[f"url={source.url}" if w.startswith("url=") else w for w in words[1:]]]
        command += ["--watch", "--watch-interval", "1", "--watch-timeout", "150"]
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=200, check=False)
        if run.returncode == 0:
            _wait_for(lines, r"Flow run '[\w-]+' - Finished in state", serve, 30)
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)
        if pump is not None:
            pump.join(timeout=5)
        source.close()
    return Deployment("".join(lines), command, run.stdout + run.stderr, run.returncode, source)


def _run_driver(home: Path) -> Outcome:
    source = FlakySource()
    lab = home / "lab_pipeline.py"  # the lab's flow with only its import changed, as page 3 says
    lab.write_text(as_real_prefect((DEMO_DIR / "lab_pipeline.py").read_text(encoding="utf-8")), encoding="utf-8")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", DRIVER, str(REAL_DIR), str(lab), source.url],
            cwd=REAL_DIR,
            env=prefect_shell_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    finally:
        source.close()
    return Outcome(proc.stdout, proc.returncode, source)


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Outcome, Deployment]]:
    """Both real-Prefect processes, run side by side (each with its own PREFECT_HOME)."""
    results: dict[str, object] = {}

    def run(name: str, fn: object) -> None:
        try:
            results[name] = fn(tmp_path_factory.mktemp(f"prefect-home-{name}"))  # type: ignore[operator]
        except BaseException as exc:  # reported by the tests that need it
            results[name] = exc

    threads = [
        threading.Thread(target=run, args=("driver", _run_driver)),
        threading.Thread(target=run, args=("deployment", _run_deployment)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for value in results.values():
        if isinstance(value, BaseException):
            raise value
    yield results["driver"], results["deployment"]  # type: ignore[misc]


@pytest.fixture(scope="module")
def driver(real_runs: tuple[Outcome, Deployment]) -> Outcome:
    outcome = real_runs[0]
    assert outcome.returncode == 0, f"the driver failed:\n{outcome.output}"
    return outcome


@pytest.fixture(scope="module")
def deployment(real_runs: tuple[Outcome, Deployment]) -> Deployment:
    return real_runs[1]


# -- demo/real/pipeline_requests.py ----------------------------------------------------------


def test_requests_pipeline_retries_the_failed_request_and_completes(driver: Outcome) -> None:
    out = driver.section("pipeline_requests")
    assert driver.source.requests == [503, 200]
    retry = re.search(
        r"\| INFO    \| Task run '(fetch_data-[0-9a-f]{3})' - Task run failed with exception: "
        r"HTTPError\('503 Server Error: .*'\) - Retry 1/2 will start 10 second\(s\) from now$",
        out,
        re.M,
    )
    assert retry, out
    name = retry[1]
    assert re.search(rf"Task run '{name}' - Fetched 5 records$", out, re.M), out
    assert re.search(rf"Task run '{name}' - Finished in state Completed\(\)$", out, re.M), out
    assert re.search(r"Task run 'process_data-[0-9a-f]{3}' - Kept 3 of 5 records \(value >= 20\)$", out, re.M), out
    assert re.search(r"Flow run '[a-z]+-[a-z]+' - Beginning flow run '[a-z]+-[a-z]+' for flow 'example-pipeline'$", out, re.M), out
    assert re.search(r"Flow run '[a-z]+-[a-z]+' - Finished in state Completed\(\)$", out, re.M), out
    assert "RESULT [{'id': 1, 'value': 20}, {'id': 2, 'value': 30}, {'id': 4, 'value': 40}]" in out


def test_temporary_server_lines_and_no_view_at_line(driver: Outcome) -> None:
    """What page 2 says about running with no server configured."""
    assert re.search(r"\| INFO    \| prefect - Starting temporary server on http://127\.0\.0\.1:\d+$", driver.output, re.M)
    assert re.search(r"\| INFO    \| prefect - Stopping temporary server on http://127\.0\.0\.1:\d+$", driver.output, re.M)
    assert "View at" not in driver.output


# -- demo/real/concurrency.py -------------------------------------------------------------------


def test_direct_calls_are_sequential_and_submit_and_map_are_concurrent(driver: Outcome) -> None:
    out = driver.section("concurrency")
    durations: dict[str, float] = {}
    current = None
    for line in out.splitlines():
        begin = re.search(r"Beginning flow run '[\w-]+' for flow '([\w-]+)'", line)
        if begin:
            current = begin[1]
        done = re.search(r"3 downloads took ([\d.]+) s$", line)
        if done and current:
            durations[current] = float(done[1])
    assert set(durations) == {"one-by-one", "all-at-once", "mapped"}, out
    assert durations["one-by-one"] >= 5.9, durations  # three 2-second downloads, one after another
    assert durations["all-at-once"] < 4.0, durations  # the three waits overlap
    assert durations["mapped"] < 4.0, durations
    assert out.count("Finished in state Completed()") == 3 * 3 + 3


# -- demo/lab_pipeline.py with only its import changed -----------------------------------------


def test_lab_flow_runs_on_real_prefect_with_only_the_import_changed(driver: Outcome) -> None:
    source = (DEMO_DIR / "lab_pipeline.py").read_text(encoding="utf-8")
    assert SIM_IMPORT in source, "page 3 tells learners which import line to change; keep them in step"
    assert REAL_IMPORT in as_real_prefect(source)
    out = driver.section("lab_pipeline")
    assert re.search(
        r"Task run 'extract-[0-9a-f]{3}' - Task run failed with exception: "
        r"ExportNotReady\('north shop: export not ready yet'\) - Retry 1/2 will start 5 second\(s\) from now$",
        out,
        re.M,
    ), out
    assert re.search(r"\| WARNING \| Task run 'validate-[0-9a-f]{3}' - rejected order 3: no amount$", out, re.M), out
    report = (DEMO_DIR / "lab" / "make.expected.log").read_text(encoding="utf-8")
    table = report[report.index("Sales by city") : report.index("report: written")]
    assert table in out, "the flow and the Makefile must print the same report"
    assert re.search(r"Flow run '[\w-]+' - Finished in state Completed\(\)$", out, re.M), out


# -- demo/real/serve_pipeline.py and page 2's `prefect deployment run` --------------------------


def test_serve_creates_the_deployment_page_2_names(deployment: Deployment) -> None:
    out = deployment.serve_output
    assert "Your flow 'example-pipeline' is being served and polling for scheduled runs!" in out, out
    assert "$ prefect deployment run 'example-pipeline/demo'" in out, out


def test_deployment_run_with_param_runs_the_flow_with_that_url(deployment: Deployment) -> None:
    run = deployment.run_output
    assert deployment.run_returncode == 0, f"{shlex.join(deployment.command)}\n{run}"
    assert "Creating flow run for deployment 'example-pipeline/demo'..." in run, run
    assert f"Parameters: {{'url': '{deployment.source.url}'}}" in run, run
    assert "Flow run finished successfully in 'Completed'." in run, run
    served = deployment.serve_output
    assert f"Fetching data from {deployment.source.url}" in served, served
    assert re.search(r"Retry 1/2 will start 10 second\(s\) from now$", served, re.M), served
    assert re.search(r"Flow run '[\w-]+' - View at http://127\.0\.0\.1:\d+/runs/flow-run/[0-9a-f-]+$", served, re.M), served
    assert deployment.source.requests == [503, 200]


# -- page 3's comparison table (the rules it states run on both legs in test_claims.py) ----------


def test_the_options_the_table_names_exist() -> None:
    import inspect

    from prefect import Flow, Task
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect.tasks import exponential_backoff

    task_options = inspect.signature(Task.__init__).parameters
    for option in ("retries", "retry_delay_seconds", "retry_jitter_factor", "retry_condition_fn", "on_failure", "cache_policy", "timeout_seconds"):
        assert option in task_options, option
    flow_options = inspect.signature(Flow.__init__).parameters
    for option in ("retries", "retry_delay_seconds", "on_failure", "timeout_seconds", "log_prints"):
        assert option in flow_options, option
    assert flow_options["validate_parameters"].default is True
    serve = inspect.signature(Flow.serve).parameters
    assert {"name", "cron", "interval"} <= set(serve)
    assert exponential_backoff(2)(3) == [2, 4, 8]
    assert ProcessPoolTaskRunner and ThreadPoolTaskRunner

    @Flow
    def plain() -> None: ...

    assert isinstance(plain.task_runner, ThreadPoolTaskRunner), "the default task runner is a thread pool"
