// Run Python files through the page's own worker (web/worker.js, as it is) in Node.js.
// Usage: node run_in_worker.mjs PYTHON_ZIP FILE.py [FILE.py ...]
//
// Node has no Web Workers, so the worker module runs in this process with `self` as its
// global scope, and the page's side is played here with the page's own messages
// (web/protocol.js): the init message with a private MessagePort, then one "run" message
// per file, in deterministic mode. Every message the worker sends must be well-formed. The first boot is
// the page's first worker (Pyodide, our zip, the warm-up, the memory snapshot); at the
// end a second worker starts from that snapshot, as every later worker of the page
// does, and runs the first file again.
//
// Prints one JSON object: {"<file name>": {"output", "ok", "error"}, "_pyodide": version, "_python",
// "_restored": {"output", "ok"}}. The output is what the page would show: the text of
// the stdout, stderr and log messages, in order.
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { isMessage, readBatch, readOutcome, toPage, toWorker } from "../../web/protocol.js";

const here = new URL(".", import.meta.url);
const workerUrl = new URL("../../web/worker.js", here).href;
const pyodideUrl = resolve(new URL("../../node_modules/pyodide/", here).pathname) + "/"; // Pyodide wants a path in Node
const [zipPath, ...files] = process.argv.slice(2);

globalThis.self = globalThis; // the worker's global scope

/** Start web/worker.js (a fresh module instance each time) and talk to it like the page. */
async function startWorker(init, instance) {
  await import(`${workerUrl}?instance=${instance}`);
  const channel = new MessageChannel();
  let request = null; // the Run in progress: its messages so far, and how it ends
  const events = {};
  const on = (type) => new Promise((res) => (events[type] = res));
  const ready = on("ready");
  const snapshot = init.snapshot ? null : on("snapshot");
  channel.port1.on("message", (msg) => {
    if (!isMessage(msg, toPage)) throw new Error(`a malformed message from the worker: ${JSON.stringify(msg?.type)}`);
    if (msg.type === "fatal") throw new Error(msg.message);
    if (msg.type === "messages") request.messages.push(...readBatch(msg.json));
    else if (msg.type === "done") request.done(readOutcome(msg.outcome));
    else events[msg.type]?.(msg);
  });
  self.onmessage({ data: toWorker.init({ ...init, port: channel.port2 }) });
  const run = (code, filename) =>
    new Promise((done) => {
      request = { messages: [], done: (outcome) => done({ outcome, messages: request.messages }) };
      channel.port1.postMessage(toWorker.run(code, filename, { mode: "deterministic" }));
    });
  const close = () => channel.port1.close();
  return { ready: await ready, snapshot: snapshot && (await snapshot), run, close };
}

function shown(messages) {
  return messages.filter((m) => ["stdout", "stderr", "log"].includes(m.type)).map((m) => m.text).join("");
}

try {
  const python = new Uint8Array(readFileSync(zipPath));
  const first = await startWorker({ pyodideUrl, python }, 1);
  const results = { _pyodide: first.ready.version, _python: first.ready.python };
  for (const file of files) {
    const { outcome, messages } = await first.run(readFileSync(file, "utf-8"), basename(file));
    results[basename(file)] = { output: shown(messages), ok: outcome.ok, error: outcome.error };
  }
  first.close();
  if (files.length) {
    const second = await startWorker({ pyodideUrl, python: first.snapshot.python, snapshot: first.snapshot.snapshot }, 2);
    const { outcome, messages } = await second.run(readFileSync(files[0], "utf-8"), basename(files[0]));
    results._restored = { output: shown(messages), ok: outcome.ok };
    second.close();
  }
  process.stdout.write(JSON.stringify(results), () => process.exit(0)); // exit once a pipe has it all
} catch (err) {
  // An uncaught Python error would print Pyodide's whole minified loader; print the message only.
  process.stderr.write(String((err && err.message) || err) + "\n");
  process.exit(1);
}
