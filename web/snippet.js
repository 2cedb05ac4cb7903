// One runnable snippet (or exercise): its editor, buttons, output and timeline.
// Edits are saved per snippet in localStorage; a badge says when the lesson's
// original code changed since the learner edited it; Reset can be undone.

import { OutputView } from "./output.js";
import { Timeline } from "./timeline.js";

const STORAGE_PREFIX = "prefect-in-practice:snippet:";
const MAC = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform || globalThis.navigator?.userAgent || "");
const MOD = MAC ? "⌘" : "Ctrl";

// The editor (CodeMirror) is a bundle of its own, loaded on first need: the page's
// own script stays small, so the Python worker starts sooner.
let editorModule = null;
function loadEditorModule() {
  editorModule ??= import(new URL(document.body.dataset.editorUrl, document.baseURI).href);
  return editorModule;
}

// Once Python is ready, the editors mount one per idle moment, in page order, so a
// click is never stuck behind all of them at once.
const idleQueue = [];
function mountWhenIdle(snippet) {
  idleQueue.push(snippet);
  if (idleQueue.length === 1) nextIdleMount();
}
function nextIdleMount() {
  const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 50));
  idle(() => {
    const snippet = idleQueue.shift();
    if (!snippet) return;
    snippet.ensureEditor().finally(() => {
      if (idleQueue.length) nextIdleMount();
    });
  }, { timeout: 2000 });
}

export class Snippet {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.id = root.dataset.snippet;
    this.filename = root.dataset.file;
    this.original = root.querySelector("[data-source]").value;
    this.originalHash = root.dataset.originalHash;
    this.checkCode = root.querySelector("[data-check]")?.value ?? null;
    const $ = (selector) => root.querySelector(selector);
    this.statusEl = $("[data-status]");
    this.runButton = $("[data-run]");
    this.checkButton = $("[data-check-button]");
    this.stopButton = $("[data-stop]");
    this.resetButton = $("[data-reset]");
    this.checkResult = $("[data-check-result]");
    this.changedBadge = $("[data-changed-badge]");
    this.progress = $("[data-load-progress]");
    this.progressText = $("[data-load-bytes]");
    this.output = new OutputView($("[data-output]"), $("[data-output-label]"));
    this.timeline = new Timeline($("[data-timeline]"), this.id);
    this.handle = null;
    this.undoButton = null;
    this.editor = null;

    this.prepareEditor();
    $("[data-controls]").hidden = false;
    this.runButton.addEventListener("click", () => this.start("run"));
    this.checkButton?.addEventListener("click", () => this.start("check"));
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    host.subscribe((status) => this.onHostStatus(status));
  }

  // -- editor and saving --------------------------------------------------------------

  /**
   * Saved edits show at once. Otherwise the build's highlighted code stays until the
   * learner reaches for it (pointer or keyboard) or Python is ready: loading and
   * mounting CodeMirror costs time that Python's boot can use better.
   */
  prepareEditor() {
    const keys = this.root.querySelector("[data-keys]");
    if (keys) {
      keys.textContent = `${MOD}+Enter runs. Tab indents; press Esc then Tab to leave the editor.`;
      keys.hidden = false;
    }
    this.keys = keys;
    this.mount = this.root.querySelector("[data-editor]");
    this.plainCode = null; // code set before the editor mounted
    const saved = this.load();
    if (saved && saved.originalHash !== this.originalHash) this.changedBadge.hidden = false;
    if (saved) {
      this.showPlain(saved.code);
      this.ensureEditor();
      return;
    }
    const mount = this.mount;
    mount.tabIndex = 0;
    mount.setAttribute("role", "group");
    mount.setAttribute("aria-label", `Code of ${this.filename}; focus it to edit`);
    const onPointer = (event) => {
      event.preventDefault();
      const at = { x: event.clientX, y: event.clientY };
      this.ensureEditor().then((editor) => {
        editor.view.focus();
        const pos = editor.view.posAtCoords(at);
        if (pos !== null) editor.view.dispatch({ selection: { anchor: pos } });
      });
    };
    const onFocus = () => this.ensureEditor().then((editor) => editor.focus());
    mount.addEventListener("pointerenter", loadEditorModule, { once: true });
    mount.addEventListener("pointerdown", onPointer, { once: true });
    mount.addEventListener("focus", onFocus, { once: true });
    this.disarm = () => {
      mount.removeEventListener("pointerenter", loadEditorModule);
      mount.removeEventListener("pointerdown", onPointer);
      mount.removeEventListener("focus", onFocus);
      mount.removeAttribute("tabindex");
      mount.removeAttribute("role");
      mount.removeAttribute("aria-label");
    };
  }

  /** The code as plain text in the fallback, until the editor takes over. */
  showPlain(code) {
    const pre = this.mount.querySelector("pre");
    if (pre && !this.editor) pre.textContent = code;
  }

  /** Resolves with the mounted editor, loading CodeMirror first if needed. */
  ensureEditor() {
    this.editorReady ??= loadEditorModule().then(({ createEditor }) => {
      this.disarm?.();
      this.editor = createEditor({
        parent: this.mount,
        doc: this.code,
        label: `Code of ${this.filename}`,
        describedBy: this.keys?.id,
        onRun: () => this.start("run"),
        onChange: () => this.onEdit(),
      });
      this.plainCode = null;
      return this.editor;
    });
    return this.editorReady;
  }

  get code() {
    if (this.editor) return this.editor.code;
    return this.plainCode ?? this.load()?.code ?? this.original;
  }

  set code(value) {
    if (this.editor) {
      this.editor.code = value; // onEdit saves it
      return;
    }
    this.plainCode = value;
    this.showPlain(value);
    this.onEdit();
    this.ensureEditor();
  }

  onEdit() {
    this.save();
    if (this.undoButton && this.code !== this.original) this.dropUndo();
  }

  storageKey() {
    return STORAGE_PREFIX + this.id;
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.storageKey()) || "null");
      return saved && typeof saved.code === "string" ? saved : null;
    } catch {
      return null;
    }
  }

  save() {
    try {
      if (this.code === this.original) {
        localStorage.removeItem(this.storageKey());
        this.changedBadge.hidden = true;
      } else {
        // Keep the hash the edits were based on, so a changed lesson is noticed later.
        this.store(this.load()?.originalHash ?? this.originalHash);
      }
    } catch {
      /* storage full or disabled: editing still works, it just is not kept */
    }
  }

  store(originalHash) {
    try {
      localStorage.setItem(this.storageKey(), JSON.stringify({ code: this.code, originalHash, savedAt: Date.now() }));
    } catch {
      /* see save() */
    }
  }

  reset() {
    if (this.code === this.original) {
      this.setStatus("This is already the lesson's code.", { sticky: true });
      return;
    }
    const mine = this.code;
    const before = this.load();
    this.dropUndo();
    this.code = this.original; // saving the original clears the stored edits and the badge
    this.editor?.clearError();
    this.setStatus("Reset to the lesson's code. Undo reset brings yours back.", { sticky: true });
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-undo";
    undo.textContent = "Undo reset";
    undo.setAttribute("aria-label", `Undo reset of ${this.filename}`);
    undo.addEventListener("click", () => {
      this.dropUndo();
      this.code = mine;
      if (before) {
        // The edits keep the lesson version they were based on, and so the badge.
        this.store(before.originalHash);
        this.changedBadge.hidden = before.originalHash === this.originalHash;
      }
      this.setStatus("Your code is back.", { sticky: true });
      this.ensureEditor().then((editor) => editor.focus());
    });
    this.resetButton.after(undo);
    this.undoButton = undo;
    undo.focus();
  }

  dropUndo() {
    const hadFocus = this.undoButton && document.activeElement === this.undoButton;
    this.undoButton?.remove();
    this.undoButton = null;
    if (hadFocus) this.resetButton.focus();
  }

  // -- status ---------------------------------------------------------------------------

  onHostStatus(status) {
    if (status.state === "ready" && !this.editorReady && !this.idleMount) {
      this.idleMount = true;
      mountWhenIdle(this);
    }
    const mine = this.handle !== null;
    const other = !mine && this.host.current !== null;
    const canRun = status.state === "ready" && !mine && !other;
    this.runButton.disabled = !canRun;
    if (this.checkButton) this.checkButton.disabled = !canRun;
    this.stopButton.disabled = !mine;
    const loading = status.state === "loading";
    this.progress.hidden = !loading;
    this.progressText.hidden = !loading;
    if (loading) {
      if (status.total > 0) {
        this.progress.max = status.total;
        this.progress.value = Math.min(status.loaded, status.total);
      } else {
        this.progress.removeAttribute("value");
      }
      this.progressText.textContent = status.total > 0 ? `${mb(status.loaded)} of ${mb(status.total)} MB` : "";
    }
    if (mine) return;
    if (status.state === "failed") this.setStatus(`${status.step} The recorded output stays below; reload the page to try again.`);
    else if (other) this.setStatus("Waiting: another snippet on this page is running.");
    else if (status.state === "ready") {
      if (!this.statusSticky) this.setStatus("Ready to run.");
    } else this.setStatus(status.step);
  }

  setStatus(text, { sticky = false } = {}) {
    this.statusSticky = sticky;
    if (this.statusEl.textContent !== text) this.statusEl.textContent = text;
  }

  // -- runs -----------------------------------------------------------------------------

  async start(kind) {
    if (this.handle || !this.host.ready || this.host.current) return;
    if (kind === "check" && !this.checkCode) return;
    this.output.clear(kind === "check" ? "Output (checking your code)" : "Output");
    this.timeline.reset();
    this.editor?.clearError();
    if (this.checkResult) this.checkResult.textContent = "";
    this.root.classList.add("is-running");
    const request = kind === "check"
      ? { type: "check", code: this.code, check: this.checkCode, filename: this.filename }
      : { type: "run", code: this.code, filename: this.filename };
    const started = performance.now();
    this.handle = this.host.run(request, (messages) => this.onMessages(messages));
    this.setStatus(kind === "check" ? "Checking…" : "Running…");
    this.onHostStatus(this.host.status);
    const result = await this.handle.done;
    this.output.flush(); // everything the run printed came before "done": show it now
    const handle = this.handle;
    this.handle = null;
    this.root.classList.remove("is-running");
    const ms = Math.round(performance.now() - started);
    this.timeline.finish();
    await this.report(kind, result, ms);
    this.onHostStatus(this.host.status);
    this.root.dispatchEvent(new CustomEvent("run-finished", {
      detail: { ...result, ms, kind, stopMs: handle.stopRequestedAt ? performance.now() - handle.stopRequestedAt : null },
    }));
  }

  onMessages(messages) {
    const shown = [];
    for (const message of messages) {
      if (message.type === "event") this.timeline.add(message.event);
      else shown.push(message);
    }
    if (shown.length) this.output.push(shown);
  }

  async report(kind, result, ms) {
    const error = result.error;
    if (result.stopped || error?.interrupted) {
      this.output.notice(`Stopped after ${seconds(ms)}.`);
      this.setStatus(`Stopped after ${seconds(ms)}.`, { sticky: true });
    } else if (error) {
      const where = error.line ? ` on line ${error.line}` : "";
      this.setStatus(`${error.type}${where}: ${truncate(error.message, 120)}`, { sticky: true });
    } else {
      this.setStatus(`Finished in ${seconds(ms)}.`, { sticky: true });
    }
    if (kind === "check") this.showCheck(result);
    if (error?.line && !error.interrupted && !result.stopped) (await this.ensureEditor()).markError(error.line);
  }

  stop() {
    if (this.handle) {
      this.setStatus("Stopping…", { sticky: true });
      this.host.stop(this.handle);
    }
  }

  showCheck(result) {
    if (!this.checkResult) return;
    if (result.stopped || result.passed === undefined) {
      this.checkResult.className = "check-result is-fail";
      this.checkResult.textContent = "The check did not finish.";
      return;
    }
    this.checkResult.className = `check-result ${result.passed ? "is-pass" : "is-fail"}`;
    this.checkResult.textContent = `${result.passed ? "✓ Passed" : "✗ Not yet"}: ${result.message}`;
  }
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function seconds(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function truncate(text, n) {
  const s = String(text ?? "");
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}
