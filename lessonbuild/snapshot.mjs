// Make the page's Python memory snapshot: lessonbuild/snapshot.py runs this with Node.js.
// Usage: node <flags> snapshot.mjs WORKER_JS PYODIDE_DIR PYTHON_ZIP OUT
//
// It runs the page's own worker (web/worker.js, as it is; Node has no Web Workers, so the module
// runs in this process with `self` as its global scope, as tests/node/run_in_worker.mjs does) and
// plays the page's side of web/protocol.js: one init without a snapshot, so the worker boots
// Pyodide cold, imports playground and sim_prefect, runs playground/warm_up.py and sends the
// memory snapshot, which this writes to OUT. Every worker of the page starts from it.
//
// The snapshot is Python's memory (the WebAssembly heap) and the list of JavaScript objects
// Python holds (none but Pyodide's own: checked below), so it loads in a browser's worker as it
// loads here: the same pyodide.asm.wasm, whose build id Pyodide checks. What Python read from its
// surroundings while booting is made the same on every machine, so that the same inputs give
// the same bytes: the clock (a fixed date that ticks by a microsecond a reading), the entropy
// (a fixed sequence: the worker seeds `random` afresh when it starts from the snapshot), the
// time zone (UTC) and the program name (Emscripten's browser default).
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";

const [workerJs, pyodideDir, zipPath, out] = process.argv.slice(2);
const require = createRequire(import.meta.url);

// -- the same surroundings on every machine ----------------------------------------------------
process.env.TZ = "UTC";
process.argv[1] = "./this.program"; // Emscripten's name for the program in a browser (os.environ["_"])
const EPOCH = Date.UTC(2026, 0, 1);
let ticks = 0;
const tick = () => (ticks += 1) / 1000; // milliseconds: a microsecond a reading
Date.now = () => EPOCH + tick();
performance.now = () => tick();
let state = 0x9e3779b9;
require("node:crypto").randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return view;
};

if (!("Suspending" in WebAssembly || "Suspender" in WebAssembly)) {
  // Pyodide records in Python's memory whether stack switching is there; Chromium has it.
  process.stderr.write("this Node.js has no WebAssembly stack switching (JSPI) with these flags: use Node.js 20 to 22\n");
  process.exit(1);
}

// -- the page's side of the protocol ------------------------------------------------------------
const HEADER = 48; // bytes before the JSON in Pyodide's snapshot format (snapshot.ts)
globalThis.self = globalThis; // the worker's global scope
const workerUrl = pathToFileURL(resolve(workerJs));
const { isMessage, toPage, toWorker } = await import(new URL("protocol.js", workerUrl).href);
await import(workerUrl.href);
const channel = new MessageChannel();
const made = new Promise((resolve, reject) => {
  channel.port1.on("message", (msg) => {
    if (!isMessage(msg, toPage)) reject(new Error(`a malformed message from the worker: ${JSON.stringify(msg?.type)}`));
    else if (msg.type === "fatal") reject(new Error(msg.message));
    else if (msg.type === "snapshot") resolve(msg.snapshot);
  });
});
const python = new Uint8Array(readFileSync(zipPath));
self.onmessage({ data: toWorker.init({ port: channel.port2, pyodideUrl: resolve(pyodideDir) + "/", python }) });
try {
  const snapshot = new Uint8Array(await (await made).arrayBuffer()); // a Blob, as the page gets it
  // Pyodide's header: magic, header size, JSON size, 0, build id (8 words), then the JSON (the
  // JavaScript objects Python refers to), then the heap. Only Pyodide's own may be there.
  const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 4);
  const held = JSON.parse(new TextDecoder().decode(snapshot.subarray(HEADER, HEADER + words[2])));
  if (held.hiwireKeys.some((key) => key !== null) || held.immortalKeys.length) {
    throw new Error(`Python holds JavaScript objects that a browser's worker would not have: ${JSON.stringify(held)}`);
  }
  writeFileSync(out, snapshot);
  channel.port1.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(String((err && err.message) || err) + "\n");
  process.exit(1);
}
