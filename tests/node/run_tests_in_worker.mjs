// Run test modules with pytest through the page's own worker (web/worker.js, as it is) in Node.js.
// Usage: node run_tests_in_worker.mjs PYTHON_ZIP PYTEST_ZIP REQUESTS.json
//
// REQUESTS.json is a list of {"name", "code", "filename", "files", "mode", "report"}. As on the page,
// the first worker boots Pyodide and makes the memory snapshot; then each request is a Run in a fresh
// worker started from that snapshot, whose "run" message carries pytest.zip (web/protocol.js), as
// host.js sends it for a block with `:runner: pytest`.
//
// Prints one JSON object: {"<name>": {"output", "outcome", "ms"}, "_boot_ms": ...}. `output` is what
// the page would show; `ms` is the request's time from the message to its "done".
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { isMessage, readBatch, readOutcome, toPage, toWorker } from "../../web/protocol.js";

const here = new URL(".", import.meta.url);
const workerUrl = new URL("../../web/worker.js", here).href;
const pyodideUrl = resolve(new URL("../../node_modules/pyodide/", here).pathname) + "/";
const [zipPath, pytestZipPath, requestsPath] = process.argv.slice(2);

globalThis.self = globalThis;

async function startWorker(init, instance) {
  await import(`${workerUrl}?instance=${instance}`);
  const channel = new MessageChannel();
  let request = null;
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
  const run = (message) =>
    new Promise((done) => {
      request = { messages: [], done: (outcome) => done({ outcome, messages: request.messages }) };
      channel.port1.postMessage(message);
    });
  const close = () => channel.port1.close();
  return { ready: await ready, snapshot: snapshot && (await snapshot), run, close };
}

function shown(messages) {
  return messages.filter((m) => ["stdout", "stderr", "log"].includes(m.type)).map((m) => m.text).join("");
}

try {
  const python = new Uint8Array(readFileSync(zipPath));
  const pytest = new Uint8Array(readFileSync(pytestZipPath));
  const requests = JSON.parse(readFileSync(requestsPath, "utf-8"));
  const bootStarted = performance.now();
  const first = await startWorker({ pyodideUrl, python }, 0);
  const results = { _boot_ms: performance.now() - bootStarted, _python: first.ready.python };
  first.close();
  let instance = 1;
  for (const r of requests) {
    const worker = await startWorker({ pyodideUrl, python: first.snapshot.python, snapshot: first.snapshot.snapshot }, instance++);
    const options = { mode: r.mode ?? "deterministic", runner: "pytest", files: r.files ?? {}, report: r.report ?? false };
    const started = performance.now();
    const { outcome, messages } = await worker.run(toWorker.run(r.code, r.filename, options, pytest));
    results[r.name] = { output: shown(messages), outcome, ms: performance.now() - started };
    worker.close();
  }
  process.stdout.write(JSON.stringify(results), () => process.exit(0));
} catch (err) {
  process.stderr.write(String((err && err.message) || err) + "\n");
  process.exit(1);
}
