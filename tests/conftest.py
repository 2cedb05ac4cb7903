"""Shared fixtures: the project's paths, a built site, a server on 127.0.0.1, Chromium,
and the two backends (real Prefect and sim_prefect) that tests/conformance and
tests/lesson run scripts on.

The backend fixture follows fakeredis-py's ``test/conftest.py``: it is
parametrised twice, ``real`` (marked ``pytest.mark.real``) and ``sim`` (marked
``pytest.mark.fake``), and the test bodies never ask which one they have.
Real Prefect is slow to start, so one dedicated server serves the whole
session; it starts as soon as collection shows that real tests will run, and
the sim tests run while it boots (they are ordered first). Scripts run a few at
a time in the background, and each test waits for its own. Tests marked
``empty_server`` (the CLI transcripts, whose listings show everything on a
server) run on it before any other test has written to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.backends import RealBackend, Script, SimBackend
from tests.harness.browser import CHROMIUM, CHROMIUM_ARGS, ISOLATION_HEADERS, StaticServer
from tests.harness.real_prefect import PrefectServer, skip_reason

ROOT = Path(__file__).resolve().parent.parent

REAL_WORKERS = int(os.environ.get("CONFORMANCE_REAL_WORKERS", "4"))
SIM_WORKERS = int(os.environ.get("CONFORMANCE_SIM_WORKERS", "4"))


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("backend") if callspec else None


def _on_server(item: pytest.Item) -> bool:
    """Whether the test talks to the session's Prefect server."""
    return _backend_of(item) == "real" or "prefect_server" in getattr(item, "fixturenames", ()) or (
        item.get_closest_marker("empty_server") is not None and item.get_closest_marker("real") is not None
    )


@pytest.hookimpl(trylast=True)  # after -m / -k have deselected what will not run
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the sim leg first, start the server now if real tests will run, run the tests that need it
    empty before any other test on it, and run the browser tests last.

    Playwright's sync API runs its event loop in a greenlet of this thread, and
    from its start to the end of the session asyncio sees that loop as running
    here too; tests of sim_prefect's own asyncio behaviour must come before it.
    """
    on_both = [i for i in items if _backend_of(i) is not None]
    real = [i for i in on_both if _backend_of(i) == "real"]
    if any(_on_server(i) for i in items) and skip_reason() is None and not config.option.collectonly and not hasattr(config, "_prefect_server"):
        server = PrefectServer()
        server.start()
        config._prefect_server = server  # type: ignore[attr-defined]
    # The sim leg before the real one; other tests keep their places.
    slots = [n for n, item in enumerate(items) if item in on_both]
    ordered = [i for i in on_both if _backend_of(i) == "sim"] + real
    for slot, item in zip(slots, ordered):
        items[slot] = item
    empty = [i for i in items if _on_server(i) and i.get_closest_marker("empty_server")]
    if empty:
        rest = [i for i in items if i not in empty]
        first = next((n for n, i in enumerate(rest) if _on_server(i)), len(rest))
        items[:] = rest[:first] + empty + rest[first:]
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None or "browser" in getattr(item, "fixturenames", ()))  # stable


def pytest_unconfigure(config: pytest.Config) -> None:
    server = getattr(config, "_prefect_server", None)
    if server is not None:
        server.stop()


def _needed_scripts(session: pytest.Session, backend: str) -> list[Script]:
    """Every script the selected tests will ask this backend for (tests name theirs as `case.script`)."""
    scripts: list[Script] = []
    for item in session.items:
        if _backend_of(item) == backend:
            case = item.callspec.params.get("case")  # type: ignore[attr-defined]
            script = getattr(case, "script", None)
            if script is not None and script not in scripts:
                scripts.append(script)
    return scripts


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("backends")


@pytest.fixture(scope="session")
def prefect_server(request: pytest.FixtureRequest) -> Iterator[PrefectServer]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    config = request.config
    server = getattr(config, "_prefect_server", None)
    if server is None:  # collected without the hook's knowledge (e.g. a plugin reordered things)
        server = PrefectServer()
        server.start()
        config._prefect_server = server  # type: ignore[attr-defined]
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
        sim.prefetch(_needed_scripts(request.session, "sim"), workers=SIM_WORKERS)
        return sim
    server = request.getfixturevalue("prefect_server")
    real = RealBackend(workdir / "real", server)
    real.prefetch(_needed_scripts(request.session, "real"), workers=REAL_WORKERS)
    return real

@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per session into a temporary folder by the real build.

    ``LESSON_SITE=path/to/_site`` tests a site built elsewhere instead (an older
    commit's, to see a new test fail there).
    """
    if os.environ.get("LESSON_SITE"):
        return Path(os.environ["LESSON_SITE"]).resolve()
    from lessonbuild.recipe import build

    dest = tmp_path_factory.mktemp("site") / "_site"
    build(dest)
    return dest


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[StaticServer]:
    """The built site on a plain static host."""
    server = StaticServer(built_site, {})
    yield server
    server.close()


@pytest.fixture(scope="session")
def isolated_server(built_site: Path) -> Iterator[StaticServer]:
    """The same site with COOP/COEP headers (cross-origin isolated)."""
    server = StaticServer(built_site, ISOLATION_HEADERS)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright  # the test extra's; never skipped for want of it
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    # Playwright's event loop is made now, once: it must be asyncio's own, not one on the
    # clock of a fast or deterministic sim_prefect session that an earlier test configured.
    import sim_prefect

    sim_prefect.configure("real", terminal=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()
