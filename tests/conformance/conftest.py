"""One conformance suite, two backends (after fakeredis-py's ``test/conftest.py``).

Every conformance test takes the `backend` fixture, which is parametrised
twice: ``real`` (real Prefect, marked ``pytest.mark.real``) and ``sim``
(sim_prefect, marked ``pytest.mark.fake``). The test bodies never ask which one
they have. Select a leg with ``-m real`` or ``-m fake``.

The real leg needs ``prefect==3.9.1`` importable by the Python running pytest.
Without it, every real test is skipped with the reason, and the sim leg still
runs against the golden transcripts that were captured from real Prefect.

Real Prefect is slow to start (about 4 s per process for its temporary
server), so one dedicated server is started for the whole session, as soon as
collection shows that real tests will run; the sim tests run while it boots
(they are ordered first). Scenarios run a few at a time in the background,
each in its own process, and each test waits for its own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# For `backends` and `transcripts` (and sim_prefect): appended, never put first, so
# that this folder's module names cannot shadow another test folder's.
for _path in (str(HERE), str(HERE.parents[1])):
    if _path not in sys.path:
        sys.path.append(_path)

from backends import PREFECT_VERSION, PrefectServer, RealBackend, SimBackend, installed_prefect_version  # noqa: E402

REAL_WORKERS = int(os.environ.get("CONFORMANCE_REAL_WORKERS", "4"))
SIM_WORKERS = int(os.environ.get("CONFORMANCE_SIM_WORKERS", "4"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"real: runs on real Prefect ({PREFECT_VERSION}); skipped if it is not installed")
    config.addinivalue_line("markers", "fake: runs on sim_prefect")


def _real_skip_reason() -> str | None:
    version = installed_prefect_version()
    if version is None:
        return (
            f"real Prefect is not installed for {sys.executable}; "
            f"install prefect=={PREFECT_VERSION} (and fastapi==0.150.0) to run the real leg"
        )
    if version != PREFECT_VERSION:
        return f"the golden transcripts were captured with prefect {PREFECT_VERSION}, but {version} is installed"
    return None


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("backend") if callspec else None


def _is_real(item: pytest.Item) -> bool:
    return _backend_of(item) == "real"


@pytest.hookimpl(trylast=True)  # after -m / -k have deselected what will not run
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the sim leg first, and start the server now if real tests will run."""
    mine = [i for i in items if Path(str(i.fspath)).resolve().is_relative_to(HERE)]
    real = [i for i in mine if _is_real(i)]
    if real and _real_skip_reason() is None and not config.option.collectonly and not hasattr(
        config, "_conformance_server"
    ):
        server = PrefectServer()
        server.start()
        config._conformance_server = server  # type: ignore[attr-defined]
    # Our sim tests before our real ones; other tests keep their places.
    slots = [n for n, item in enumerate(items) if item in mine]
    ordered = [i for i in mine if not _is_real(i)] + real
    for slot, item in zip(slots, ordered):
        items[slot] = item


def pytest_unconfigure(config: pytest.Config) -> None:
    server = getattr(config, "_conformance_server", None)
    if server is not None:
        server.stop()


def _needed_runs(session: pytest.Session, backend: str) -> list[tuple[str, str | None]]:
    runs: list[tuple[str, str | None]] = []
    for item in session.items:
        if _backend_of(item) == backend:
            case = item.callspec.params.get("case")  # type: ignore[attr-defined]
            if case is not None and case.run not in runs:
                runs.append(case.run)
    # The slowest first, so the pool finishes sooner.
    return sorted(runs, key=lambda run: -_SLOW.get(run[0], 0))


# Rough seconds per real scenario, to schedule the slow ones first.
_SLOW = {"cancel_and_crash": 7, "retry_variants": 7, "retries_exhausted": 7, "submit_map_wait": 6, "timeouts": 6}


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conformance")


@pytest.fixture(scope="session")
def prefect_server(request: pytest.FixtureRequest) -> Iterator[PrefectServer]:
    reason = _real_skip_reason()
    if reason:
        pytest.skip(reason)
    config = request.config
    server = getattr(config, "_conformance_server", None)
    if server is None:  # collected without the hook's knowledge (e.g. a plugin reordered things)
        server = PrefectServer()
        server.start()
        config._conformance_server = server  # type: ignore[attr-defined]
    server.wait_healthy()
    yield server


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("real", marks=pytest.mark.real, id="real"),
        pytest.param("sim", marks=pytest.mark.fake, id="sim"),
    ],
)
def backend(request: pytest.FixtureRequest, workdir: Path) -> SimBackend | RealBackend:
    """Real Prefect or sim_prefect; the tests treat both the same."""
    if request.param == "sim":
        sim = SimBackend(workdir / "sim")
        sim.prefetch(_needed_runs(request.session, "sim"), workers=SIM_WORKERS)
        return sim
    server = request.getfixturevalue("prefect_server")
    real = RealBackend(workdir / "real", server)
    real.prefetch(_needed_runs(request.session, "real"), workers=REAL_WORKERS)
    return real
