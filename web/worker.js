// The Python worker: a thin pipe between the page and playground/runner.py.
// Pyodide boots here, off the main thread, so a busy loop never freezes the page.
// Messages (page -> worker): {type: "init", pyodideUrl, pythonUrl, interruptBuffer?},
//   {id, type: "run", code, filename}, {id, type: "check", code, check, filename}.
// Messages (worker -> page): {type: "progress", step}, {type: "ready", version},
//   {type: "fatal", message}, {id, type: "message", message}, {id, type: "done", ...}.

let runner = null;
const queue = [];

// Set at once: messages posted before Pyodide is ready wait in the queue.
self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    boot(msg).catch((err) => self.postMessage({ type: "fatal", message: String(err && err.message || err) }));
  } else if (runner) {
    handle(msg);
  } else {
    queue.push(msg);
  }
};

async function boot({ pyodideUrl, pythonUrl, interruptBuffer }) {
  self.postMessage({ type: "progress", step: "Downloading Python (about 5 MB compressed)…" });
  const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: pyodideUrl });
  self.postMessage({ type: "progress", step: "Loading sim_prefect…" });
  const response = await fetch(pythonUrl);
  if (!response.ok) throw new Error(`could not load ${pythonUrl}: HTTP ${response.status}`);
  pyodide.unpackArchive(new Uint8Array(await response.arrayBuffer()), "zip", { extractDir: "/home/pyodide/lib" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
  runner = pyodide.pyimport("playground.runner");
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
  self.postMessage({ type: "ready", version: pyodide.version });
  for (const msg of queue.splice(0)) handle(msg);
}

function handle(msg) {
  const emit = (json) => self.postMessage({ id: msg.id, type: "message", message: JSON.parse(json) });
  let outcome;
  try {
    outcome = msg.type === "check"
      ? runner.check_json(msg.code, msg.check, msg.filename, emit)
      : runner.run_json(msg.code, msg.filename, emit);
    self.postMessage({ id: msg.id, type: "done", ...JSON.parse(outcome) });
  } catch (err) {
    // Only a fault in our own Python would land here; the learner's errors are data.
    self.postMessage({ id: msg.id, type: "done", ok: false, error: { type: "InternalError", message: String(err && err.message || err) } });
  }
}
