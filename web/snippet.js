// One runnable snippet (or exercise): its editor, buttons, output, artifacts and
// timeline. Edits are saved per snippet in localStorage as they are typed: an
// "Edited" badge marks code that differs from the lesson's, another badge says
// when the lesson's own code changed since the learner edited it, and Reset can
// be undone. Edits made in another tab of the same page arrive through the
// `storage` event and show here too, with an Undo that brings this tab's code
// back: the latest edit wins, and nothing is replaced without a way back.

import { ArtifactsView } from "./artifacts.js";
import { markPassed } from "./exercise-progress.js";
import { OutputView } from "./output.js";
import { loadRunView } from "./run-view-loader.js";
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
    // A test module (data-runner="pytest") runs with pytest, beside the lesson's modules it imports;
    // an exercise's check also runs it on the fixed ones.
    this.runner = root.dataset.runner ?? "python";
    this.files = textareas(root, "beside");
    this.fixed = root.querySelector("[data-fixed]") ? textareas(root, "fixed") : null;
    const $ = (selector) => root.querySelector(selector);
    this.statusEl = $("[data-status]");
    this.runButton = $("[data-run]");
    this.checkButton = $("[data-check-button]");
    this.stopButton = $("[data-stop]");
    this.resetButton = $("[data-reset]");
    this.checkResult = $("[data-check-result]");
    this.changedBadge = $("[data-changed-badge]");
    this.editedBadge = $("[data-edited-badge]");
    this.clearCacheButton = $("[data-clear-cache]");
    this.progress = $("[data-load-progress]");
    this.progressText = $("[data-load-bytes]");
    this.output = new OutputView($("[data-output]"), $("[data-output-label]"));
    this.artifacts = new ArtifactsView($("[data-artifacts]"));
    this.timeline = new Timeline($("[data-timeline]"), this.id);
    this.runViewRoot = $("[data-run-view]");
    this.runView = null; // the run view (web/run-view.js), made after the first Run that made a flow run
    this.runs = 0; // Runs started: a run view loading for an older one is not shown
    this.handle = null;
    this.undoButton = null;
    this.editor = null;

    this.prepareEditor();
    $("[data-controls]").hidden = false;
    this.runButton.addEventListener("click", () => this.start("run"));
    this.checkButton?.addEventListener("click", () => this.start("check"));
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    this.clearCacheButton?.addEventListener("click", () => {
      host.clearResults();
      this.setStatus("Cached results cleared, and the page's runs with them: the next Run computes everything again.", { sticky: true });
    });
    addEventListener("storage", (event) => {
      // A later save of the other tab's is on its way when the value is no longer this one: wait for it.
      if (event.key === this.storageKey() && event.newValue === localStorage.getItem(event.key)) this.onOtherTab(event.newValue);
    });
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
    this.editedBadge.hidden = !saved;
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
    if (this.replacing) return; // another tab's code, shown here: it is saved already
    this.editedBadge.hidden = this.code === this.original;
    this.save();
    if (this.undoButton && this.code !== this.original) this.dropUndo();
  }

  /**
   * Another tab saved this snippet (or reset it: null). Show its code, with an Undo that brings
   * back this tab's own code (as it was before the first of a run of updates). The update is the
   * other tab's doing: it neither takes this tab's focus nor saves again, so nothing comes back
   * to the other tab as an echo of what it has since typed over.
   */
  onOtherTab(newValue) {
    let theirs = this.original;
    try {
      const saved = JSON.parse(newValue || "null");
      if (saved && typeof saved.code === "string") theirs = saved.code;
    } catch {
      return;
    }
    if (theirs === this.code) return;
    const mine = this.undoButton && this.ownCode !== undefined ? this.ownCode : this.code;
    this.replaceCode(theirs);
    this.offerUndo("Updated with your edits from another tab.", "Undo update", mine, null, { focus: false });
    this.ownCode = mine;
  }

  /** Show `code` without treating it as a new edit of this tab's (nor saving it). */
  replaceCode(code) {
    this.replacing = true;
    try {
      this.code = code;
    } finally {
      this.replacing = false;
    }
    this.editedBadge.hidden = code === this.original;
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
    this.code = this.original; // saving the original clears the stored edits and the badges
    this.editor?.clearError();
    this.offerUndo("Reset to the lesson's code. Undo reset brings yours back.", "Undo reset", mine, before);
  }

  /** A status and a button that puts `mine` back (with the lesson version it was based on). */
  offerUndo(message, label, mine, before = null, { focus = true } = {}) {
    this.dropUndo();
    this.setStatus(message, { sticky: true });
    const undo = el("button", { type: "button", class: "btn btn-undo", "aria-label": `${label} of ${this.filename}` }, label);
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
    if (focus) undo.focus();
  }

  dropUndo() {
    const hadFocus = this.undoButton && document.activeElement === this.undoButton;
    this.undoButton?.remove();
    this.undoButton = null;
    this.ownCode = undefined;
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
    if (this.clearCacheButton) this.clearCacheButton.hidden = this.host.results.size === 0 && !this.host.store;
    this.runView?.refresh();
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
    else if (other) this.setStatus(this.host.current.kind === "command" ? "Waiting: a command is running in the terminal." : "Waiting: another snippet on this page is running.");
    else if (status.state === "ready") {
      if (!this.statusSticky) this.setStatus("Ready to run.");
    } else this.setStatus(status.step);
  }

  setStatus(text, { sticky = false } = {}) {
    this.statusSticky = sticky;
    if (this.statusEl.textContent !== text) this.statusEl.textContent = text;
  }

  // -- runs -----------------------------------------------------------------------------

  /**
   * Run or Check. `mirror`, when the terminal started it (`python FILE.py`), also gets the Run's
   * messages, to show its output there as well. Resolves with the run-finished detail (null if it
   * could not start).
   */
  async start(kind, { mirror = null } = {}) {
    if (this.handle || !this.host.ready || this.host.current) return null;
    if (kind === "check" && !this.checkCode) return null;
    this.output.clear(kind === "check" ? "Output (checking your code on an empty cache)" : "Output");
    this.artifacts.clear();
    this.timeline.reset();
    this.runs += 1;
    this.runView?.clear();
    this.editor?.clearError();
    if (this.checkResult) this.checkResult.textContent = "";
    this.root.classList.add("is-running");
    const request = { code: this.code, filename: this.filename, runner: this.runner, files: this.files };
    const started = performance.now();
    const onMessages = (messages) => {
      this.onMessages(messages);
      mirror?.(messages);
    };
    this.handle = kind === "check"
      ? this.host.check({ ...request, check: this.checkCode, starter: this.original, fixed: this.fixed }, onMessages)
      : this.host.run(request, onMessages);
    this.setStatus(kind === "check" ? "Checking…" : "Running…");
    this.onHostStatus(this.host.status);
    const result = await this.handle.done;
    this.output.flush(); // everything the run printed came before "done": show it now
    this.handle = null;
    this.liveRun?.then((live) => {
      live.root.replaceChildren();
      live.root.hidden = true;
      live.panel = null;
    });
    this.root.classList.remove("is-running");
    const ms = Math.round(performance.now() - started);
    this.timeline.finish();
    this.showRunView(kind, result);
    await this.report(kind, result, ms);
    this.onHostStatus(this.host.status);
    const detail = { kind, ms, ok: result.ok === true, stopped: result.stopped === true, error: result.error ?? null };
    if (kind === "check") Object.assign(detail, { passed: result.passed === true, message: result.message ?? "" });
    this.root.dispatchEvent(new CustomEvent("run-finished", { detail }));
    return detail;
  }

  /**
   * The run view under the output: the flow runs this Run made, drawn from the page's store
   * (a Check's from its own, which the page does not keep). A stopped Run has no store.
   */
  showRunView(kind, result) {
    const ids = Array.isArray(result.flow_run_ids) ? result.flow_run_ids : [];
    if (result.stopped || !result.store || !ids.length || !this.runViewRoot) return;
    const own = kind === "check" ? { store: result.store, artifacts: result.artifacts ?? new Map() } : null;
    const source = own ? () => own : () => ({ store: this.host.store, artifacts: this.host.artifacts });
    const run = this.runs;
    loadRunView().then(({ RunView }) => {
      if (run !== this.runs) return;
      this.runView ??= new RunView(this.runViewRoot, { label: `Run view of ${this.filename}` });
      this.runView.source = source;
      this.runView.show(ids);
    }, () => {});
  }

  onMessages(messages) {
    const shown = [];
    for (const message of messages) {
      if (message.type === "event") this.timeline.add(message.event);
      else if (message.type === "artifact") this.artifacts.add(message);
      else if (message.type === "serving" || message.type === "paused") this.live(message);
      else if (message.type !== "result") shown.push(message);
    }
    if (shown.length) this.output.push(shown);
  }

  /** A Run that keeps going (it serves, or a run waits for a person): its panel (web/live-run.js, in the run view's bundle). */
  live(message) {
    if (message.type === "serving" && message.active) this.setStatus("Serving…", { sticky: true });
    const handle = this.handle;
    this.liveRun ??= loadRunView().then(({ LiveRun }) => {
      const root = el("div", { class: "live-run" });
      root.hidden = true;
      this.root.querySelector("[data-controls]").after(root);
      return { root, LiveRun, panel: null };
    });
    this.liveRun.then((live) => {
      if (handle !== this.handle) return; // that Run has ended
      if (live.panel?.handle !== handle) {
        live.root.replaceChildren();
        live.panel = new live.LiveRun(live.root, this.host, handle, this.filename);
      }
      live.panel.take(message);
    });
  }

  async report(kind, result, ms) {
    const error = result.error;
    if (result.stopped) {
      this.output.notice(`Stopped after ${seconds(ms)}.`);
      this.setStatus(`Stopped after ${seconds(ms)}.`, { sticky: true });
    } else if (error) {
      this.setStatus(String(error.summary ?? error.type ?? "Error"), { sticky: true });
    } else if (result.tests?.summary) {
      this.setStatus(`pytest: ${result.tests.summary}. Finished in ${seconds(ms)}.`, { sticky: true });
    } else {
      this.setStatus(`Finished in ${seconds(ms)}.`, { sticky: true });
    }
    if (kind === "check") this.showCheck(result);
    if (error?.line && !result.stopped) (await this.ensureEditor()).markError(error.line);
  }

  stop() {
    if (this.handle) {
      this.setStatus("Stopping…", { sticky: true });
      this.host.stop(this.handle);
    }
  }

  showCheck(result) {
    if (!this.checkResult) return;
    if (result.stopped || typeof result.passed !== "boolean") {
      this.checkResult.className = "check-result is-fail";
      this.checkResult.textContent = "The check did not finish.";
      return;
    }
    if (result.passed) markPassed(this.id); // the course index shows it done
    this.checkResult.className = `check-result ${result.passed ? "is-pass" : "is-fail"}`;
    this.checkResult.textContent = `${result.passed ? "✓ Passed" : "✗ Not yet"}: ${result.message}`;
  }
}

/** The hidden texts `data-KIND="name"` of a snippet, as {name: text}. */
function textareas(root, kind) {
  const found = {};
  for (const area of root.querySelectorAll(`textarea[data-${kind}]`)) found[area.dataset[kind]] = area.value;
  return found;
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function seconds(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}
