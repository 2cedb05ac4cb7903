"""The lesson page in Chromium, side by side with the physical floor.

    python -m bench page                      (or `make bench`)
    python bench/bench_page.py --repeats 7    options: --site DIR (a built site), --repeats N

One browser session; every repeat opens fresh browser contexts (cold HTTP cache)
and alternates the two pages, so both see the same machine:

- the anchor: a bare page, generated into a temporary folder, that only boots
  Pyodide in a module worker from the same files (pyodide/ of the built site);
- our lesson page (02-prefect-in-practice.html), on a plain static server and on
  one that sends COOP/COEP (cross-origin isolated).

Measured (min / median / max over the repeats):

- navigation -> Run-ready (Python booted, Run enabled), and its ratio to the anchor;
- click Run -> the demo finished (the first run, and later runs);
- Stop of `while True: pass` -> ready for the next Run (standby worker when plain,
  interrupt buffer when isolated);
- bytes of our own assets (HTML, CSS, JS, the Python zip; Pyodide excluded).

Goals: ready <= 1.1x the bare page; click -> finished <= 300 ms; stop -> ready <=
200 ms; own assets <= 300 KB. Reported, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

LESSON = "02-prefect-in-practice.html"
SNIPPET = "[data-snippet$='--pipeline']"
GOALS = {"ready_ratio": 1.1, "click_ms": 300.0, "stop_ms": 200.0, "own_kb": 300.0}

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="boot.js"></script></head>
<body><p id="status">booting</p></body></html>
"""
BARE_BOOT = """
const spawned = Math.round(performance.now());
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  window.__pythonReadyAt = performance.now();
  window.__pythonBootPhases = { spawned, ...event.data.phases, ready: Math.round(performance.now()) };
  document.getElementById("status").textContent = "ready " + event.data.version;
};
worker.postMessage({ indexURL: new URL("../site/pyodide/", location.href).href, pageTimeOrigin: performance.timeOrigin });
"""
BARE_WORKER = """
self.onmessage = async (event) => {
  const { indexURL, pageTimeOrigin } = event.data;
  const at = () => Math.round(performance.timeOrigin + performance.now() - pageTimeOrigin);
  const phases = { worker: at() };
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  phases["pyodide.mjs"] = at();
  const pyodide = await loadPyodide({ indexURL });
  phases.loadPyodide = at();
  self.postMessage({ version: pyodide.version, phases });
};
"""


def spread(values: list[float], digits: int = 0) -> str:
    if not values:
        return "     n/a"
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


PHASES = ("spawned", "worker", "pyodide.mjs", "loadPyodide", "runner", "ready")


def ready_ms(browser, url: str, *, ours: bool, phases: dict[str, list[float]]) -> tuple[float, object, object]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    if ours:
        page.wait_for_selector(f"{SNIPPET} [data-run]:not([disabled])", timeout=60_000)
    page.wait_for_function("() => window.__pythonReadyAt !== undefined", timeout=60_000)
    for name, value in (page.evaluate("window.__pythonBootPhases") or {}).items():
        phases.setdefault(name, []).append(float(value))
    return float(page.evaluate("window.__pythonReadyAt")), context, page


CLICK_TO_FINISHED = """async (selector) => {
  const root = document.querySelector(selector);
  const finished = new Promise((resolve) => root.addEventListener("run-finished", (e) => resolve(e.detail), { once: true }));
  const started = performance.now();
  root.querySelector("[data-run]").click();
  const detail = await finished;
  return { ms: performance.now() - started, ok: detail.ok };
}"""

STOP_TO_READY = """async (selector) => {
  const root = document.querySelector(selector);
  const snippet = window.lessonSnippets.find((s) => s.root === root);
  const original = snippet.code;
  snippet.code = "while True:\\n    pass\\n";
  await window.lessonPython.whenStopIsInstant();
  const finished = new Promise((resolve) => root.addEventListener("run-finished", (e) => resolve(e.detail), { once: true }));
  root.querySelector("[data-run]").click();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  root.querySelector("[data-stop]").click();
  const detail = await finished;
  const run = root.querySelector("[data-run]");
  while (run.disabled) await new Promise((resolve) => setTimeout(resolve, 1));
  const ms = performance.now() - started;
  snippet.code = original;
  return { ms, stopped: !!detail.stopped || !!(detail.error && detail.error.interrupted) };
}"""


def measure(site: Path, repeats: int) -> None:
    from conftest import CHROMIUM, CHROMIUM_ARGS, ISOLATION_HEADERS, StaticServer
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        root = prepare(site, Path(tmp))
        plain = StaticServer(root, {})
        isolated = StaticServer(root, ISOLATION_HEADERS)
        for server in (plain, isolated):  # closing a context mid-download resets connections: not news
            server.httpd.handle_error = lambda request, address: None
        results: dict[str, list[float]] = {k: [] for k in (
            "bare", "plain", "isolated", "first_click", "later_click", "stop_plain", "stop_isolated")}
        phases: dict[str, dict[str, list[float]]] = {"bare": {}, "plain": {}}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                for i in range(repeats):
                    order = ["bare", "plain", "isolated"] if i % 2 == 0 else ["isolated", "plain", "bare"]
                    for which in order:
                        if which == "bare":
                            ms, context, _ = ready_ms(browser, plain.url + "bare/index.html", ours=False, phases=phases["bare"])
                            results["bare"].append(ms)
                            context.close()
                            continue
                        server = plain if which == "plain" else isolated
                        ms, context, page = ready_ms(
                            browser, server.url + "site/" + LESSON, ours=True, phases=phases.get(which, {}))
                        results[which].append(ms)
                        if which == "plain":
                            first = page.evaluate(CLICK_TO_FINISHED, SNIPPET)
                            results["first_click"].append(first["ms"])
                            for _ in range(3):
                                results["later_click"].append(page.evaluate(CLICK_TO_FINISHED, SNIPPET)["ms"])
                        stop = page.evaluate(STOP_TO_READY, SNIPPET)
                        assert stop["stopped"], stop
                        results[f"stop_{which}"].append(stop["ms"])
                        context.close()
                    print(f"  repeat {i + 1}/{repeats}: bare {results['bare'][-1]:.0f} ms, "
                          f"ours {results['plain'][-1]:.0f} ms (isolated {results['isolated'][-1]:.0f} ms)", flush=True)
                browser.close()
        finally:
            plain.close()
            isolated.close()

    raw, packed, rows = own_assets(site)
    # Each repeat's pages ran back to back, so a repeat's ratio cancels out the machine's mood.
    ratios = [ours / bare for ours, bare in zip(results["plain"], results["bare"])]
    ratios_iso = [ours / bare for ours, bare in zip(results["isolated"], results["bare"])]
    print(f"\n{'measure (ms)':44} {'min':>8} {'median':>8} {'max':>8}   goal")
    print(f"{'navigation -> ready, bare Pyodide (anchor)':44} {spread(results['bare'])}")
    print(f"{'navigation -> Run-ready, our page':44} {spread(results['plain'])}")
    print(f"{'navigation -> Run-ready, ours isolated':44} {spread(results['isolated'])}")
    print(f"{'  ratio to the anchor, same repeat (plain)':44} {spread(ratios, 2)}   <= {GOALS['ready_ratio']}x")
    print(f"{'  ratio to the anchor, same repeat (isolated)':44} {spread(ratios_iso, 2)}")
    bare_median = statistics.median(results["bare"])
    print(f"  ratio of the medians: plain {statistics.median(results['plain']) / bare_median:.2f}x, "
          f"isolated {statistics.median(results['isolated']) / bare_median:.2f}x")
    print("  boot phases, median ms since navigation (bare | ours):")
    for name in PHASES:
        bare_v = phases["bare"].get(name)
        ours_v = phases["plain"].get(name)
        if bare_v or ours_v:
            left = f"{statistics.median(bare_v):6.0f}" if bare_v else "     -"
            right = f"{statistics.median(ours_v):6.0f}" if ours_v else "     -"
            print(f"    {name:14} {left} | {right}")
    print(f"{'click Run -> finished, first run':44} {spread(results['first_click'])}   <= {GOALS['click_ms']:.0f}")
    print(f"{'click Run -> finished, later runs':44} {spread(results['later_click'])}   <= {GOALS['click_ms']:.0f}")
    print(f"{'Stop -> ready, plain (standby worker)':44} {spread(results['stop_plain'])}   <= {GOALS['stop_ms']:.0f}")
    print(f"{'Stop -> ready, isolated (interrupt)':44} {spread(results['stop_isolated'])}   <= {GOALS['stop_ms']:.0f}")
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
    import build

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        dest = Path(tmp) / "_site"
        build.build(dest)
        measure(dest, args.repeats)


if __name__ == "__main__":
    main(sys.argv[1:])
