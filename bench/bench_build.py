"""The build, side by side with MkDocs on the same Markdown pages.

    python -m bench build                        (or `make bench`)
    python -m bench.bench_build --repeats 9      options: --repeats N, --no-browser

Everything runs on a copy of ``lesson/`` and ``demo/`` in a temporary folder
(any demo without an expected log gets one there, so half-written content does
not stop the measurement); the real tree is never touched. The anchor is
``mkdocs build`` on the same ``lesson/*.md`` (default theme, no plugins), run
in the same session, alternating with ours so both see the same machine.

Measured (min / median / max over the repeats; ratios are taken pair by pair):

- full build: a fresh ``python`` process that builds the whole site (imports,
  esbuild's bundles and all), against a fresh ``python -m mkdocs build``, in wall
  time and in CPU time (steadier on a busy machine); ours
  twice: from nothing (``.build/cache`` deleted first), and as ``make build``
  usually runs, with the cache the previous build left (`lessonbuild/cache.py`);
- rebuild after a one-line edit of a lesson, in a warm process: our Builder
  (what ``--serve`` runs) against MkDocs' build in-process (what ``mkdocs
  serve`` runs: load the config, build);
- save -> reload under ``--serve``: from writing the file to the ``reload``
  event on ``/__reload``, and (with Chromium) to the browser showing the new
  text.

Goals: cold build <= 0.5x MkDocs; save -> reload in the browser <= 300 ms.
Reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import logging
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GOALS = {"cold_ratio": 0.5, "reload_ms": 300.0}
MKDOCS_YML = "site_name: Prefect in practice\ndocs_dir: docs\nsite_dir: mkdocs_site\n"
CHILD = """
import shutil
from pathlib import Path
base = Path({base!r})
if {clean!r}:
    shutil.rmtree(base / ".build" / "cache", ignore_errors=True)
from lessonbuild.project import Project, ROOT
from lessonbuild.recipe import Builder
project = Project.at(base, template_dir=ROOT / "templates", web_dir=ROOT / "web")
Builder(project).build()
"""


def spread(values: list[float], digits: int = 0) -> str:
    if not values:
        return "     n/a"
    return " ".join(f"{v:8.{digits}f}" for v in (min(values), statistics.median(values), max(values)))


def prepare(base: Path) -> None:
    """A copy of the course, with an expected log for every demo, and the same pages for MkDocs."""
    from lessonbuild.demos import find_demos, run_in_terminal

    shutil.copytree(ROOT / "lesson", base / "lesson")
    shutil.copytree(ROOT / "demo", base / "demo", ignore=shutil.ignore_patterns("__pycache__"))
    for demo in find_demos(base / "demo"):
        if demo.expected() is None:
            demo.expected_path.write_text(run_in_terminal(demo, ROOT), encoding="utf-8")
    (base / "docs").mkdir()
    for page in sorted((base / "lesson").glob("*.md")):
        shutil.copy(page, base / "docs" / page.name)
    (base / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")


def project_at(base: Path):  # type: ignore[no-untyped-def]
    from lessonbuild.project import Project

    return Project.at(base, template_dir=ROOT / "templates", web_dir=ROOT / "web")


def timed(run: Callable[[], object]) -> float:
    """Wall time of `run()` in ms."""
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def child(base: Path, clean: bool) -> list[str]:
    return [sys.executable, "-c", CHILD.format(base=str(base), clean=clean)]


def run_process(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and its children, esbuild included) in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}... failed:\n{done.stdout}{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def cold(base: Path, repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """Fresh processes, taking turns: ours from nothing, ours with the last build's cache, MkDocs."""
    commands = {
        "ours from nothing": child(base, True),
        "ours with the build cache": child(base, False),
        "mkdocs build": [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(base / "mkdocs.yml")],
    }
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            wall, cpu = run_process(command)
            times[name][0].append(wall)
            times[name][1].append(cpu)
    return times


def warm(base: Path, repeats: int) -> tuple[list[float], list[float]]:
    """One-line edits of a lesson, rebuilt in this process, alternating: ours, then MkDocs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from lessonbuild.recipe import Builder

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    builder = Builder(project_at(base))
    builder.build()
    lesson = sorted((base / "lesson").glob("*.md"))[-1]
    page = base / "docs" / lesson.name
    ours, theirs = [], []
    for i in range(repeats):
        with lesson.open("a", encoding="utf-8") as f:
            f.write(f"\nEdit number {i}.\n")
        ours.append(timed(builder.build))
        with page.open("a", encoding="utf-8") as f:
            f.write(f"\nEdit number {i}.\n")
        with contextlib.redirect_stderr(io.StringIO()):
            theirs.append(timed(lambda: mkdocs_build(load_config(str(base / "mkdocs.yml")))))
    return ours, theirs


def reload_latency(base: Path, repeats: int, browser: bool) -> tuple[list[float], dict[str, list[float]]]:
    """Save -> `reload` event, and save -> the browser shows the new text, under --serve."""
    from lessonbuild.recipe import Builder
    from lessonbuild.serve import DevServer

    builder = Builder(project_at(base))
    builder.build()
    server = DevServer(builder.project.site_dir, builder.build, builder.project.watched(), port=0, log=lambda line: None)
    server.start()
    lesson = sorted((base / "lesson").glob("*.md"))[0]
    url = server.url + lesson.stem + ".html"
    events: list[float] = []
    shown: dict[str, list[float]] = {}
    try:
        host, port = server.url.removeprefix("http://").rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/__reload")
        response = conn.getresponse()  # keep it: when it is collected, its stream closes
        stream = response.fp
        stream.readline(), stream.readline()  # ": connected"
        for i in range(repeats):
            time.sleep(0.2)
            started = time.perf_counter()
            with lesson.open("a", encoding="utf-8") as f:
                f.write(f"\nSaved edit {i}.\n")
            while stream.readline().strip() != b"data: reload":
                pass
            events.append((time.perf_counter() - started) * 1000)
        conn.close()
        if browser:
            shown = browser_reloads(url, lesson, repeats)
    finally:
        server.close()
    return events, shown


NAVIGATION_TIMES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {origin: performance.timeOrigin, parsed: nav.domInteractive, painted: paint ? paint.startTime : null};
}"""


def browser_reloads(url: str, lesson: Path, repeats: int) -> dict[str, list[float]]:
    """Save -> the reloaded page has the new text (parsed; painted), in Chromium, through page.js's own live reload.

    The times are the browser's own (navigation and paint timing, on the same
    clock as `time.time()`), so Playwright's polling does not count.
    """
    try:
        from tests.harness.browser import CHROMIUM, CHROMIUM_ARGS
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if not Path(CHROMIUM).exists():
        return {}
    times: dict[str, list[float]] = {"parsed": [], "painted": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_timeout(3000)  # let Pyodide finish booting, so it does not share the CPU with the first edit
        for i in range(repeats):
            marker = f"Browser edit {i} shows."
            saved = time.time() * 1000
            with lesson.open("a", encoding="utf-8") as f:
                f.write(f"\n{marker}\n")
            page.wait_for_function("m => document.body && document.body.textContent.includes(m)", arg=marker, timeout=10_000)
            page.wait_for_timeout(200)  # until the first paint has been recorded
            nav = page.evaluate(NAVIGATION_TIMES)
            times["parsed"].append(nav["origin"] + nav["parsed"] - saved)
            if nav["painted"] is not None:
                times["painted"].append(nav["origin"] + nav["painted"] - saved)
            page.wait_for_timeout(2500)  # the reloaded page boots Python again; let it settle
        browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true", help="skip the save -> reload measurement in Chromium")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] if __name__ == "__main__" else [])
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        base = Path(tmp)
        prepare(base)
        pages = len(list((base / "lesson").glob("*.md")))
        print(f"{pages} lesson page(s); {args.repeats} repeats; times in ms as min / median / max", flush=True)
        subprocess.run(child(base, False), check=True)  # the OS's file cache, for both tools

        times = cold(base, args.repeats)
        print(f"{'full build in a new process':40}       wall time (ms)                CPU time (ms)")
        for name, (wall, cpu) in times.items():
            print(f"  {name:38} {spread(wall)}    {spread(cpu)}")
        anchor_wall, anchor_cpu = times["mkdocs build"]
        for name in ("ours from nothing", "ours with the build cache"):
            wall, cpu = times[name]
            wall_ratio = [o / t for o, t in zip(wall, anchor_wall)]
            cpu_ratio = [o / t for o, t in zip(cpu, anchor_cpu)]
            print(f"  ratio {name} / mkdocs {' ' * (25 - len(name))}{spread(wall_ratio, 2)}    {spread(cpu_ratio, 2)}   goal <= {GOALS['cold_ratio']}")

        ours, theirs = warm(base, args.repeats)
        ratios = [o / t for o, t in zip(ours, theirs)]
        print(f"rebuild after a one-line edit, ours (warm Builder)   {spread(ours)}")
        print(f"rebuild after a one-line edit, mkdocs (in-process)   {spread(theirs)}")
        print(f"  ratio ours / mkdocs                                {spread(ratios, 2)}", flush=True)

        events, shown = reload_latency(base, args.repeats, browser=not args.no_browser)
        print(f"save -> reload event on /__reload                    {spread(events)}")
        if shown:
            print(f"save -> reloaded page parsed in Chromium (new text in the DOM) {spread(shown['parsed'])}   goal <= {GOALS['reload_ms']:.0f}")
            print(f"save -> reloaded page painted in Chromium                      {spread(shown['painted'])}")
        else:
            print("save -> reloaded page in Chromium: skipped (no Playwright/Chromium, or --no-browser)")


if __name__ == "__main__":
    main()
