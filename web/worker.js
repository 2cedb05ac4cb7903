// A Python worker serves one Run (or one check), then the page ends it: every Run
// starts from the same fresh interpreter, as `python script.py` does at home. The
// logic lives in playground/ (runner.py); this file is the pipe.
//
// The page hands over a private MessagePort in the only message this worker takes on
// its global channel; learner code cannot reach that port, and the global postMessage
// goes nowhere. Once Python is up, the network APIs are removed (the page's CSP, which
// this blob-URL worker inherits, blocks other origins in any case).
//
// The messages both ways are defined in protocol.js: init, then one run, judge or command in;
// progress, snapshot, ready or fatal while booting, then messages and done out.
import { DownloadMeter } from "./download-meter.js";
import { errorOutcome, isMessage, toPage } from "./protocol.js";
import { restoreSparsely } from "./sparse-restore.js";
import { unzipInto } from "./unzip.js";

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
  const { port } = init; // only the port outlives the boot: not the bytes that came with it
  const send = (message, transfer = []) => port.postMessage(message, transfer);
  boot(init, send).then(
    (python) => { port.onmessage = ({ data }) => serve(python, data, send); },
    (err) => send(toPage.fatal(String((err && err.message) || err))),
  );
};

async function boot({ port, pyodideUrl, pythonUrl, python, snapshot, snapshotUrl, module, held, interruptBuffer, integrity = {} }, send) {
  // Two ways up. Every worker of the page starts from the memory snapshot the build made (lessonbuild/
  // snapshot.py): the page's first worker downloads it (`snapshotUrl`, gzipped) and hands the page what it
  // got, unpacked, and later workers start from that (`snapshot`). With no snapshot at all, the worker
  // boots Pyodide cold, warms up and sends the snapshot it made: that is how the build makes it (in
  // Node), and how the Node tests start.
  const cold = !snapshot && !snapshotUrl;
  const meter = snapshotUrl || pythonUrl ? new DownloadMeter(send, snapshotUrl ? [SNAPSHOT] : []) : null;
  meter?.post(true);
  const download = (url, name) => fetch(url).then((response) => {
    if (!response.ok) throw new Error(`could not download ${url}: HTTP ${response.status}`);
    return meter.count(response, name).arrayBuffer();
  });
  const ours = bytes(python ?? download(pythonUrl, "python")).then(unpack);
  // A held worker (the page's second spare) sets Pyodide up as far as it can without its memory, and
  // waits there for the page's "start": then it needs a fraction of a second more.
  const started = held ? new Promise((resolve) => {
    port.addEventListener("message", ({ data }) => isMessage(data, ["start"]) && resolve());
    port.start();
  }) : null;
  const memory = cold ? null : snapshot ? fromThePage(snapshot, started, send) : fromTheHost(download(snapshotUrl, SNAPSHOT));
  const unwatch = meter ? meter.watch(integrity, (message) => send(toPage.fatal(message))) : () => {};
  const unshare = module ? shareCompiled(module) : keepCompiled();
  const retrampoline = cold ? null : watchTrampoline();
  const unhook = cold ? () => {} : restoreSparsely(memory.isSnapshot);
  let pyodide;
  try {
    const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
    pyodide = await loadPyodide(cold ? { indexURL: pyodideUrl, _makeSnapshot: true } : { indexURL: pyodideUrl, ...memory.config });
  } finally {
    unwatch();
    unhook();
  }
  const compiled = unshare();
  retrampoline?.(pyodide);
  performance.mark("pyodide-loaded"); // the boot's steps, for the browser's performance tools
  delete pyodide._api.config._loadSnapshot;
  // The snapshot's 30 MB are in Python's memory now: they are freed at once rather than at the next
  // garbage collection, which an idle worker may not have for long (the page's first worker hands
  // them on first, below).
  if (snapshot) release(await memory.bytes);
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer); // Stop, on a cross-origin isolated page
  meter?.setStep("Loading sim_prefect…");
  const zip = await ours;
  // A memory snapshot holds Python's memory, not its files: unpack ours again either way.
  await unzipInto(pyodide.FS, zip, LIB);
  if (cold) pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(LIB)})`);
  // The snapshot's random state is every learner's (the build made it): seed it afresh, as a new process does.
  else pyodide.runPython("import random; random.seed()");
  const runner = pyodide.pyimport("playground.runner");
  // A worker started from the snapshot has Python's memory but not yet the machine code of what a
  // Run calls (WebAssembly compiles each function on its first call): one warm-up, which leaves
  // nothing behind, makes its first Run as quick as a later one.
  if (!cold) runner.warm_up();
  performance.mark("warmed-up");
  lockDown();
  send(toPage.ready(pyodide.version, pyodide.runPython("import sys; sys.version.split()[0]")));
  if (cold) {
    // Before any Run (messages wait in the port meanwhile): warm the code paths a lesson
    // takes (and the terminal's CLI), then hand over this memory, which every later worker starts from.
    runner.warm_up(true);
    const made = pyodide.makeMemorySnapshot();
    performance.mark("snapshot-made");
    send(toPage.snapshot(new Blob([made]), new Blob([zip])));
  } else if (snapshotUrl) {
    // The page keeps what this worker got for the next ones: as Blobs (the browser's copies, held
    // outside the page's memory), and the machine code Pyodide compiled.
    const unpacked = await memory.bytes;
    send(toPage.snapshot(new Blob([unpacked]), new Blob([zip]), compiled));
    release(unpacked);
  }
  return { pyodide, runner };
}

const SNAPSHOT = "snapshot";
const LIB = "/home/pyodide/lib"; // our Python's folder, first on sys.path

/**
 * The first worker's memory, downloaded: Pyodide waits for it before it sets up. Returns the options that
 * hand it to Pyodide, and the bytes.
 */
function fromTheHost(download) {
  const bytes = download.then((data) => unpack(new Uint8Array(data)));
  bytes.catch(() => {}); // Pyodide reports a failed download itself
  let buffer;
  bytes.then((data) => { buffer = data.buffer; }, () => {});
  return { config: { _loadSnapshot: bytes }, bytes, isSnapshot: (array) => array.buffer === buffer };
}

/**
 * A later worker's memory, from the page's Blob. Pyodide needs only its size to set up (compile its
 * JavaScript, instantiate the compiled module, make its file system), and its bytes only once that is done:
 * an array of that size, untouched (so it takes no memory yet), stands in, and is filled by the last step of
 * the set-up, `fsInit`, once the page says "start" if the worker is held. A failure to read the Blob is
 * the boot's failure.
 */
function fromThePage(snapshot, started, send) {
  const memory = new Uint8Array(snapshot.size);
  let filled;
  const fsInit = async () => {
    await started;
    filled = bytes(snapshot).then((data) => {
      memory.set(data);
      release(data);
      return memory;
    });
    await filled.catch((err) => send(toPage.fatal(`could not read Python's memory: ${(err && err.message) || err}`)));
  };
  return { config: { _loadSnapshot: memory, fsInit }, get bytes() { return filled; }, isSnapshot: (array) => array.buffer === memory.buffer };
}

/**
 * CPython calls C function pointers through a trampoline that Pyodide makes as it starts, where the
 * runtime can compile it (Chromium can, Node 20 cannot: it falls back to calling through
 * JavaScript), and records in Python's memory. A snapshot brings the record of where it was made:
 * the build's, made in Node, says "through JavaScript", and under stack switching a call through
 * JavaScript cannot park ("trying to suspend JS frames": submitted task runs would fail). So a
 * worker started from a snapshot records its own trampoline again, the one Pyodide made here.
 * Returns the function that does it once Pyodide is loaded.
 */
function watchTrampoline() {
  const Original = WebAssembly.Instance;
  let made = null;
  function Instance(module, imports) {
    const instance = new Original(module, imports);
    if (instance.exports.trampoline_call) made = { call: instance.exports.trampoline_call, table: imports?.env?.__indirect_function_table };
    return instance;
  }
  Instance.prototype = Original.prototype;
  WebAssembly.Instance = Instance;
  return (pyodide) => {
    WebAssembly.Instance = Original;
    if (!made?.table) return; // no trampoline here either: calls go through JavaScript, as where it was made
    let index = 0;
    for (let i = 1; i < made.table.length && !index; i++) if (made.table.get(i) === made.call) index = i;
    const m = pyodide._module;
    const at = m.__PyRuntime + m.HEAP32[m.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET >>> 2];
    m.HEAP32[at >>> 2] = index;
  };
}

/** Bytes from a Blob, an ArrayBuffer or a Uint8Array (or a promise of one). */
async function bytes(source) {
  const value = await source;
  if (value instanceof Blob) return new Uint8Array(await value.arrayBuffer());
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

/** A download as Pyodide takes it: the build ships the snapshot and our zip gzipped (a host may have unpacked them already). */
async function unpack(data) {
  if (data[0] !== 0x1f || data[1] !== 0x8b) return data;
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  const unpacked = new Uint8Array(await new Response(stream).arrayBuffer());
  release(data);
  return unpacked;
}

/** Free an array's memory now (a zero-length transfer detaches it), where the browser can. */
function release(array) {
  if (array.byteOffset === 0 && array.byteLength === array.buffer.byteLength) array.buffer.transfer?.(0);
}

/**
 * Pyodide compiles its WebAssembly itself. The page's first worker keeps the compiled module it made
 * (for the page to hand to later workers); a later worker instantiates the module it was given, and
 * so neither downloads nor compiles pyodide.asm.wasm again. Each returns a function that undoes it
 * (and gives the module kept, if any).
 */
function keepCompiled() {
  const original = WebAssembly.instantiateStreaming;
  let kept;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const made = await original.call(WebAssembly, source, imports);
    kept ??= made.module;
    return made;
  };
  return () => {
    WebAssembly.instantiateStreaming = original;
    return kept;
  };
}

function shareCompiled(module) {
  const { fetch: originalFetch } = self;
  const original = WebAssembly.instantiateStreaming;
  // Pyodide asks for pyodide.asm.wasm as it starts: it gets an empty answer, and the module instead.
  self.fetch = (input, init) => (String(input?.url ?? input).endsWith("/pyodide.asm.wasm")
    ? Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }))
    : originalFetch(input, init));
  WebAssembly.instantiateStreaming = async (source, imports) => ({ module, instance: await WebAssembly.instantiate(module, imports) });
  return () => {
    self.fetch = originalFetch;
    WebAssembly.instantiateStreaming = original;
    return module;
  };
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
  if (isMessage(msg, ["typed", "control"])) return aside(pyodide, msg, send);
  let outcome;
  try {
    if (!isMessage(msg, ["run", "judge", "command"])) throw new Error(`a malformed request: ${JSON.stringify(msg?.type)}`);
    if (msg.type === "judge") {
      outcome = runner.check_json(msg.check, msg.report, msg.starter);
    } else if (msg.type === "command") {
      // A line typed in the page's terminal (playground/terminal.py): the CLI on the page's store.
      const terminal = pyodide.pyimport("playground.terminal");
      const args = [msg.line, (json) => send(toPage.messages(json)), JSON.stringify(msg.options)];
      outcome = await (STACK_SWITCHING ? terminal.run_command_json.callPromising(...args) : terminal.run_command_json(...args));
    } else {
      // A test module's Run brings pytest's files (pytest.zip): they go beside ours, for this worker only.
      if (msg.archive) await unzipInto(pyodide.FS, await bytes(msg.archive), LIB);
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

/**
 * What the page says to a Run under way (one that serves, or waits for a person): it reaches Python while
 * the Run's own call is parked on a timer (playground/serving.py), and runs there, on the Run's session.
 */
async function aside(pyodide, msg, send) {
  let outcome;
  try {
    const serving = pyodide.pyimport("playground.serving");
    if (msg.type === "control") {
      outcome = serving.control_json(JSON.stringify(msg.request));
    } else {
      const args = [msg.line, (json) => send(toPage.said(msg.id, json)), JSON.stringify(msg.options)];
      outcome = await (STACK_SWITCHING ? serving.typed_json.callPromising(...args) : serving.typed_json(...args));
    }
  } catch (err) {
    const text = String((err && err.message) || err);
    outcome = JSON.stringify(errorOutcome("InternalError", text, { summary: `InternalError: ${text.trim().split("\n").pop()}` }));
  }
  send(toPage.answered(msg.id, outcome));
}
