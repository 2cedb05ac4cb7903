// The Python worker: a thin pipe between the page (web/host.js) and
// playground/runner.py. Pyodide boots here, off the main thread, so a busy loop
// never freezes the page.
//
// page -> worker: {type: "init", pyodideUrl, pythonUrl, integrity, interruptBuffer?, pageTimeOrigin}
//                 integrity: {file name: "sha384-..."} when Pyodide comes from a CDN (checked on
//                 every fetch() of those files; the two .mjs files are imported, which takes no hash)
//                 {id, type: "run", code, filename}
//                 {id, type: "check", code, check, filename}
// worker -> page: {type: "progress", step, loaded, total}   bytes of the big downloads
//                 {type: "ready", version, ms, bytes, phases}   phases: when each boot step ended
//                 {type: "fatal", message}
//                 {id, type: "messages", messages: [...]}   runner messages, in order, batched
//                 {id, type: "done", ok, error, passed?, message?, workerMs}
// Errors are data: a learner's exception arrives in "done", never as a thrown error.

// A run's text beyond this is dropped here (the runner caps lines; this caps a flood
// without newlines, e.g. print("x", end="") in a loop).
const MAX_TEXT_CHARS = 100_000;
const MAX_EVENTS = 5_000;
// Post at once while output is slow; batch when it floods, so the page stays responsive.
// (A batch waits for the next message, or the end of the run: Python holds this thread.)
const BURST_POSTS = 24;
const BATCH_MS = 16;

let runner = null;
const queue = [];

let failed = false;
function fatal(message) {
  if (failed) return;
  failed = true;
  self.postMessage({ type: "fatal", message });
}

// Set at once: messages posted before Pyodide is ready wait in the queue.
self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    boot(msg).catch((err) => fatal(String((err && err.message) || err)));
  } else if (runner) {
    handle(msg);
  } else {
    queue.push(msg);
  }
};

// -- boot, with a byte count of the big downloads ----------------------------------------

class DownloadMeter {
  constructor(bigFiles) {
    this.loaded = 0;
    this.total = 0;
    this.waitingFor = new Set(bigFiles); // Pyodide's own downloads: then it starts up
    this.step = "Downloading Python…";
    this.lastPost = 0;
  }

  post(force = false) {
    const now = performance.now();
    if (!force && now - this.lastPost < 100) return;
    this.lastPost = now;
    self.postMessage({ type: "progress", step: this.step, loaded: this.loaded, total: this.total });
  }

  setStep(step) {
    this.step = step;
    this.post(true);
  }

  /**
   * Count a response's bytes as they arrive. The count reads a clone (a tee of the
   * same download, not a second request), so the original body stays native and
   * WebAssembly.instantiateStreaming compiles it off this thread as usual.
   */
  count(response, name = "") {
    if (!response.ok || !response.body) return response;
    const encoded = response.headers.get("Content-Encoding");
    const length = Number(response.headers.get("Content-Length"));
    // With Content-Encoding the length is the compressed size, but the body we count is not.
    if (!encoded && length > 0) this.total += length;
    this.drain(response.clone().body.getReader(), Boolean(encoded), name);
    return response;
  }

  async drain(reader, encoded, name) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.loaded += value.byteLength;
        if (encoded) this.total = Math.max(this.total, this.loaded);
        this.post();
      }
    } catch {
      /* the download failed: Pyodide reports that itself */
    }
    if (this.waitingFor.delete(name) && this.waitingFor.size === 0) this.setStep("Starting Python…");
  }
}

/**
 * While Pyodide boots, its fetches of the big files go through the meter, and any
 * file with a known SRI hash (Pyodide from a CDN) is fetched with `integrity`.
 */
function meterFetches(meter, names, integrity) {
  const original = self.fetch;
  self.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const file = url.slice(url.lastIndexOf("/") + 1);
    const options = integrity[file] && !(input instanceof Request) ? { ...init, integrity: integrity[file] } : init;
    const promise = original(input, options);
    if (!names.includes(file)) return promise;
    // Pyodide waits forever when its wasm cannot be fetched; say so instead (errors are data).
    return promise.then(
      (response) => {
        if (!response.ok) fatal(`could not download ${file} (HTTP ${response.status})`);
        return meter.count(response, file);
      },
      (err) => {
        fatal(`could not download ${file} (${(err && err.message) || err})`);
        throw err;
      },
    );
  };
  return () => {
    self.fetch = original;
  };
}

async function boot({ pyodideUrl, pythonUrl, integrity = {}, interruptBuffer, pageTimeOrigin }) {
  const started = performance.now();
  // Phase ends, in the page's clock (ms since its navigation), for the benchmark.
  const at = (name) => (phases[name] = Math.round(performance.timeOrigin + performance.now() - pageOrigin));
  const phases = {};
  const pageOrigin = pageTimeOrigin ?? performance.timeOrigin;
  at("worker");
  const bigFiles = ["pyodide.asm.wasm", "python_stdlib.zip"];
  const meter = new DownloadMeter(bigFiles);
  meter.post(true);
  // Our own package downloads alongside Pyodide's files instead of after them.
  const ourPython = fetch(pythonUrl).then((response) => {
    if (!response.ok) throw new Error(`could not load ${pythonUrl}: HTTP ${response.status}`);
    meter.count(response);
    return response.arrayBuffer();
  });
  ourPython.catch(() => {});
  const restoreFetch = meterFetches(meter, bigFiles, integrity);
  let pyodide;
  try {
    const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
    at("pyodide.mjs");
    pyodide = await loadPyodide({ indexURL: pyodideUrl });
    at("loadPyodide");
  } finally {
    restoreFetch();
  }
  meter.setStep("Loading sim_prefect…");
  pyodide.unpackArchive(new Uint8Array(await ourPython), "zip", { extractDir: "/home/pyodide/lib" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
  runner = pyodide.pyimport("playground.runner");
  at("runner");
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
  self.postMessage({
    type: "ready", version: pyodide.version, ms: Math.round(performance.now() - started), bytes: meter.loaded, phases,
  });
  if (queue.length) {
    for (const msg of queue.splice(0)) handle(msg);
  } else {
    // The first run of a flow pays for code paths Python has not met yet; pay it now,
    // while the learner reads, so their first Run is as quick as the next ones.
    setTimeout(warmUp, 0);
  }
}

// A retry, a submitted task, prints, and a traceback: the paths a lesson's first run takes.
const WARM_UP = `
from sim_prefect import flow, task

tries = 0

@task(retries=1, retry_delay_seconds=1, log_prints=True)
def step(n):
    global tries
    tries += 1
    if tries == 1:
        raise ValueError("warm-up")
    print(n)
    return n

@flow(log_prints=True)
def warm_up():
    return [step(1), step.submit(2).result()]

warm_up()
1 / 0
`;

function warmUp() {
  if (!runner || queue.length) return;
  try {
    runner.run_json(WARM_UP, "warm_up.py", () => {});
  } catch {
    /* only a head start: a failure here shows up, if at all, in the learner's first run */
  }
}

// -- runs ---------------------------------------------------------------------------------

/** Collects one run's messages and posts them in order, batched under a flood. */
class Outbox {
  constructor(id) {
    this.id = id;
    this.buffer = [];
    this.chars = 0;
    this.events = 0;
    this.capped = false;
    this.windowStart = 0;
    this.postsInWindow = 0;
  }

  push(message) {
    if (message.type === "event") {
      if (++this.events > MAX_EVENTS) return;
    } else if (message.type !== "notice") {
      if (this.capped) return;
      this.chars += message.text.length;
      if (this.chars > MAX_TEXT_CHARS) {
        this.capped = true;
        message = { type: "notice", text: `Output stopped after ${MAX_TEXT_CHARS.toLocaleString("en")} characters; the run goes on without showing more.` };
      }
    }
    const last = this.buffer[this.buffer.length - 1];
    if (last && (message.type === "stdout" || message.type === "stderr") && last.type === message.type) {
      last.text += message.text; // print("x", end="") in a loop: one growing message, not thousands
    } else {
      this.buffer.push(message);
    }
    const now = performance.now();
    if (now - this.windowStart >= BATCH_MS) {
      this.windowStart = now;
      this.postsInWindow = 0;
    }
    // A notice (the output was capped) is often followed by silence: it must not wait.
    if (this.postsInWindow < BURST_POSTS || message.type === "notice") this.flush();
  }

  flush() {
    if (!this.buffer.length) return;
    self.postMessage({ id: this.id, type: "messages", messages: this.buffer });
    this.buffer = [];
    this.postsInWindow += 1;
  }
}

function handle(msg) {
  const started = performance.now();
  const outbox = new Outbox(msg.id);
  const emit = (json) => outbox.push(JSON.parse(json));
  let outcome;
  try {
    outcome = msg.type === "check"
      ? JSON.parse(runner.check_json(msg.code, msg.check, msg.filename, emit))
      : JSON.parse(runner.run_json(msg.code, msg.filename, emit));
  } catch (err) {
    // Our own Python failed (or an interrupt landed outside the learner's code).
    const message = String((err && err.message) || err);
    const interrupted = message.includes("KeyboardInterrupt");
    outcome = { ok: false, error: { type: interrupted ? "KeyboardInterrupt" : "InternalError", message, line: null, interrupted } };
  }
  outbox.flush();
  self.postMessage({ id: msg.id, type: "done", ...outcome, workerMs: performance.now() - started });
}
