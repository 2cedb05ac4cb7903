// The page's side of the Python worker: one worker serves every snippet on the
// page, boots as soon as the page loads, and reports honest progress.
//
// Stop has two strategies, picked by what the browser allows:
// - cross-origin isolated (COOP/COEP headers): write SIGINT into a shared
//   interrupt buffer, repeatedly until the run ends (the first one can land
//   before Python checks); if the code swallows KeyboardInterrupt for too long,
//   fall back to the next strategy;
// - otherwise: terminate the worker and promote a warm standby worker, booted in
//   advance (from the first Run on), so the next Run is ready at once.
// Output that arrives after a run has ended is dropped: each run has an id, and a
// finished or abandoned id no longer has a listener.

const INTERRUPT_EVERY_MS = 25;
// The standby boots once the learner runs code: after a first run, or as soon as a
// run lasts this long (it may be a loop that needs Stop). Not at page load, where it
// would slow the first boot, and costs a second Pyodide's memory for readers who never run.
const STANDBY_AFTER_MS = 200;
const INTERRUPT_GIVE_UP_MS = 1500;

export class PythonHost {
  constructor({ workerUrl, pyodideUrl, pythonUrl, integrity = {} }) {
    this.urls = { workerUrl, pyodideUrl, pythonUrl, integrity };
    this.isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
    this.listeners = new Set();
    this.steps = [];
    this.loadedMax = 0;
    this.nextId = 1;
    this.current = null; // the run in progress, page-wide
    this.standby = null;
    this.status = { state: "loading", step: "Starting Python…", loaded: 0, total: 0 };
    this.spawnedAt = Math.round(performance.now());
    this.active = this.spawn();
  }

  // -- workers ----------------------------------------------------------------------

  spawn() {
    this.spawned = (this.spawned || 0) + 1;
    const worker = new Worker(this.urls.workerUrl, { type: "module", name: "python" });
    const slot = { worker, ready: false, failed: false, pending: new Map(), interrupt: null, info: null };
    slot.readyPromise = new Promise((resolve, reject) => {
      slot.resolveReady = resolve;
      slot.rejectReady = reject;
    });
    slot.readyPromise.catch(() => {});
    worker.onmessage = (event) => this.onMessage(slot, event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.onFatal(slot, event.message || "the Python worker stopped unexpectedly");
    };
    if (this.isolated) slot.interrupt = new Uint8Array(new SharedArrayBuffer(1));
    worker.postMessage({ type: "init", ...this.urls, interruptBuffer: slot.interrupt, pageTimeOrigin: performance.timeOrigin });
    return slot;
  }

  ensureStandby() {
    if (!this.isolated && !this.standby && this.active.ready) this.standby = this.spawn();
  }

  /** Resolves when a Stop would be instant (tests and the benchmark wait on it). */
  whenStopIsInstant() {
    if (this.isolated) return this.active.readyPromise;
    this.ensureStandby();
    return this.standby ? this.standby.readyPromise : this.active.readyPromise.then(() => this.whenStopIsInstant());
  }

  onMessage(slot, msg) {
    switch (msg.type) {
      case "progress":
        if (slot === this.active && !slot.failed) this.notify({ state: "loading", step: msg.step, loaded: msg.loaded, total: msg.total });
        return;
      case "ready":
        slot.ready = true;
        slot.info = msg;
        slot.resolveReady(msg);
        if (slot === this.active) this.becameReady(msg);
        return;
      case "fatal":
        this.onFatal(slot, msg.message);
        return;
      case "messages": {
        const run = slot.pending.get(msg.id);
        if (run) run.onMessages(msg.messages);
        return;
      }
      case "done": {
        const run = slot.pending.get(msg.id);
        if (!run) return;
        slot.pending.delete(msg.id);
        run.finish(msg);
        return;
      }
      default:
    }
  }

  becameReady(msg) {
    if (!globalThis.__pythonReadyAt) {
      globalThis.__pythonReadyAt = performance.now();
      globalThis.__pythonBootPhases = { ...msg.phases, spawned: this.spawnedAt, ready: Math.round(performance.now()) };
    }
    this.notify({ state: "ready", step: `Python ${msg.version} is ready`, loaded: msg.bytes, total: msg.bytes });
  }

  onFatal(slot, message) {
    if (slot.failed) return;
    slot.failed = true;
    slot.rejectReady(new Error(message));
    for (const run of slot.pending.values()) {
      run.finish({ ok: false, error: { type: "WorkerError", message, line: null, traceback: message } });
    }
    slot.pending.clear();
    if (slot === this.active) this.notify({ state: "failed", step: `Python could not start: ${message}` });
    if (slot === this.standby) this.standby = null;
  }

  // -- status -----------------------------------------------------------------------

  subscribe(fn) {
    this.listeners.add(fn);
    fn(this.status);
  }

  notify(status) {
    this.status = status;
    // What the learner was told while loading (the tests read it): each step once, and the byte count.
    if (status.state !== "ready" && this.steps[this.steps.length - 1] !== status.step) this.steps.push(status.step);
    if (status.loaded > this.loadedMax) this.loadedMax = status.loaded;
    for (const fn of this.listeners) fn(status);
  }

  get ready() {
    return this.status.state === "ready";
  }

  // -- runs -------------------------------------------------------------------------

  /**
   * Start a run; `onMessages` receives the run's messages in order, in batches.
   * Returns {id, done}; `done` resolves with the worker's outcome, or with
   * {stopped: true} when Stop replaced the worker.
   */
  run(request, onMessages) {
    const slot = this.active;
    const id = this.nextId++;
    let finish;
    const done = new Promise((resolve) => {
      finish = resolve;
    });
    const handle = { id, slot, done, stopping: false, startedAt: performance.now() };
    const standbyTimer = this.isolated ? 0 : setTimeout(() => this.ensureStandby(), STANDBY_AFTER_MS);
    slot.pending.set(id, {
      onMessages,
      finish: (outcome) => {
        clearTimeout(standbyTimer);
        if (this.current === handle) this.setCurrent(null);
        finish(handle.stopping ? { ...outcome, stopped: true } : outcome);
        if (!this.isolated) setTimeout(() => this.ensureStandby(), 0);
      },
    });
    if (slot.interrupt) slot.interrupt[0] = 0;
    slot.worker.postMessage({ id, ...request });
    this.setCurrent(handle);
    return handle;
  }

  setCurrent(handle) {
    this.current = handle;
    this.notify({ ...this.status });
  }

  stop(handle) {
    if (!handle.slot.pending.has(handle.id) || handle.stopping) return;
    handle.stopping = true;
    handle.stopRequestedAt = performance.now();
    if (handle.slot.interrupt) this.interrupt(handle);
    else this.replaceWorker(handle);
  }

  interrupt(handle) {
    const { slot } = handle;
    const started = performance.now();
    const tick = () => {
      if (!slot.pending.has(handle.id)) return;
      if (performance.now() - started > INTERRUPT_GIVE_UP_MS) {
        // The code catches KeyboardInterrupt, or is stuck where signals are not checked.
        this.replaceWorker(handle);
        return;
      }
      slot.interrupt[0] = 2; // SIGINT
      setTimeout(tick, INTERRUPT_EVERY_MS);
    };
    tick();
  }

  replaceWorker(handle) {
    const old = handle.slot;
    old.worker.terminate();
    const runs = [...old.pending.values()];
    old.pending.clear();
    old.failed = true;
    if (old === this.active) {
      this.active = this.standby && !this.standby.failed ? this.standby : this.spawn();
      this.standby = null;
      if (this.active.ready) this.becameReady(this.active.info);
      else {
        this.notify({ state: "loading", step: "Restarting Python…", loaded: 0, total: 0 });
      }
      this.active.readyPromise.then(() => this.ensureStandby(), () => {});
    }
    for (const run of runs) run.finish({ ok: false, stopped: true, error: null });
  }
}
