// The page's entry point (bundled by lessonbuild/bundle.py with esbuild): start
// Python at once (web/host.js), then turn each pre-rendered snippet into an editor
// with Run, Check, Stop and Reset. Without JavaScript, or in a browser that cannot
// run the worker, the page stays a static lesson: highlighted code and the
// recorded output, with a note saying why the code cannot run.

import { showProgress } from "./exercise-progress.js";
import { PythonHost } from "./host.js";
import { watchRuns } from "./run-view-loader.js";
import { watchTerminal } from "./terminal-loader.js";
import { Snippet } from "./snippet.js";

function capabilityProblem() {
  if (typeof Worker !== "function") return "this browser cannot run Web Workers";
  if (typeof WebAssembly !== "object") return "this browser cannot run WebAssembly";
  if (typeof TransformStream !== "function") return "this browser is too old for the in-page Python";
  return null;
}

// page.js runs from <head>, before the body is parsed: the URLs it needs sit on its
// own <script> tag, and a lesson page with runnable code says so there
// (data-python="eager"), so Python starts downloading at once.
const script = document.currentScript ?? document.querySelector("script[data-worker-url]");

function createHost(urls) {
  const url = (path) => new URL(path, document.baseURI).href;
  // With Pyodide from a CDN, the build gives each file's SRI hash; the worker checks them.
  const integrityTag = document.getElementById("pyodide-integrity");
  let integrity = {};
  try {
    integrity = integrityTag ? JSON.parse(integrityTag.textContent) : {};
  } catch {
    /* a malformed tag: load without the check rather than not at all */
  }
  return new PythonHost({
    workerUrl: url(urls.workerUrl),
    pyodideUrl: url(urls.pyodide),
    pythonUrl: url(urls.pythonUrl),
    snapshotUrl: url(urls.snapshotUrl),
    pytestUrl: url(urls.pytestUrl),
    integrity,
  });
}

const problem = capabilityProblem();
let host = script?.dataset.python === "eager" && !problem ? createHost(script.dataset) : null;

function start() {
  const roots = document.querySelectorAll("[data-snippet]");
  const siteStatus = document.querySelector("[data-python-status]");
  if (!roots.length) return;
  if (problem) {
    if (siteStatus) siteStatus.textContent = `Code cannot run here: ${problem}. The recorded output is shown instead.`;
    return;
  }
  host ??= createHost({ ...document.body.dataset, ...script?.dataset });
  if (siteStatus) {
    let last = "";
    host.subscribe((status) => {
      const text = status.state === "ready" ? "" : status.step;
      if (text !== last) siteStatus.textContent = last = text;
    });
  }
  const snippets = [...roots].map((root) => new Snippet(root, host));
  watchRuns(host);
  watchTerminal(host, snippets);
}

/** Code blocks that scroll sideways get keyboard focus, so the hidden part can be read. */
function focusableScrollers() {
  for (const block of document.querySelectorAll(".highlight")) {
    if (block.closest("[data-editor]")) continue;
    const scrolls = block.scrollWidth > block.clientWidth + 1;
    if (scrolls && !block.hasAttribute("tabindex")) {
      block.tabIndex = 0;
      block.setAttribute("role", "region");
      block.setAttribute("aria-label", "Code (scrolls sideways)");
    } else if (!scrolls && block.getAttribute("role") === "region") {
      block.removeAttribute("tabindex");
      block.removeAttribute("role");
      block.removeAttribute("aria-label");
    }
  }
}

function onParsed() {
  showProgress(); // the course index: each page's exercises, done or not
  addEventListener("storage", () => showProgress()); // passed in another tab
  // A moment for the worker's start-up tasks before the snippets take the main thread;
  // the scroll check forces a layout of the whole lesson, so it waits for an idle moment.
  setTimeout(start, 0);
  const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
  idle(() => {
    focusableScrollers();
    liveReload();
  }, { timeout: 3000 });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onParsed, { once: true });
else onParsed();
let resizeTimer = 0;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(focusableScrollers, 200);
});

/**
 * Live reload under `python -m lessonbuild --serve`, which marks every response with
 * `Server-Timing: livereload` (lessonbuild/serve.py): the page reads that from its
 * own navigation timing, so a static host gets no request at all.
 */
function liveReload() {
  const navigation = performance.getEntriesByType?.("navigation")[0];
  const entry = navigation?.serverTiming?.find((timing) => timing.name === "livereload");
  if (!entry || !("EventSource" in window)) return;
  const events = new EventSource(entry.description || "/__reload");
  events.onmessage = () => location.reload();
  events.addEventListener("build-error", (event) => {
    const status = document.querySelector("[data-python-status]");
    if (status) status.textContent = `Build error: ${event.data}`;
  });
}
