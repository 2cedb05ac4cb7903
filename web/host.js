// The page's side of Python: a fresh interpreter for every Run, as `python script.py`
// is a fresh process at home.
//
// The first worker boots Pyodide, warms it up and hands the page a memory snapshot.
// Every later worker starts from that snapshot in about 0.3 s. One worker is always
// ready (or getting ready) as the spare: a Run takes it, a new spare starts booting at
// once, and the used worker is terminated when the Run ends. So Stop is instant on every
// host and in every case (a loop, a sleep, a long C call): it terminates the worker,
// and the spare is there for the next Run. A Check runs the code in one fresh worker
// and judges the records in another, which never ran the learner's code.
//
// Each worker talks to the page over its own MessagePort, and the page listens to a
// worker only while that worker's job is the current one: nothing a worker sends can
// reach another Run, or the controls of an idle page. Workers are started from a
// blob: URL, so they inherit the page's Content-Security-Policy (no request leaves
// the page's origin). What Prefect would store on disk, cached task results, outlives
// each Run here: the page keeps the records and hands them to the next Run.

// A boot that reports nothing for this long has stalled (a host's own stricter CSP
// without 'wasm-unsafe-eval' makes Pyodide wait forever): say so instead of spinning.
const BOOT_STALL_MS = 30_000;
// On a cross-origin isolated page, Stop also interrupts the stopped worker's Python, so its
// thread stops using the CPU at once; a worker busy in C code is terminated after this long.
const INTERRUPT_GRACE_MS = 150;

export class PythonHost {
  constructor({ workerUrl, pyodideUrl, pythonUrl, integrity = {} }) {
    this.urls = { workerUrl, pyodideUrl, pythonUrl, integrity };
    this.listeners = new Set();
    this.status = { state: "loading", step: "Starting Python…", loaded: 0, total: 0 };
    this.snapshot = null; // the first worker's memory, once warmed up
    this.python = null; // our python.zip, which a snapshot does not hold
    this.results = new Map(); // cached task results: key -> record, as Prefect's storage
    this.current = null; // the job in progress, page-wide
    this.failures = 0; // spares in a row that could not start
    this.spare = this.spawn();
  }

  // -- workers ----------------------------------------------------------------------

  spawn() {
    const channel = new MessageChannel();
    // A blob: worker inherits the page's CSP; the module it imports is our worker.js.
    const source = `import ${JSON.stringify(this.urls.workerUrl)};`;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const worker = new Worker(url, { type: "module", name: "python" });
    URL.revokeObjectURL(url);
    const slot = { worker, port: channel.port1, cold: !this.snapshot, ready: false, dead: false, busy: false, job: null };
    slot.readyPromise = new Promise((resolve, reject) => {
      slot.resolveReady = resolve;
      slot.rejectReady = reject;
    });
    slot.readyPromise.catch(() => {});
    slot.port.onmessage = (event) => {
      if (!slot.ready) this.watchBoot(slot);
      if (event.data?.type === "done") slot.busy = false;
      if (slot.dead) slot.worker.terminate(); // a stopped worker said its last word
      else this.onMessage(slot, event.data);
    };
    this.watchBoot(slot);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.onFatal(slot, event.message || "the Python worker stopped unexpectedly");
    };
    const init = { port: channel.port2, pyodideUrl: this.urls.pyodideUrl, integrity: this.urls.integrity };
    if (globalThis.crossOriginIsolated) init.interruptBuffer = slot.interrupt = new Uint8Array(new SharedArrayBuffer(1));
    const transfer = [channel.port2];
    if (this.snapshot) {
      init.snapshot = this.snapshot.slice();
      init.python = this.python.slice();
      transfer.push(init.snapshot.buffer, init.python.buffer);
    } else {
      init.pythonUrl = this.urls.pythonUrl;
    }
    worker.postMessage(init, transfer);
    return slot;
  }

  watchBoot(slot) {
    clearTimeout(slot.stall);
    slot.stall = setTimeout(() => {
      if (!slot.ready) this.onFatal(slot, `Python stopped loading: nothing happened for ${BOOT_STALL_MS / 1000} s`);
    }, BOOT_STALL_MS);
  }

  /** Keep one spare worker ready or on its way (once the snapshot exists). */
  replenish() {
    if (!this.spare && this.snapshot) this.spare = this.spawn();
  }

  /** A worker that was taken but never used is still fresh: keep the readier of it and the spare. */
  keep(slot) {
    if (this.spare?.ready) return this.retire(slot);
    if (this.spare) this.retire(this.spare);
    this.spare = slot;
  }

  retire(slot) {
    clearTimeout(slot.stall);
    slot.dead = true;
    slot.job = null;
    if (slot.busy && slot.interrupt) {
      slot.interrupt[0] = 2; // SIGINT: Python stops at its next bytecode, and says "done"
      setTimeout(() => slot.worker.terminate(), INTERRUPT_GRACE_MS);
      return;
    }
    slot.worker.terminate();
    slot.port.close();
  }

  onMessage(slot, msg) {
    if (slot.dead || !msg || typeof msg !== "object") return;
    switch (msg.type) {
      case "progress":
        // Only the first boot reports progress, and only until Python is ready.
        if (!slot.ready && !this.snapshot && this.status.state === "loading") {
          this.notify({ state: "loading", step: String(msg.step), loaded: Number(msg.loaded) || 0, total: Number(msg.total) || 0 });
        }
        return;
      case "snapshot":
        // Sent by the first worker right after "ready", before it runs anything else.
        if (slot.cold && !this.snapshot && msg.snapshot instanceof Uint8Array && msg.python instanceof Uint8Array) {
          this.snapshot = msg.snapshot;
          this.python = msg.python;
          if (this.current) this.replenish(); // a Run took the first worker already: start the next one
        }
        return;
      case "ready":
        if (slot.ready) return;
        slot.ready = true;
        clearTimeout(slot.stall);
        this.failures = 0;
        slot.resolveReady();
        performance.mark(this.status.state === "ready" ? "python-spare-ready" : "python-ready");
        if (this.status.state !== "ready") {
          this.notify({ state: "ready", step: `Python ${msg.python} (Pyodide ${msg.version}) is ready`, loaded: this.status.total, total: this.status.total });
        }
        return;
      case "fatal":
        this.onFatal(slot, String(msg.message));
        return;
      case "messages":
        if (slot.job) slot.job.onMessages(msg.json);
        return;
      case "done":
        if (slot.job) slot.job.finish(msg.outcome);
        return;
      default:
    }
  }

  onFatal(slot, message) {
    if (slot.dead) return;
    const job = slot.job;
    this.retire(slot);
    slot.rejectReady(new Error(message));
    job?.finish(JSON.stringify(failure(message)));
    if (slot !== this.spare) return;
    this.spare = null;
    this.failures += 1;
    if (!this.snapshot || this.failures >= 3) this.notify({ state: "failed", step: `Python could not start: ${message}` });
    else this.replenish();
  }

  // -- status -----------------------------------------------------------------------

  subscribe(fn) {
    this.listeners.add(fn);
    fn(this.status);
  }

  notify(status) {
    this.status = status;
    for (const fn of this.listeners) fn(status);
  }

  get ready() {
    return this.status.state === "ready";
  }

  // -- jobs -------------------------------------------------------------------------

  /** The spare worker, once ready; the next spare starts booting at once. */
  async take() {
    this.replenish();
    const slot = this.spare;
    if (!slot) throw new Error(this.status.step);
    this.spare = null;
    this.replenish();
    await slot.readyPromise;
    return slot;
  }

  /** One message to a fresh worker, answered by its "done": {done, cancel()}. */
  job(message, onMessages = () => {}) {
    const job = { cancelled: false, slot: null };
    job.done = new Promise((resolve) => {
      job.resolve = resolve;
    });
    const finish = (outcome) => {
      if (job.slot) this.retire(job.slot);
      job.slot = null;
      job.resolve(outcome);
    };
    this.take().then((slot) => {
      if (job.cancelled) return this.keep(slot);
      job.slot = slot;
      slot.job = { onMessages, finish: (json) => finish(parse(json)) };
      slot.busy = true;
      slot.port.postMessage(message);
    }, (err) => finish(failure(String((err && err.message) || err))));
    job.cancel = () => {
      if (job.cancelled) return;
      job.cancelled = true;
      finish({ ok: false, stopped: true, error: null });
    };
    return job;
  }

  /**
   * Run code in a fresh worker. `onMessages` gets the Run's messages in order, in
   * batches. Returns a handle whose `done` resolves with the outcome ({ok, error}),
   * or {stopped: true} after `stop(handle)`.
   */
  run({ code, filename }, onMessages) {
    const handle = this.begin();
    const options = { mode: "fast", results: Object.fromEntries(this.results) };
    handle.job = this.job({ type: "run", code, filename, options }, (json) => {
      const messages = parseList(json);
      for (const m of messages) if (m.type === "result" && typeof m.key === "string") this.results.set(m.key, m.record);
      onMessages(messages);
    });
    handle.done = handle.job.done.finally(() => this.release(handle));
    return handle;
  }

  /**
   * Run the code on an empty cache (as a first `python main.py` at home would), then
   * judge its records with the exercise's check in another fresh worker, one that
   * never ran the learner's code. The source judged is the one the page sent.
   */
  check({ code, filename, check, starter }, onMessages) {
    const handle = this.begin();
    handle.done = (async () => {
      handle.job = this.job({ type: "run", code, filename, options: { mode: "fast", report: true, results: {} } }, (json) => onMessages(parseList(json)));
      const outcome = await handle.job.done;
      if (outcome.stopped || !outcome.report) return outcome;
      handle.job = this.job({ type: "judge", check, starter, report: JSON.stringify({ ...outcome.report, source: code }) });
      const verdict = await handle.job.done;
      if (verdict.stopped) return { ...outcome, stopped: true };
      return { ...outcome, passed: verdict.passed === true, message: String(verdict.message ?? "") };
    })().finally(() => this.release(handle));
    return handle;
  }

  begin() {
    const handle = { job: null, stopped: false };
    this.setCurrent(handle);
    return handle;
  }

  release(handle) {
    if (this.current === handle) this.setCurrent(null);
  }

  /** Stop at once: the worker is terminated, and the spare serves the next Run. */
  stop(handle) {
    handle.stopped = true;
    handle.job?.cancel();
  }

  setCurrent(handle) {
    this.current = handle;
    this.notify({ ...this.status });
  }

  clearResults() {
    this.results.clear();
    this.notify({ ...this.status });
  }
}

function parse(json) {
  try {
    const value = JSON.parse(json);
    if (value && typeof value === "object") return value;
  } catch {
    /* below */
  }
  return failure("a malformed message from Python");
}

function parseList(json) {
  const value = parse(json);
  return Array.isArray(value) ? value.filter((m) => m && typeof m === "object") : [];
}

function failure(message) {
  return { ok: false, error: { type: "WorkerError", message, line: null, traceback: message, summary: message } };
}
