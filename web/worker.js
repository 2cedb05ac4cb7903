// A Python worker serves one Run (or one check), then the page ends it: every Run
// starts from the same fresh interpreter, as `python script.py` does at home. The
// logic lives in playground/ (runner.py); this file is the pipe.
//
// The page hands over a private MessagePort in the only message this worker takes on
// its global channel; learner code cannot reach that port, and the global postMessage
// goes nowhere. Once Python is up, the network APIs are removed (the page's CSP, which
// this blob-URL worker inherits, blocks other origins in any case).
//
// The messages both ways are defined in protocol.js: init, then one run or judge in;
// progress, snapshot, ready or fatal while booting, then messages and done out.
import { DownloadMeter } from "./download-meter.js";
import { errorOutcome, isMessage, toPage } from "./protocol.js";

const NETWORK = ["fetch", "XMLHttpRequest", "WebSocket", "WebSocketStream", "EventSource", "WebTransport",
  "importScripts", "Worker", "SharedWorker", "FontFace", "fonts", "caches", "BroadcastChannel", "indexedDB"];
const TO_THE_PAGE = ["postMessage", "close"]; // a worker's own way out: made to go nowhere

self.onmessage = ({ data: init }) => {
  self.onmessage = null;
  if (!isMessage(init, ["init"])) {
    // Tell the page if it gave us a way to; otherwise its boot watch reports the stall.
    if (typeof init?.port?.postMessage === "function") init.port.postMessage(toPage.fatal("a malformed init message"));
    return;
  }
  const send = (message, transfer = []) => init.port.postMessage(message, transfer);
  boot(init, send).then(
    (python) => { init.port.onmessage = ({ data }) => serve(python, data, send); },
    (err) => send(toPage.fatal(String((err && err.message) || err))),
  );
};

async function boot({ pyodideUrl, pythonUrl, python, snapshot, interruptBuffer, integrity = {} }, send) {
  const cold = !snapshot; // the page's first worker: it makes the snapshot the others start from
  const meter = cold ? new DownloadMeter(send) : null;
  meter?.post(true);
  const ours = python ?? fetch(pythonUrl).then((response) => {
    if (!response.ok) throw new Error(`could not load ${pythonUrl}: HTTP ${response.status}`);
    return meter.count(response).arrayBuffer();
  });
  const unwatch = meter ? meter.watch(integrity, (message) => send(toPage.fatal(message))) : () => {};
  let pyodide;
  try {
    const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
    pyodide = await loadPyodide(cold ? { indexURL: pyodideUrl, _makeSnapshot: true } : { indexURL: pyodideUrl, _loadSnapshot: snapshot });
  } finally {
    unwatch();
  }
  performance.mark("pyodide-loaded"); // the boot's steps, for the browser's performance tools
  delete pyodide._api.config._loadSnapshot; // 30 MB the instance no longer needs
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer); // Stop, on a cross-origin isolated page
  meter?.setStep("Loading sim_prefect…");
  const zip = new Uint8Array(await ours);
  // A memory snapshot holds Python's memory, not its files: unpack ours again either way.
  pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/lib" });
  if (cold) pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
  const runner = pyodide.pyimport("playground.runner");
  // A worker started from the snapshot has Python's memory but cold machine code: one
  // warm-up (which leaves nothing behind) makes its Run as quick as the first worker's.
  if (!cold) runner.warm_up();
  lockDown();
  send(toPage.ready(pyodide.version, pyodide.runPython("import sys; sys.version.split()[0]")));
  if (cold) {
    // Before any Run (messages wait in the port meanwhile): warm the code paths a lesson
    // takes, then hand the page this memory, which every later worker starts from.
    performance.mark("runner-imported");
    runner.warm_up();
    performance.mark("warmed-up");
    const made = pyodide.makeMemorySnapshot();
    performance.mark("snapshot-made");
    send(toPage.snapshot(made, zip.slice()), [made.buffer]);
  }
  return { pyodide, runner };
}

/**
 * Learner code may reach the worker's globals through `js`: leave it no network and no way to
 * the page. Most of these live on the prototypes of the global scope, not on `self`: they go
 * from every level, and the name is then pinned on `self` so that nothing can put it back.
 */
function lockDown() {
  const pinned = (o, name) => Object.getOwnPropertyDescriptor(o, name)?.configurable === false;
  const pin = (name, value) => {
    for (let o = self; o && name in o && !pinned(o, name); o = Object.getPrototypeOf(o)) delete o[name];
    if (!pinned(self, name)) Object.defineProperty(self, name, { value, configurable: false, writable: false });
  };
  for (const name of NETWORK) pin(name, undefined);
  for (const name of TO_THE_PAGE) pin(name, () => {});
}

// With WebAssembly stack switching (Chromium; Node with --experimental-wasm-stack-switching), a Run is
// a promising call: its Python can park one stack and go on with another, which is how submitted
// task runs that sleep overlap as in Prefect's thread pool (sim_prefect/lanes.py). Without it, they
// take turns.
const STACK_SWITCHING = "Suspending" in WebAssembly || "Suspender" in WebAssembly;

async function serve({ pyodide, runner }, msg, send) {
  let outcome;
  try {
    if (!isMessage(msg, ["run", "judge"])) throw new Error(`a malformed request: ${JSON.stringify(msg?.type)}`);
    if (msg.type === "judge") {
      outcome = runner.check_json(msg.check, msg.report, msg.starter);
    } else {
      // A test module's Run brings pytest's files (pytest.zip): they go beside ours, for this worker only.
      if (msg.archive) pyodide.unpackArchive(msg.archive, "zip", { extractDir: "/home/pyodide/lib" });
      const entry = msg.options.runner === "pytest" ? runner.run_pytest_json : runner.run_json;
      const args = [msg.code, msg.filename, (json) => send(toPage.messages(json)), JSON.stringify(msg.options)];
      outcome = await (STACK_SWITCHING ? entry.callPromising(...args) : entry(...args));
    }
  } catch (err) {
    // Our own Python (or the page) failed: the learner's errors come back as data in the outcome.
    // Here the message is Pyodide's whole Python traceback: the status shows its last line.
    const text = String((err && err.message) || err);
    outcome = JSON.stringify(errorOutcome("InternalError", text, { summary: `InternalError: ${text.trim().split("\n").pop()}` }));
  }
  send(toPage.done(outcome));
}
