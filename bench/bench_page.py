"""The lesson page in Chromium, side by side with the physical floor.

    python -m bench page                      (or `make bench`)
    python -m bench.bench_page --repeats 7    options: --site DIR (a built site), --repeats N

One browser session; every repeat opens fresh browser contexts (cold HTTP cache)
and alternates the pages, so all of them see the same machine:

- the anchor: a bare page, generated into a temporary folder, that only boots
  Pyodide in a module worker from the same files (pyodide/ of the built site);
- our lesson page (02-prefect-in-practice.html), on a plain static host and on
  a cross-origin isolated one (COOP/COEP).

Measured (min / median / max over the repeats), from the browser's own clock:

- navigation -> Run-ready (the "python-ready" mark), and its ratio to the
  anchor in the same repeat;
- click Run -> finished: the first Run (on the first worker), later Runs with
  the spare worker ready, and a Run clicked the moment the previous one ended
  (it waits for the spare);
- Stop -> the next Run's first output, for a busy loop, a loop of sleeps and a
  long call into C, on both hosts, and for a loop as the very first Run of a
  fresh page. Each case starts on a settled page: Chromium lets a terminated
  worker that is busy run on for about 2 s before it ends it, and on 2 cores
  that thread slows what comes next; "right after another Stop" measures that;
- memory of the page with its spare worker, idle after a Run, against the bare
  page: private memory of Chromium's renderer processes (a page and its workers
  live there), from /proc, with only that page open;
- bytes of our own assets (HTML, CSS, JS, the Python zip; Pyodide excluded).

Goals: ready <= 1.10x the bare page; click -> finished <= 300 ms; Stop -> next
output <= 200 ms; own assets <= 300 KB. Reported, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

LESSON = "02-prefect-in-practice.html"
SNIPPET = "[data-snippet$='--pipeline']"
NEXT = "[data-snippet$='--concurrency']"  # the snippet whose Run follows a Stop
GOALS = {"ready_ratio": 1.10, "click_ms": 300.0, "stop_ms": 200.0, "own_kb": 300.0}
SETTLE_MS = 2_500  # a stopped, busy worker's thread runs on for about 2 s in Chromium
STOP_CASES = {
    "busy loop": "n = 0\nwhile True:\n    n += 1\n",
    "sleeps": "import time\nwhile True:\n    time.sleep(30)\n",
    "C call": "print(sum(range(10**12)))\n",
}

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="boot.js"></script></head>
<body><p id="status">booting</p></body></html>
"""
BARE_BOOT = """
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  performance.mark("python-ready");
  document.getElementById("status").textContent = "ready " + event.data.version;
};
worker.postMessage({ indexURL: new URL("../site/pyodide/", location.href).href });
"""
BARE_WORKER = """
self.onmessage = async (event) => {
  const { indexURL } = event.data;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL });
  self.postMessage({ version: pyodide.version });
};
"""
READY_MARK = "() => performance.getEntriesByName('python-ready').length > 0"

CLICK_TO_FINISHED = """async (selector) => {
  const root = document.querySelector(selector);
  const finished = new Promise((resolve) => root.addEventListener("run-finished", (e) => resolve(e.detail), { once: true }));
  const started = performance.now();
  root.querySelector("[data-run]").click();
  const detail = await finished;
  return { ms: performance.now() - started, ok: detail.ok };
}"""

SPARES = "performance.getEntriesByName('python-spare-ready').length"

# Start the never-ending code, let it run, then time Stop -> the next snippet's first output.
STOP_TO_NEXT_OUTPUT = """async ([selector, next, busyMs]) => {
  const root = document.querySelector(selector);
  const other = document.querySelector(next);
  const finished = new Promise((resolve) => root.addEventListener("run-finished", (e) => resolve(e.detail), { once: true }));
  root.querySelector("[data-run]").click();
  await new Promise((resolve) => setTimeout(resolve, busyMs));
  const output = other.querySelector("[data-output]");
  const printed = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (output.textContent.length > 0) { observer.disconnect(); resolve(performance.now()); }
  }).observe(output, { childList: true, subtree: true, characterData: true }));
  const started = performance.now();
  root.querySelector("[data-stop]").click();
  const detail = await finished;
  const run = other.querySelector("[data-run]");
  while (run.disabled) await new Promise((resolve) => setTimeout(resolve, 1));
  const nextDone = new Promise((resolve) => other.addEventListener("run-finished", resolve, { once: true }));
  run.click();
  const at = await printed;
  await nextDone;
  return { ms: at - started, stopped: detail.stopped };
}"""


def spread(values: list[float], digits: int = 0) -> str:
    if not values:
        return "     n/a                 "
    return " ".join(f"{v:8.{digits}f}" for v in (min(values), statistics.median(values), max(values)))


def own_assets(site: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """Our own bytes for one lesson page: the page and everything in assets/."""
    files = [site / LESSON, *sorted((site / "assets").iterdir())]
    rows = [(f.relative_to(site).as_posix(), f.stat().st_size) for f in files if f.is_file()]
    raw = sum(size for _, size in rows)
    packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files if f.is_file() and f.suffix != ".zip")
    packed += sum(size for name, size in rows if name.endswith(".zip"))  # a zip does not shrink
    return raw, packed, rows


def prepare(site: Path, workdir: Path) -> Path:
    """A served root with the site under site/ and the bare page under bare/."""
    root = workdir / "root"
    root.mkdir()
    (root / "site").symlink_to(site, target_is_directory=True)
    bare = root / "bare"
    bare.mkdir()
    (bare / "index.html").write_text(BARE_HTML)
    (bare / "boot.js").write_text(BARE_BOOT)
    (bare / "worker.js").write_text(BARE_WORKER)
    return root


def open_page(browser, url: str):  # type: ignore[no-untyped-def]
    """A fresh context (cold cache) at `url`; returns (navigation -> python-ready ms, context, page)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(READY_MARK, timeout=90_000)
    return float(page.evaluate("performance.getEntriesByName('python-ready')[0].startTime")), context, page


def type_code(page, snippet: str, code: str) -> None:
    """Put `code` in the snippet's editor, as a learner would (not timed)."""
    content = page.locator(f"{snippet} .cm-content")
    if not content.count():
        page.click(f"{snippet} [data-editor]")
        content.wait_for(timeout=30_000)
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def wait_spare(page, seen: int) -> int:
    page.wait_for_function(f"() => {SPARES} > {seen}", timeout=30_000)
    return int(page.evaluate(SPARES))


def renderer_private_mb(browser) -> float:  # type: ignore[no-untyped-def]
    """Private memory of every renderer process (a page and its workers live in its renderer), from /proc."""
    cdp = browser.new_browser_cdp_session()
    try:
        processes = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        cdp.detach()
    total = 0
    for process in processes:
        if process["type"] != "renderer":
            continue
        try:
            with open(f"/proc/{process['id']}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    key, _, rest = line.partition(":")
                    if key in ("Private_Clean", "Private_Dirty"):
                        total += int(rest.split()[0])
        except FileNotFoundError:
            continue
    return total / 1024


def measure(site: Path, repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.harness.browser import CHROMIUM, CHROMIUM_ARGS, ISOLATION_HEADERS, StaticServer

    results: dict[str, list[float]] = {}

    def add(key: str, value: float | None) -> None:
        if value is not None:
            results.setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        root = prepare(site, Path(tmp))
        hosts = {"plain": StaticServer(root, {}), "isolated": StaticServer(root, ISOLATION_HEADERS)}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                for i in range(repeats):
                    order = ["bare", "plain", "isolated"] if i % 2 == 0 else ["isolated", "plain", "bare"]
                    for which in order:
                        if which == "bare":
                            ms, context, page = open_page(browser, hosts["isolated"].url + "bare/index.html")
                            add("ready bare", ms)
                            page.wait_for_timeout(2_000)
                            add("memory bare", renderer_private_mb(browser))
                            context.close()
                            continue
                        url = hosts[which].url + "site/" + LESSON
                        ms, context, page = open_page(browser, url)
                        add(f"ready {which}", ms)
                        page.wait_for_selector(f"{SNIPPET} [data-run]:not([disabled])")
                        if which == "plain":
                            add("click first", page.evaluate(CLICK_TO_FINISHED, SNIPPET)["ms"])
                            seen = wait_spare(page, 0)
                            for _ in range(3):
                                add("click later", page.evaluate(CLICK_TO_FINISHED, SNIPPET)["ms"])
                                seen = wait_spare(page, seen)
                            page.evaluate(CLICK_TO_FINISHED, SNIPPET)  # and, at once, one more:
                            add("click back to back", page.evaluate(CLICK_TO_FINISHED, SNIPPET)["ms"])
                            seen = wait_spare(page, seen)
                        else:
                            page.evaluate(CLICK_TO_FINISHED, SNIPPET)
                            wait_spare(page, 0)
                            page.wait_for_timeout(2_000)  # the spare is up; the used worker is gone
                            add("memory ours", renderer_private_mb(browser))
                        for case, code in STOP_CASES.items():
                            type_code(page, SNIPPET, code)
                            page.wait_for_timeout(SETTLE_MS)
                            stop = page.evaluate(STOP_TO_NEXT_OUTPUT, [SNIPPET, NEXT, 600])
                            assert stop["stopped"], stop
                            add(f"stop {case} {which}", stop["ms"])
                        stop = page.evaluate(STOP_TO_NEXT_OUTPUT, [SNIPPET, NEXT, 600])  # at once, again
                        add(f"stop right after another Stop {which}", stop["ms"])
                        context.close()
                        # A loop as the very first Run of a fresh page.
                        _, context, page = open_page(browser, url)
                        page.wait_for_selector(f"{SNIPPET} [data-run]:not([disabled])")
                        type_code(page, SNIPPET, STOP_CASES["busy loop"])
                        stop = page.evaluate(STOP_TO_NEXT_OUTPUT, [SNIPPET, NEXT, 600])
                        add(f"stop first-run loop {which}", stop["ms"])
                        context.close()
                    print(f"  repeat {i + 1}/{repeats}: bare {results['ready bare'][-1]:.0f} ms, "
                          f"ours {results['ready plain'][-1]:.0f} ms (isolated {results['ready isolated'][-1]:.0f} ms)", flush=True)
                browser.close()
        finally:
            for server in hosts.values():
                server.close()

    report(results, site)


def report(results: dict[str, list[float]], site: Path) -> None:
    get = results.get
    # Each repeat's pages ran back to back, so a repeat's ratio cancels out the machine's mood.
    ratio = {which: [ours / bare for ours, bare in zip(get(f"ready {which}", []), get("ready bare", []))] for which in ("plain", "isolated")}
    print(f"\n{'measure (ms)':48} {'min':>8} {'median':>8} {'max':>8}   goal")
    print(f"{'navigation -> ready, bare Pyodide (anchor)':48} {spread(get('ready bare', []))}")
    print(f"{'navigation -> Run-ready, our page (plain host)':48} {spread(get('ready plain', []))}")
    print(f"{'navigation -> Run-ready, our page (isolated)':48} {spread(get('ready isolated', []))}")
    print(f"{'  ratio to the anchor, same repeat (plain)':48} {spread(ratio['plain'], 2)}   <= {GOALS['ready_ratio']:.2f}x")
    print(f"{'  ratio to the anchor, same repeat (isolated)':48} {spread(ratio['isolated'], 2)}   <= {GOALS['ready_ratio']:.2f}x")
    print(f"{'click Run -> finished, first Run':48} {spread(get('click first', []))}   <= {GOALS['click_ms']:.0f}")
    print(f"{'click Run -> finished, later Runs (spare ready)':48} {spread(get('click later', []))}   <= {GOALS['click_ms']:.0f}")
    print(f"{'click Run -> finished, right after another Run':48} {spread(get('click back to back', []))}")
    for which in ("plain", "isolated"):
        for case in [*STOP_CASES, "first-run loop", "right after another Stop"]:
            key = f"stop {case} {which}"
            print(f"{f'Stop -> next output, {case} ({which})':48} {spread(get(key, []))}   <= {GOALS['stop_ms']:.0f}")
    print(f"\n{'memory (MB private, all renderer processes)':48} {'min':>8} {'median':>8} {'max':>8}")
    print(f"{'bare Pyodide page (anchor)':48} {spread(get('memory bare', []))}")
    print(f"{'our page, idle after a Run (spare + snapshot)':48} {spread(get('memory ours', []))}")
    raw, packed, rows = own_assets(site)
    print(f"\nown assets of {LESSON}: {raw / 1000:.1f} KB uncompressed, {packed / 1000:.1f} KB gzip-9 "
          f"(goal <= {GOALS['own_kb']:.0f} KB uncompressed)")
    before_editor = sum(size for name, size in rows if not name.startswith("assets/editor-"))
    print(f"  of which needed to reach Run-ready (all but the editor, which loads on first need): {before_editor / 1000:.1f} KB")
    for name, size in rows:
        print(f"  {name:44} {size / 1000:8.1f} KB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv or [])
    if args.site:
        measure(args.site.resolve(), args.repeats)
        return
    from lessonbuild.recipe import build

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        dest = Path(tmp) / "_site"
        build(dest)
        measure(dest, args.repeats)


if __name__ == "__main__":
    main(sys.argv[1:])
