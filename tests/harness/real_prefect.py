"""Real Prefect, as the tests run it: its version, a quiet environment, and one shared server.

Real Prefect starts a temporary server in every process (seconds each). Tests
instead start one ``prefect server start`` per session (`PrefectServer`) and
point every real run at it with ``PREFECT_API_URL``. A dedicated server makes
Prefect log ``View at <url>`` per flow run; ``PREFECT_UI_URL=""`` switches that
off, so the output looks like the temporary server's. The lesson's own commands
keep those links (``prefect_env(..., view_at_links=True)``): the pages show them.

With no network here, Prefect's telemetry would log "Failed to send telemetry";
`QUIET` turns every form of it off.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

# What `make test` installs (pyproject's pin is held equal to it), and what the golden
# transcripts were captured with.
from sim_prefect import PREFECT_VERSION

# Switches that keep a real Prefect run quiet and local (no telemetry, no UI link).
QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
}
# No "View at <url>" line per flow run on a dedicated server.
NO_VIEW_AT_LINKS = {"PREFECT_UI_URL": ""}


def installed_version() -> str | None:
    """The version of the `prefect` importable by this Python, or None."""
    try:
        return version("prefect")
    except PackageNotFoundError:
        return None


def skip_reason() -> str | None:
    """Why real Prefect cannot run here, or None when it can."""
    found = installed_version()
    if found is None:
        return (
            f"real Prefect is not installed for {sys.executable}; `make test` installs "
            f"prefect=={PREFECT_VERSION} (the test extra in pyproject.toml)"
        )
    if found != PREFECT_VERSION:
        return f"the golden transcripts were captured with prefect {PREFECT_VERSION}, but {found} is installed"
    return None


def clean_env() -> dict[str, str]:
    """This process's environment without Prefect's, sim_prefect's or a terminal's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "SIM_PREFECT_")) and k not in ("FORCE_COLOR", "NO_COLOR", "TERM", "COLORTERM")
    }
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def prefect_env(home: Path, *, view_at_links: bool = False, **extra: str) -> dict[str, str]:
    """Real Prefect on its own home, quiet: the temporary server unless `extra` sets PREFECT_API_URL.

    `view_at_links` keeps the "View at <url>" line a dedicated server makes Prefect log
    for each flow run (the harness blanks it; the lesson's commands show it).
    """
    env = {**clean_env(), **QUIET, "PREFECT_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    if not view_at_links:
        env.update(NO_VIEW_AT_LINKS)
    # The temporary server's start-up limit is 20 s; a busy CI machine can need more.
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
    env.update(extra)
    return env


def prefect_cli() -> list[str]:
    """How to start the `prefect` command for the Python running the tests."""
    script = Path(sys.executable).with_name("prefect")
    if script.exists():
        return [str(script)]
    found = shutil.which("prefect")
    return [found] if found else [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(api_url: str, proc: subprocess.Popen[Any], timeout: float = 120.0, log: Path | None = None) -> None:
    """Wait until the Prefect server at `api_url` answers ``/health`` (asked directly, not through a
    proxy); RuntimeError if its process `proc` ends first, or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = f"; see {log}:\n{log.read_text(errors='replace')[-2000:]}" if log else ""
            raise RuntimeError(f"prefect server exited early (status {proc.returncode}){tail}")
        try:
            with no_proxy.open(f"{api_url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"prefect server not healthy after {timeout:.0f} s" + (f"; see {log}" if log else ""))


class PrefectServer:
    """One ``prefect server start`` on loopback, with its own PREFECT_HOME."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="prefect-home-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.log = self.home / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def client_env(self) -> dict[str, str]:
        return prefect_env(self.home, PREFECT_API_URL=self.url)

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
                env=prefect_env(self.home),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() ends all of it
            )

    def wait_healthy(self, timeout: float = 120.0) -> None:
        assert self._proc is not None, "start() first"
        wait_healthy(self.url, self._proc, timeout, self.log)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)


__all__ = [
    "PREFECT_VERSION",
    "PrefectServer",
    "QUIET",
    "clean_env",
    "free_port",
    "prefect_cli",
    "prefect_env",
    "skip_reason",
    "wait_healthy",
]
