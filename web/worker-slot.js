// One Python worker as the page sees it, from its start to its end: started from a blob:
// URL with a private MessagePort, watched while it boots, ready once Python is up, then
// serving one request (a Run, or a check's judging) and retired. A worker never serves
// twice: every Run starts from the same fresh interpreter.
//
// What the page makes of a worker's news (the status line, the memory snapshot, which
// worker is the spare) is the owner's business (host.js): the slot tells it through
// onProgress, onSnapshot, onReady and onFailed. Every failure (a fatal message, a worker
// error, a stalled boot, a malformed message) ends the slot the same way, as data.

import { errorOutcome, isMessage, readBatch, readOutcome, toPage, toWorker } from "./protocol.js";

// A boot that reports nothing for this long has stalled (a host's own stricter CSP
// without 'wasm-unsafe-eval' makes Pyodide wait forever): say so instead of spinning.
const BOOT_STALL_MS = 30_000;
// On a cross-origin isolated page, retiring a busy worker also interrupts its Python, so its
// thread stops using the CPU at once; a worker busy in C code is terminated after this long.
const INTERRUPT_GRACE_MS = 150;

/**
 * A Listener hears the answer to the one request a slot serves: `onMessages(batch)` for each
 * batch of the Run's messages, in order, then `onDone(outcome)` once. A failed worker's
 * outcome is an error outcome (protocol.js), so a listener never sees an exception.
 * @typedef {{onMessages: (batch: object[]) => void, onDone: (outcome: object) => void}} Listener
 */

export class WorkerSlot {
  /**
   * Start a worker from the build's memory snapshot. `memory` is what the page kept of the first
   * worker's downloads, {snapshot, python, module}, or null for the page's first worker, which
   * downloads them (and compiles Pyodide) and sends them back. A `held` worker boots only as far
   * as Pyodide set up without its memory (worker.js), until `start()`.
   */
  constructor(urls, memory, owner, held = false) {
    this.owner = owner;
    this.first = !memory;
    this.held = held;
    this.ready = false;
    this.retired = false;
    this.busy = false; // its request was sent and its "done" has not come back yet
    this.listener = null; // the page listens to a worker only for the request it serves
    this.asides = new Map(); // id -> Listener: what the page said to its Run under way (a typed line, a control)
    this.readiness = deferred();
    this.readiness.promise.catch(() => {}); // a slot nobody waits for may fail unheard
    const channel = new MessageChannel();
    // A blob: worker inherits the page's CSP; the module it imports is our worker.js.
    const source = `import ${JSON.stringify(urls.workerUrl)};`;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    this.worker = new Worker(url, { type: "module", name: "python" });
    URL.revokeObjectURL(url);
    this.port = channel.port1;
    this.port.onmessage = ({ data }) => this.receive(data);
    if (!held) this.watchBoot();
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(event.message || "the Python worker stopped unexpectedly");
    };
    this.interrupt = globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    const init = { port: channel.port2, pyodideUrl: urls.pyodideUrl, integrity: urls.integrity, interruptBuffer: this.interrupt ?? undefined };
    const transfer = [channel.port2];
    if (memory) {
      // Blobs and compiled code are read-only: every worker gets the same ones, not copies.
      Object.assign(init, { snapshot: memory.snapshot, python: memory.python, module: memory.module, held: held || undefined });
    } else {
      init.snapshotUrl = urls.snapshotUrl;
      init.pythonUrl = urls.pythonUrl;
    }
    this.worker.postMessage(toWorker.init(init), transfer);
  }

  /** Let a held worker boot on. Idempotent. */
  start() {
    if (!this.held || this.retired) return;
    this.held = false;
    this.port.postMessage(toWorker.start());
    this.watchBoot();
  }

  /** Resolves once Python is up; rejects with the reason if this worker fails first. */
  get whenReady() {
    return this.readiness.promise;
  }

  /** Send the one request this worker serves; `listener` hears its answer. */
  send(request, listener) {
    this.listener = listener;
    this.busy = true;
    this.port.postMessage(request);
  }

  /**
   * Say something to the Run this worker serves while it goes on (it serves, or waits for a person):
   * `toWorker.typed` or `toWorker.control`, whose answer `listener` hears. A worker that ends first
   * answers with an error.
   */
  aside(message, listener) {
    if (this.retired || !this.busy) return listener.onDone(errorOutcome("WorkerError", "the Run has ended"));
    this.asides.set(message.id, listener);
    this.port.postMessage(message);
    return undefined;
  }

  /** End the worker and stop listening to it. Idempotent. */
  retire() {
    if (this.retired) return;
    clearTimeout(this.stall);
    this.retired = true;
    this.listener = null;
    const asides = [...this.asides.values()];
    this.asides.clear();
    for (const listener of asides) listener.onDone(errorOutcome("WorkerError", "the Run has ended"));
    if (this.busy && this.interrupt) {
      this.interrupt[0] = 2; // SIGINT: Python stops at its next bytecode, and says "done"
      setTimeout(() => this.worker.terminate(), INTERRUPT_GRACE_MS);
      return;
    }
    this.worker.terminate();
    this.port.close();
  }

  receive(data) {
    if (data?.type === "done") this.busy = false;
    if (this.retired) return this.worker.terminate(); // a stopped worker said its last word
    if (!this.ready && !this.held) this.watchBoot(); // any news from a booting worker shows it has not stalled
    if (!isMessage(data, toPage)) return this.fail("a malformed message from the Python worker");
    switch (data.type) {
      case "progress":
        return this.owner.onProgress(this, data);
      case "snapshot":
        return this.owner.onSnapshot(this, data);
      case "ready":
        if (this.ready) return undefined;
        this.ready = true;
        clearTimeout(this.stall);
        this.readiness.resolve();
        return this.owner.onReady(this, data);
      case "fatal":
        return this.fail(data.message);
      case "messages":
        return this.listener?.onMessages(readBatch(data.json));
      case "said":
        return this.asides.get(data.id)?.onMessages(readBatch(data.json));
      case "answered": {
        const listener = this.asides.get(data.id);
        this.asides.delete(data.id);
        return listener?.onDone(readOutcome(data.outcome));
      }
      default: {
        // "done": the request is answered, and this worker has served its one request.
        const listener = this.listener;
        this.retire();
        return listener?.onDone(readOutcome(data.outcome));
      }
    }
  }

  fail(message) {
    if (this.retired) return;
    const listener = this.listener;
    this.retire();
    this.readiness.reject(new Error(message));
    listener?.onDone(errorOutcome("WorkerError", message));
    this.owner.onFailed(this, message);
  }

  watchBoot() {
    clearTimeout(this.stall);
    this.stall = setTimeout(() => {
      if (!this.ready) this.fail(`Python stopped loading: nothing happened for ${BOOT_STALL_MS / 1000} s`);
    }, BOOT_STALL_MS);
  }
}

function deferred() {
  const handle = {};
  handle.promise = new Promise((resolve, reject) => Object.assign(handle, { resolve, reject }));
  return handle;
}
