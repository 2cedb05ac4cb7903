// The messages between the page and a Python worker, and the one shape of an error: every
// message type is named here and nowhere else. The worker (worker.js, download-meter.js),
// the page (worker-slot.js, host.js) and the Node test runner (tests/node/run_in_worker.mjs)
// all build and read messages with this module.
//
// page -> worker, once, on the worker's own channel:  init (it carries the private port)
// page -> worker, on that port:  start  (once, to a worker started held)
//                                run | judge | command  (one request per worker; command: a line typed
//                                in the page's terminal, web/terminal.js)
//                                typed | control  (while a Run serves or waits for a person: a line typed
//                                in the terminal, run in that Run; the speed, Stop, a paused run's form)
// worker -> page, on that port:  progress, snapshot, ready, fatal  (while it boots)
//                                messages, done  (while it serves the request)
//                                said, answered  (a typed line's or a control's messages and outcome, by id)
//
// What Python says (a Run's messages, an outcome) crosses as JSON text made by
// playground/runner.py and is parsed on the page's side: no live Python object crosses.

// Each message's fields and their kinds ("?" marks an optional field).
const FIELDS = {
  init: {
    port: "port", pyodideUrl: "string", integrity: "object", pythonUrl: "string?", python: "data?", snapshotUrl: "string?",
    snapshot: "data?", module: "module?", held: "boolean?", interruptBuffer: "bytes?",
  },
  start: {},
  run: { code: "string", filename: "string", options: "object", archive: "bytes?" },
  judge: { check: "string", report: "string", starter: "string" },
  command: { line: "string", options: "object" },
  typed: { id: "number", line: "string", options: "object" },
  control: { id: "number", request: "object" },
  progress: { step: "string", loaded: "number", total: "number" },
  snapshot: { snapshot: "blob", python: "blob", module: "module?" },
  ready: { version: "string", python: "string" },
  fatal: { message: "string" },
  messages: { json: "string" },
  done: { outcome: "string" },
  said: { id: "number", json: "string" },
  answered: { id: "number", outcome: "string" },
};

const KINDS = {
  string: (v) => typeof v === "string",
  number: (v) => Number.isFinite(v),
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  boolean: (v) => typeof v === "boolean",
  bytes: (v) => v instanceof Uint8Array,
  blob: (v) => v instanceof Blob,
  data: (v) => v instanceof Uint8Array || v instanceof Blob,
  port: (v) => typeof v?.postMessage === "function",
  module: (v) => v instanceof WebAssembly.Module,
};

function fits(value, kind) {
  if (kind.endsWith("?")) return value === undefined || KINDS[kind.slice(0, -1)](value);
  return KINDS[kind](value);
}

/** Is `data` one of these messages (`toWorker` or `toPage`, or a list of type names), with every field of its kind? */
export function isMessage(data, types) {
  const names = Array.isArray(types) ? types : Object.keys(types);
  if (!data || typeof data !== "object" || !names.includes(data.type)) return false;
  return Object.entries(FIELDS[data.type]).every(([name, kind]) => fits(data[name], kind));
}

// The sender builds each message here, so a malformed one fails where it is made.
function make(type, fields) {
  const made = { type };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) made[name] = value;
  if (!isMessage(made, [type])) throw new TypeError(`a malformed '${type}' message`);
  return made;
}

export const toWorker = {
  /**
   * Our python.zip comes as `python` (bytes or a Blob) or `pythonUrl`; the memory snapshot as `snapshotUrl`
   * (the build's) or `snapshot` (bytes or a Blob, gzipped or not), with the compiled Pyodide `module` when
   * the page has it; with neither, the worker boots cold and makes the snapshot.
   */
  init: ({ port, pyodideUrl, integrity = {}, pythonUrl, python, snapshotUrl, snapshot, module, held, interruptBuffer }) =>
    make("init", { port, pyodideUrl, integrity, pythonUrl, python, snapshotUrl, snapshot, module, held, interruptBuffer }),
  /** To a worker started `held`: go on booting (it waits, before its memory is restored, for this). */
  start: () => make("start", {}),
  /** `archive`: a zip the worker unpacks beside our Python before the Run (pytest.zip, for a test module's Run). */
  run: (code, filename, options, archive) => make("run", { code, filename, options, archive }),
  judge: (check, report, starter) => make("judge", { check, report, starter }),
  /** A line typed in the terminal, run on the page's store (options: columns, files, store): playground/terminal.py. */
  command: (line, options) => make("command", { line, options }),
  /** A line typed in the terminal while a Run serves or waits: run in that Run (playground/serving.py). */
  typed: (id, line, options) => make("typed", { id, line, options }),
  /** The page's controls on a Run under way: {speed}, {stop: true}, {resume: RUN_ID, values}. */
  control: (id, request) => make("control", { id, request }),
};

export const toPage = {
  progress: (step, loaded, total) => make("progress", { step, loaded, total }),
  snapshot: (snapshot, python, module) => make("snapshot", { snapshot, python, module }),
  ready: (version, python) => make("ready", { version, python }),
  fatal: (text) => make("fatal", { message: text }),
  messages: (json) => make("messages", { json }),
  done: (outcome) => make("done", { outcome }),
  said: (id, json) => make("said", { id, json }),
  answered: (id, outcome) => make("answered", { id, outcome }),
};

// -- the outcome of a request, and the one shape of an error ------------------------------

// playground/runner.py's `_describe` builds the same dict in Python for the learner's
// errors (tests/node/test_protocol.py holds the two key for key).
export const ERROR_KEYS = ["type", "message", "line", "traceback", "summary", "interrupted"];

/** A failed request as data, never thrown: `summary` is the one line the snippet's status shows. */
export function errorOutcome(type, message, { line = null, traceback = message, summary = message, interrupted = false } = {}) {
  return { ok: false, error: { type, message, line, traceback, summary, interrupted } };
}

/** A "done" message's outcome; text that is not an outcome is an error like any other. */
export function readOutcome(json) {
  const value = parse(json);
  return value && typeof value === "object" && !Array.isArray(value) ? value : errorOutcome("WorkerError", "a malformed message from Python");
}

/** A "messages" batch: the Run's messages in order, each an object. */
export function readBatch(json) {
  const value = parse(json);
  return Array.isArray(value) ? value.filter((m) => m && typeof m === "object") : [];
}

function parse(json) {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}
