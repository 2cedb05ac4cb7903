// The page's side of Python: a fresh interpreter for every Run, as `python script.py`
// is a fresh process at home.
//
// Every worker starts from the memory snapshot the build made (Python with sim_prefect and
// playground imported and warmed up: lessonbuild/snapshot.py), so none boots Python from
// scratch. The first one downloads it; the page keeps what it got (as Blobs, with Pyodide's
// compiled code), and every later worker starts from that in a fraction of a second. Two
// workers are kept ready (or getting ready) as spares: a Run takes one, a new one starts
// booting at once, and the used worker is terminated when the Run ends. So a Run right after
// another finds a spare ready, and Stop is instant on every host and in every case (a loop,
// a sleep, a long C call): it terminates the worker, and a spare serves the next Run. A Check
// runs the code in one fresh worker and judges the records in another, which never ran the
// learner's code.
//
// Each worker (a WorkerSlot, worker-slot.js) talks to the page over its own MessagePort,
// and the page listens to a worker only for the one request it serves while that is the
// current one: nothing a worker sends can reach another Run, or the controls of an idle
// page. Workers are started from a blob: URL, so they inherit the page's
// Content-Security-Policy (no request leaves the page's origin). What Prefect would store
// on disk, cached task results, outlives each Run here: the page keeps the records and
// hands them to the next Run. So does the session's server (the store: runs, logs,
// artifacts, deployments...), as Prefect's server outlives a process: each Run's outcome
// carries it, and the next Run starts from it. The run view draws from it.
//
// Two shapes, two names: a Call ({done, cancel}) is a request as the page holds it; a
// slot's Listener ({onMessages, onDone}) is who hears the worker's answer.

import { errorOutcome, toWorker } from "./protocol.js";
import { WorkerSlot } from "./worker-slot.js";

// Spare workers: the first is kept ready, the second held (Pyodide set up, its memory not yet read:
// worker.js). A Run takes the first and starts the second, which is ready a fraction of
// a second later, for a Run clicked right after or a Check's judging.
const SPARES = 2;
// While a Run goes on, a spare that is not the last one boots only once the Run has gone on this long
// (or is done): a quick Run does not share the machine's few cores with a boot.
const REPLENISH_DELAY_MS = 300;

// What a stopped request answers: no error, nothing to show.
const stoppedOutcome = () => ({ ok: false, stopped: true, error: null });
// The session clock's seconds per real second while a Run serves until Stop, or waits for a person
// (playground/serving.py's DEFAULT_SPEED); the page's speed control changes it.
const DEFAULT_SPEED = 60;
// Stop on a Run that serves is Ctrl-C: serving ends and the script goes on to its end. A Run that has
// not ended this long after is terminated, as any Run's Stop does.
const SERVE_STOP_GRACE_MS = 1000;

/**
 * A Call is one request to a fresh worker, as the page holds it: `done` resolves with the
 * outcome (never rejects), and `cancel()` ends it at once with {stopped: true}.
 * @typedef {{done: Promise<object>, cancel: () => void}} Call
 */

export class PythonHost {
  constructor({ workerUrl, pyodideUrl, pythonUrl, snapshotUrl, pytestUrl = null, integrity = {} }) {
    this.urls = { workerUrl, pyodideUrl, pythonUrl, snapshotUrl, integrity };
    this.pytestUrl = pytestUrl;
    this.pytest = null; // pytest.zip's bytes, fetched when a test module first runs (a promise)
    this.listeners = new Set();
    this.status = { state: "loading", step: "Starting Python…", loaded: 0, total: 0 };
    // What the first worker downloaded (the snapshot, unpacked, and our python.zip, which a
    // snapshot does not hold) and compiled (Pyodide's WebAssembly): every later worker starts from it.
    this.memory = null;
    this.results = new Map(); // cached task results: key -> record, as Prefect's storage
    this.store = null; // the session's server after the last Run: sim_prefect's Store.to_dict()
    this.artifacts = new Map(); // artifact id -> its view (playground/artifacts.py), for the run view
    this.current = null; // the handle of the Run or check in progress, page-wide
    this.speed = DEFAULT_SPEED;
    this.asides = 0; // ids of what the page said to a Run under way
    this.failures = 0; // spares in a row that could not start
    this.booting = null; // a worker a Run took before it was ready: the next spare waits (held) until it is
    this.spares = [this.spawn()]; // ready or booting, oldest first; the first worker is the first spare
  }

  // -- workers (each a WorkerSlot; this host is the owner that hears their news) ------

  spawn(held = false) {
    return new WorkerSlot(this.urls, this.memory, this, held);
  }

  /**
   * Keep SPARES workers (once the first worker's memory is here): the first one ready or on its
   * way, the others held. One boots at a time: two at once would slow each other, and the page,
   * on a machine's few cores.
   */
  replenish() {
    clearTimeout(this.replenishTimer);
    if (!this.memory) return;
    if (!this.booting) this.spares[0]?.start();
    if (this.spares.length >= SPARES || this.spares.some((slot) => !slot.ready && !slot.held)) return;
    this.spares.push(this.spawn(this.spares.length > 0 || Boolean(this.booting)));
  }

  /** Replenish now, or while a Run goes on and a spare is left, once the Run has gone on a moment. */
  replenishSoon() {
    if (!this.current || !this.spares.length) return this.replenish();
    clearTimeout(this.replenishTimer);
    this.replenishTimer = setTimeout(() => this.replenish(), REPLENISH_DELAY_MS);
    return undefined;
  }

  /** A worker that was taken but never used is still fresh: it is a spare again, the first. */
  keep(slot) {
    this.spares.unshift(slot);
    while (this.spares.length > SPARES) this.spares.pop().retire(); // the least ready goes
  }

  onProgress(slot, msg) {
    // Only the first boot reports progress, and only until Python is ready.
    if (!slot.ready && !this.memory && this.status.state === "loading") {
      this.notify({ state: "loading", step: msg.step, loaded: msg.loaded, total: msg.total });
    }
  }

  onSnapshot(slot, msg) {
    // Sent by the first worker right after "ready": what it downloaded, and Pyodide compiled.
    if (!slot.first || this.memory) return;
    this.memory = { snapshot: msg.snapshot, python: msg.python, module: msg.module };
    this.replenishSoon(); // the first worker is ready: the next one can start from its memory
  }

  onReady(slot, msg) {
    this.failures = 0;
    performance.mark(this.status.state === "ready" ? "python-spare-ready" : "python-ready");
    this.replenishSoon(); // the next spare can start booting
    if (this.status.state !== "ready") {
      this.notify({ state: "ready", step: `Python ${msg.python} (Pyodide ${msg.version}) is ready`, loaded: this.status.total, total: this.status.total });
    }
  }

  onFailed(slot, message) {
    if (!this.spares.includes(slot)) return; // a Run's worker: its Call has the error as its outcome
    this.spares = this.spares.filter((spare) => spare !== slot);
    this.failures += 1;
    if (!this.memory || this.failures >= 3) this.notify({ state: "failed", step: `Python could not start: ${message}` });
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

  // -- calls ------------------------------------------------------------------------

  /** A spare worker (a ready one if there is one), once ready. */
  async take() {
    const slot = this.spares.find((spare) => spare.ready) ?? this.spares[0];
    if (!slot) throw new Error(this.status.step);
    this.spares = this.spares.filter((spare) => spare !== slot);
    slot.start();
    if (slot.ready) {
      this.spares[0]?.start(); // the next Run's worker gets ready now
      this.replenishSoon();
    } else {
      // A worker taken before it was ready boots on alone: the next spare gets only as far as a held one
      // does, and starts once this one is ready, else the two would restore and warm up at once on the
      // machine's few cores and this Run would wait for both.
      this.booting = slot;
      const booted = () => {
        if (this.booting === slot) this.booting = null;
        this.replenish();
      };
      slot.whenReady.then(booted, booted);
      this.replenish();
    }
    await slot.whenReady;
    return slot;
  }

  /** One request to a fresh worker, answered by its "done": a Call. */
  call(request, onMessages = () => {}) {
    let slot = null;
    let cancelled = false;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const finish = (outcome) => {
      slot?.retire();
      slot = null;
      resolve(outcome);
    };
    this.take().then((taken) => {
      if (cancelled) return this.keep(taken);
      slot = taken;
      slot.send(request, { onMessages, onDone: finish });
      return undefined;
    }, (err) => finish(errorOutcome("WorkerError", String((err && err.message) || err))));
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      finish(stoppedOutcome());
    };
    const aside = (message, listener) => (slot ? slot.aside(message, listener) : listener.onDone(errorOutcome("WorkerError", "the Run has ended")));
    return { done, cancel, aside };
  }

  /**
   * Run code in a fresh worker. `onMessages` gets the Run's messages in order, in
   * batches. Returns a handle whose `done` resolves with the outcome ({ok, error}),
   * or {stopped: true} after `stop(handle)`.
   */
  run({ code, filename, runner = "python", files = {} }, onMessages) {
    const handle = this.begin();
    const options = {
      mode: "fast", results: Object.fromEntries(this.results), store: this.store ?? undefined, speed: this.speed, ...tests(runner, files),
    };
    handle.call = this.request(toWorker.run(code, filename, options), (messages) => {
      let changed = false;
      for (const m of messages) {
        if (m.type === "result" && typeof m.key === "string") this.results.set(m.key, m.record);
        else if (m.type === "artifact") keepArtifact(this.artifacts, m);
        else if (m.type === "store" && isStore(m.store)) {
          this.store = m.store; // a served run ended: the runs list shows it now
          changed = true;
        } else if (m.type === "serving") {
          handle.serving = m.active ? m : null;
          changed = true;
        }
      }
      onMessages(messages.filter((m) => m.type !== "store"));
      if (changed) this.notify({ ...this.status });
    });
    handle.done = handle.call.done.then((outcome) => {
      if (isStore(outcome.store)) this.store = outcome.store;
      return outcome;
    }).finally(() => this.release(handle));
    return handle;
  }

  /**
   * A line typed in the page's terminal (web/terminal.js), in a fresh worker as a Run is: it starts
   * from the page's store and hands back the store afterwards (a variable set, a run cancelled, a
   * deployment's run asked for), which the page keeps, so the run view, the runs list and the CLI
   * read one server. `onMessages` gets the line's output, as a Run's. Stop ends it as it ends a Run.
   */
  command(line, { columns, files = [] }, onMessages) {
    if (this.serving) return this.typed(line, { columns, files }, onMessages);
    const handle = this.begin("command");
    const options = { mode: "fast", columns, files, store: this.store ?? undefined };
    handle.call = this.call(toWorker.command(line, options), onMessages);
    handle.done = handle.call.done.then((outcome) => {
      if (isStore(outcome.store)) this.store = outcome.store;
      return outcome;
    }).finally(() => this.release(handle));
    return handle;
  }

  /** The Run under way that serves and can hear the page (its "serving" message), or null. */
  get serving() {
    const serving = this.current?.serving;
    return serving?.reachable ? serving : null;
  }

  /**
   * A line typed in the terminal while a Run serves: it runs in that Run, on its session, as a terminal
   * at home talks to the server the serving process polls (playground/serving.py). Ctrl-C stops
   * listening to it.
   */
  typed(line, options, onMessages) {
    const run = this.current;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    run.call.aside(toWorker.typed(++this.asides, line, options), { onMessages, onDone: resolve });
    const handle = { kind: "typed", stopped: false, call: { cancel: () => resolve(stoppedOutcome()) } };
    handle.done = done.then((outcome) => {
      if (isStore(outcome.store)) {
        this.store = outcome.store;
        this.notify({ ...this.status });
      }
      return outcome;
    });
    return handle;
  }

  /** Tell the Run under way `request` ({speed}, {stop: true}, {resume, values}): its answer. */
  control(handle, request) {
    return new Promise((resolve) => {
      if (!handle?.call?.aside) return resolve(errorOutcome("WorkerError", "the Run has ended"));
      return handle.call.aside(toWorker.control(++this.asides, request), { onMessages: () => {}, onDone: resolve });
    });
  }

  /** The speed of the next Runs' serving and pauses (the one under way is told by `control`). */
  setSpeed(speed) {
    this.speed = speed;
  }

  /**
   * Run the code on an empty cache and a server of its own (as a first `python main.py`
   * at home would), then judge its records with the exercise's check in another fresh
   * worker, one that never ran the learner's code. The source judged is the one the page
   * sent. The page's store is left as it was: the outcome carries the check's own, and
   * its artifacts' views (`artifacts`), for its run view.
   */
  check({ code, filename, check, starter, runner = "python", files = {}, fixed = null }, onMessages) {
    const handle = this.begin();
    const artifacts = new Map();
    handle.done = (async () => {
      const options = { mode: "fast", report: true, results: {}, ...tests(runner, files) };
      handle.call = this.request(toWorker.run(code, filename, options), (messages) => {
        for (const m of messages) if (m.type === "artifact") keepArtifact(artifacts, m);
        onMessages(messages);
      });
      const outcome = { ...(await handle.call.done), artifacts };
      if (outcome.stopped || !outcome.report) return outcome;
      const report = { ...outcome.report, source: code };
      if (fixed) {
        // The same tests on the fixed code under test, in a fresh worker of their own: nothing the
        // first Run kept (a counter, a flag) can tell the two apart. Their output is not shown.
        handle.call = this.request(toWorker.run(code, filename, { ...options, files: { ...files, ...fixed } }));
        const other = await handle.call.done;
        if (other.stopped) return { ...outcome, stopped: true };
        report.variants = { fixed: other.report ?? { tests: [], exit_code: null } };
      }
      handle.call = this.call(toWorker.judge(check, JSON.stringify(report), starter));
      const verdict = await handle.call.done;
      if (verdict.stopped) return { ...outcome, stopped: true };
      return { ...outcome, passed: verdict.passed === true, message: String(verdict.message ?? "") };
    })().finally(() => this.release(handle));
    return handle;
  }

  /**
   * `call`, but a test module's Run first fetches pytest.zip (once for the page) and hands it to
   * the worker: pytest costs nothing until a test module runs. A failed fetch is the Run's error.
   */
  request(message, onMessages) {
    if (message.options.runner !== "pytest") return this.call(message, onMessages);
    let inner = null;
    let cancelled = false;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    this.pytestArchive().then((archive) => {
      if (cancelled) return;
      inner = this.call(toWorker.run(message.code, message.filename, message.options, archive), onMessages);
      inner.done.then(resolve);
    }, (err) => resolve(errorOutcome("WorkerError", `pytest could not be loaded: ${(err && err.message) || err}`)));
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      if (inner) inner.cancel();
      else resolve(stoppedOutcome());
    };
    const aside = (msg, listener) => (inner ? inner.aside(msg, listener) : listener.onDone(errorOutcome("WorkerError", "the Run has ended")));
    return { done, cancel, aside };
  }

  pytestArchive() {
    this.pytest ??= fetch(this.pytestUrl).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${this.pytestUrl}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    this.pytest.catch(() => { this.pytest = null; }); // try again on the next Run
    return this.pytest;
  }

  begin(kind = "run") {
    const handle = { call: null, stopped: false, kind };
    this.setCurrent(handle);
    return handle;
  }

  release(handle) {
    if (this.current === handle) this.setCurrent(null);
    this.replenish(); // the spares the request took are replaced once it is done
  }

  /**
   * Stop at once: the worker is terminated, and the spare serves the next Run. A Run that serves is
   * stopped as Ctrl-C stops `python serve.py`: serving ends, the script goes on to its end, and what
   * its server knows is kept; one that has not ended a moment later is terminated.
   */
  stop(handle) {
    if (handle.serving?.reachable && !handle.stopping) {
      handle.stopping = true;
      this.control(handle, { stop: true });
      setTimeout(() => this.stop(handle), SERVE_STOP_GRACE_MS);
      return;
    }
    handle.stopped = true;
    handle.call?.cancel();
  }

  setCurrent(handle) {
    this.current = handle;
    this.notify({ ...this.status });
  }

  /** Clear: the cached results and the session's server (its runs, logs, artifacts...) are gone. */
  clearResults() {
    this.results.clear();
    this.store = null;
    this.artifacts.clear();
    this.notify({ ...this.status });
  }
}

/** A test module's Run options: pytest, and the modules it imports from the lesson. */
function tests(runner, files) {
  return runner === "pytest" ? { runner, files } : {};
}

function isStore(value) {
  return value !== null && typeof value === "object" && Array.isArray(value.runs);
}

/** An artifact's view as the Run sent it; a progress update moves the kept view's value. */
function keepArtifact(views, m) {
  if (typeof m.id !== "string") return;
  if (!m.update) views.set(m.id, m);
  else if (views.has(m.id)) views.get(m.id).value = m.value;
}
