// The page's runner: boots Python early in a Web Worker, wires every runnable
// snippet to it, and shows output as text, in order, as it is produced.
// Learner output never goes through innerHTML.

const body = document.body;
const config = {
  workerUrl: new URL(body.dataset.workerUrl, document.baseURI).href,
  pythonUrl: new URL(body.dataset.pythonUrl, document.baseURI).href,
  pyodideUrl: new URL(body.dataset.pyodide, document.baseURI).href,
};
const MAX_LINES = 2000;
const STORAGE_PREFIX = "prefect-in-practice:snippet:";

// -- the Python worker, with a warm standby when Stop must terminate ----------------

class PythonHost {
  constructor() {
    this.isolated = self.crossOriginIsolated === true && typeof SharedArrayBuffer !== "undefined";
    this.listeners = new Set();
    this.active = this.spawn();
    this.standby = null;
    this.nextId = 1;
  }

  spawn() {
    const worker = new Worker(config.workerUrl, { type: "module" });
    const slot = { worker, ready: false, interrupt: null, pending: new Map() };
    slot.readyPromise = new Promise((resolve, reject) => {
      worker.onmessage = (event) => this.onMessage(slot, event.data, resolve, reject);
      worker.onerror = (event) => reject(new Error(event.message || "the Python worker failed to start"));
    });
    slot.readyPromise.catch(() => {});
    if (this.isolated) slot.interrupt = new Uint8Array(new SharedArrayBuffer(1));
    worker.postMessage({ type: "init", pyodideUrl: config.pyodideUrl, pythonUrl: config.pythonUrl, interruptBuffer: slot.interrupt });
    return slot;
  }

  onMessage(slot, msg, resolve, reject) {
    if (msg.type === "progress") {
      if (slot === this.active) this.notify({ state: "loading", text: msg.step });
    } else if (msg.type === "ready") {
      slot.ready = true;
      resolve();
      if (slot === this.active) {
        this.notify({ state: "ready", text: `Python ready (${msg.version})` });
        this.ensureStandby();
      }
    } else if (msg.type === "fatal") {
      reject(new Error(msg.message));
      if (slot === this.active) this.notify({ state: "failed", text: `Python could not start: ${msg.message}` });
    } else if (msg.id && slot.pending.has(msg.id)) {
      const run = slot.pending.get(msg.id);
      if (msg.type === "message") run.onMessage(msg.message);
      else if (msg.type === "done") {
        slot.pending.delete(msg.id);
        run.resolve(msg);
      }
    }
  }

  ensureStandby() {
    // Without cross-origin isolation, Stop terminates the worker; a standby makes the next Run instant.
    if (!this.isolated && !this.standby) this.standby = this.spawn();
  }

  subscribe(fn) {
    this.listeners.add(fn);
  }

  notify(status) {
    this.status = status;
    for (const fn of this.listeners) fn(status);
  }

  run(request, onMessage) {
    const slot = this.active;
    const id = this.nextId++;
    const done = new Promise((resolve) => slot.pending.set(id, { onMessage, resolve }));
    if (slot.interrupt) slot.interrupt[0] = 0;
    slot.worker.postMessage({ id, ...request });
    return { id, slot, done };
  }

  stop(handle) {
    const slot = handle.slot;
    if (slot.interrupt) {
      // SIGINT; repeated, since an interrupt can land before the code starts checking.
      const tick = () => {
        if (!slot.pending.has(handle.id)) return;
        slot.interrupt[0] = 2;
        setTimeout(tick, 50);
      };
      tick();
      return;
    }
    slot.worker.terminate();
    const run = slot.pending.get(handle.id);
    slot.pending.clear();
    if (this.standby) {
      this.active = this.standby;
      this.standby = null;
    } else {
      this.active = this.spawn();
    }
    if (run) run.resolve({ ok: false, stopped: true, error: null });
    this.active.readyPromise.then(() => {
      this.notify({ state: "ready", text: "Python ready" });
      this.ensureStandby();
    });
    if (!this.active.ready) this.notify({ state: "loading", text: "Restarting Python…" });
  }
}

// -- one runnable snippet ----------------------------------------------------------

class Snippet {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.id = root.dataset.snippet;
    this.filename = root.dataset.file;
    this.original = root.querySelector("[data-source]").value;
    this.originalHash = root.dataset.originalHash;
    this.checkCode = root.querySelector("[data-check]")?.value ?? null;
    this.output = root.querySelector("[data-output]");
    this.outputLabel = root.querySelector("[data-output-label]");
    this.status = root.querySelector("[data-status]");
    this.runButton = root.querySelector("[data-run]");
    this.checkButton = root.querySelector("[data-check-button]");
    this.stopButton = root.querySelector("[data-stop]");
    this.resetButton = root.querySelector("[data-reset]");
    this.checkResult = root.querySelector("[data-check-result]");
    this.changedBadge = root.querySelector("[data-changed-badge]");
    this.handle = null;
    this.undoCode = null;
    this.mountEditor();
    root.querySelector("[data-controls]").hidden = false;
    this.runButton.addEventListener("click", () => this.start("run"));
    this.checkButton?.addEventListener("click", () => this.start("check"));
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    host.subscribe((status) => this.onHostStatus(status));
    if (host.status) this.onHostStatus(host.status);
  }

  mountEditor() {
    const mount = this.root.querySelector("[data-editor]");
    const editor = document.createElement("textarea");
    editor.className = "code-editor";
    editor.spellcheck = false;
    editor.setAttribute("autocapitalize", "off");
    editor.setAttribute("autocomplete", "off");
    editor.setAttribute("aria-label", `Code of ${this.filename}; Ctrl+Enter runs it`);
    const saved = this.load();
    editor.value = saved ? saved.code : this.original;
    if (saved && saved.originalHash !== this.originalHash) this.changedBadge.hidden = false;
    editor.rows = Math.min(40, editor.value.split("\n").length + 1);
    editor.addEventListener("input", () => this.save());
    editor.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        this.start("run");
      }
    });
    mount.replaceChildren(editor);
    this.editor = editor;
  }

  get code() {
    return this.editor.value;
  }

  set code(value) {
    this.editor.value = value;
    this.save();
  }

  storageKey() {
    return STORAGE_PREFIX + this.id;
  }

  load() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey()) || "null");
    } catch {
      return null;
    }
  }

  save() {
    try {
      if (this.code === this.original) localStorage.removeItem(this.storageKey());
      else localStorage.setItem(this.storageKey(), JSON.stringify({ code: this.code, originalHash: this.originalHash }));
    } catch {
      /* storage full or disabled: editing still works, it just is not kept */
    }
  }

  onHostStatus(status) {
    const busy = this.handle !== null;
    this.runButton.disabled = status.state !== "ready" || busy;
    if (this.checkButton) this.checkButton.disabled = status.state !== "ready" || busy;
    if (!busy) this.setStatus(status.state === "ready" ? "Ready" : status.text);
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  async start(kind) {
    if (this.handle || this.host.status?.state !== "ready") return;
    this.clearOutput();
    this.setBusy(true);
    this.setStatus("Running…");
    const started = performance.now();
    const request = kind === "check"
      ? { type: "check", code: this.code, check: this.checkCode, filename: this.filename }
      : { type: "run", code: this.code, filename: this.filename };
    this.handle = this.host.run(request, (message) => this.onMessage(message));
    const result = await this.handle.done;
    this.handle = null;
    this.setBusy(false);
    const ms = Math.round(performance.now() - started);
    if (result.stopped || result.error?.interrupted) this.setStatus(`Stopped after ${ms} ms`);
    else if (result.ok) this.setStatus(`Finished in ${ms} ms`);
    else if (result.error?.line) this.setStatus(`${result.error.type} on line ${result.error.line}`);
    else this.setStatus(result.error ? `${result.error.type}: ${result.error.message}` : "Finished");
    if (kind === "check") this.showCheck(result);
    this.root.dispatchEvent(new CustomEvent("run-finished", { detail: { ...result, ms } }));
  }

  stop() {
    if (this.handle) this.host.stop(this.handle);
  }

  setBusy(busy) {
    this.runButton.disabled = busy;
    if (this.checkButton) this.checkButton.disabled = busy;
    this.stopButton.disabled = !busy;
    this.root.classList.toggle("is-running", busy);
  }

  reset() {
    if (this.code === this.original) return;
    this.undoCode = this.code;
    this.code = this.original;
    this.changedBadge.hidden = true;
    this.setStatus("Reset to the lesson's code.");
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-undo";
    undo.textContent = "Undo reset";
    undo.addEventListener("click", () => {
      this.code = this.undoCode;
      undo.remove();
      this.setStatus("Your code is back.");
    });
    this.root.querySelector(".btn-undo")?.remove();
    this.resetButton.after(undo);
  }

  clearOutput() {
    this.output.replaceChildren();
    this.lines = 0;
    this.capped = false;
    this.outputLabel.textContent = "Output";
    if (this.checkResult) this.checkResult.hidden = true;
  }

  onMessage(message) {
    if (message.type === "event") return; // the state timeline reads these
    if (message.type === "notice") {
      this.append(`[${message.text}]\n`, "notice");
      return;
    }
    if (this.capped) return;
    this.lines += (message.text.match(/\n/g) || []).length;
    if (this.lines > MAX_LINES) {
      this.capped = true;
      this.append(`[Output stopped after ${MAX_LINES} lines.]\n`, "notice");
      return;
    }
    if (message.type === "log") {
      const frag = document.createDocumentFragment();
      for (const [text, style] of message.segments) {
        if (style) {
          const span = document.createElement("span");
          span.className = `log-${style}`;
          span.textContent = text;
          frag.append(span);
        } else {
          frag.append(document.createTextNode(text));
        }
      }
      this.output.append(frag);
    } else {
      this.append(message.text, message.type === "stderr" ? "stderr" : null);
    }
  }

  append(text, className) {
    if (className) {
      const span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      this.output.append(span);
    } else {
      this.output.append(document.createTextNode(text));
    }
  }

  showCheck(result) {
    if (!this.checkResult || result.passed === undefined) return;
    this.checkResult.hidden = false;
    this.checkResult.className = `check-result ${result.passed ? "is-pass" : "is-fail"}`;
    this.checkResult.textContent = `${result.passed ? "✓ Passed" : "✗ Not yet"}: ${result.message}`;
  }
}

// -- start ---------------------------------------------------------------------------

const roots = document.querySelectorAll("[data-snippet]");
if (roots.length) {
  const host = new PythonHost();
  const siteStatus = document.querySelector("[data-python-status]");
  host.subscribe((status) => {
    if (siteStatus) siteStatus.textContent = status.state === "ready" ? "" : status.text;
  });
  host.notify({ state: "loading", text: "Starting Python…" });
  window.lessonSnippets = [...roots].map((root) => new Snippet(root, host));
  window.lessonPython = host;
}

if (location.hostname === "127.0.0.1" && "EventSource" in window) {
  // Live reload under `build.py --serve`; a static host has no such stream, and this stays quiet.
  fetch("/__reload", { method: "HEAD" }).then((r) => {
    if (r.ok) new EventSource("/__reload").onmessage = () => location.reload();
  }).catch(() => {});
}
