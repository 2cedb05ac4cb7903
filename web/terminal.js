// The page's terminal: a line typed here runs as it would in a terminal at home, next to
// `python main.py`. A bundle of its own (lessonbuild/bundle.py), loaded on first need by
// web/terminal-loader.js.
//
// What a line does is Python's business (playground/terminal.py: the Prefect CLI on the page's
// session, sim_prefect.cli): it runs in a fresh worker as a Run does (web/host.js `command`),
// starting from the page's store and handing it back, so the CLI, the runs list and the run view
// read one server. Two lines are the page's own: `python FILE.py`, with a file of this page, is
// that snippet's Run (its output shows here too), and `clear`. Up and Down bring back earlier
// lines; Ctrl-C stops the command or Run in progress, as Stop does (its worker ends).
//
// Output is text only (OutputView: text nodes and classes from segments, never HTML), and what a
// worker answers is data, checked before it is used.

import { OutputView } from "./output.js";

const HISTORY_KEY = "prefect-in-practice:terminal-history";
const MAX_HISTORY = 100;
const MAX_ENTRIES = 200; // older commands' output leaves the terminal, as a terminal's scrollback ends
const MIN_COLUMNS = 40;
const MAX_COLUMNS = 200;
const SHOWN = new Set(["stdout", "stderr", "log", "notice"]);

export const CSS_TEXT = `
.terminal-dock.is-open { left: 0; right: 0; bottom: 0; height: min(46vh, 26rem); display: flex; flex-direction: column;
  background: var(--out-bg); color: var(--out-fg); border-top: 2px solid var(--accent); box-shadow: 0 -4px 18px rgba(0, 0, 0, 0.25); }
.terminal-dock.is-open .terminal-toggle { align-self: flex-start; margin: 0.4rem 0.75rem 0.2rem; padding: 0.2rem 0.6rem; box-shadow: none; }
.terminal-body { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.term-head { display: flex; align-items: center; gap: 0.6rem; padding: 0 0.75rem 0.25rem; font-size: 0.8rem; color: #b8c0cf; flex-wrap: wrap; }
.term-log { flex: 1; min-height: 0; overflow: auto; padding: 0.25rem 0.75rem; margin: 0; font-family: var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  font-size: 0.8rem; line-height: 1.35; white-space: pre; }
.term-log:focus-visible, .term-input:focus-visible { outline: 2px solid var(--focus); outline-offset: -2px; }
.term-entry { margin: 0 0 0.35rem; }
.term-cmd { color: #ffffff; font-weight: 600; }
.term-cmd::before { content: "$ "; color: #86efac; }
.term-out { margin: 0; font: inherit; white-space: pre; color: var(--out-fg); }
.term-out .stderr { color: #fca5a5; }
.term-out .notice { color: #fde68a; font-style: italic; }
.term-line { display: flex; align-items: center; gap: 0.4rem; padding: 0.35rem 0.75rem 0.5rem; border-top: 1px solid #2a3140; }
.term-prompt { color: #86efac; font-family: var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); font-weight: 700; }
.term-input { flex: 1; min-width: 0; background: #05080f; color: #ffffff; border: 1px solid #3b4456; border-radius: 4px;
  padding: 0.35rem 0.5rem; font-family: var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); font-size: 0.85rem; }
.term-state { font-size: 0.75rem; color: #b8c0cf; white-space: nowrap; }
.term-measure { position: absolute; visibility: hidden; white-space: pre; }
@media (max-width: 480px) { .term-log { font-size: 0.72rem; } }
html.terminal-open body { padding-bottom: min(46vh, 26rem); }
`;

installStyles();

function installStyles() {
  if (typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS_TEXT);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export class Terminal {
  constructor(dock, host, snippets) {
    this.dock = dock;
    this.host = host;
    this.snippets = snippets;
    this.toggle = dock.querySelector("[data-terminal-toggle]");
    this.body = dock.querySelector("[data-terminal-body]");
    this.history = loadHistory();
    this.at = this.history.length; // where Up/Down is in the history (its length: the line being typed)
    this.draft = "";
    this.running = null; // the command in progress: {cancel()}
    this.build();
  }

  build() {
    this.log = el("div", { class: "term-log", role: "log", "aria-live": "polite", "aria-label": "Terminal output", tabindex: "0" });
    this.input = el("input", {
      class: "term-input", type: "text", "aria-label": "Terminal", autocomplete: "off", autocapitalize: "off",
      spellcheck: "false", enterkeyhint: "send", "aria-describedby": "terminal-keys",
    });
    this.state = el("span", { class: "term-state", role: "status" });
    const keys = el("span", { id: "terminal-keys" }, "prefect … on this page's runs; python FILE.py; help. ↑↓ history, Ctrl-C stops.");
    const form = el("form", { class: "term-line" }, el("span", { class: "term-prompt", "aria-hidden": "true" }, "$"), this.input);
    this.body.replaceChildren(el("div", { class: "term-head" }, keys, this.state), this.log, form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.enter();
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    if (!this.log.childElementCount) this.note("Type help for what runs here.");
  }

  get isOpen() {
    return this.dock.classList.contains("is-open");
  }

  open() {
    this.dock.classList.add("is-open");
    document.documentElement.classList.add("terminal-open");
    this.body.hidden = false;
    this.toggle.setAttribute("aria-expanded", "true");
    this.input.focus();
  }

  close() {
    this.dock.classList.remove("is-open");
    document.documentElement.classList.remove("terminal-open");
    this.body.hidden = true;
    this.toggle.setAttribute("aria-expanded", "false");
    this.toggle.focus();
  }

  // -- keys -------------------------------------------------------------------------------

  onKey(event) {
    const ctrl = event.ctrlKey && !event.altKey && !event.metaKey;
    if (ctrl && event.key.toLowerCase() === "c" && this.input.selectionStart === this.input.selectionEnd) {
      event.preventDefault();
      this.interrupt();
    } else if (ctrl && event.key.toLowerCase() === "l") {
      event.preventDefault();
      this.log.replaceChildren();
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      this.recall(event.key === "ArrowUp" ? -1 : 1);
    } else if (event.key === "Escape" && !this.running) {
      event.preventDefault();
      this.close();
    }
  }

  recall(step) {
    if (this.at === this.history.length) this.draft = this.input.value;
    this.at = Math.max(0, Math.min(this.history.length, this.at + step));
    this.input.value = this.at === this.history.length ? this.draft : this.history[this.at];
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  /** Ctrl-C: the command in progress stops (its worker ends, as Stop ends a Run); otherwise the line is dropped. */
  interrupt() {
    if (this.running) {
      this.running.cancel();
      return;
    }
    const entry = this.entry(this.input.value);
    entry.cmd.append("^C");
    this.input.value = "";
    this.at = this.history.length;
  }

  // -- lines -------------------------------------------------------------------------------

  enter() {
    if (this.running) {
      this.setState("A command is running: Ctrl-C stops it.");
      return;
    }
    const line = this.input.value;
    this.input.value = "";
    this.draft = "";
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      this.history.splice(0, this.history.length - MAX_HISTORY);
      saveHistory(this.history);
    }
    this.at = this.history.length;
    const words = line.trim().split(/\s+/);
    if (words.length === 1 && words[0] === "clear") {
      this.log.replaceChildren();
      return;
    }
    const entry = this.entry(line);
    if (!line.trim()) return;
    this.execute(line, words, entry);
  }

  async execute(line, words, entry) {
    const view = new OutputView(entry.out, { textContent: "" });
    let stopped = false;
    this.running = { cancel: () => { stopped = true; } };
    this.setState("Running…");
    this.dock.classList.add("is-busy");
    let status;
    try {
      if (!this.host.ready) {
        this.setState("Waiting for Python…");
        await this.whenReady(() => stopped);
        if (stopped) return this.finish(entry, view, 130);
      }
      const python = ["python", "python3"].includes(words[0]);
      if (this.host.current && (python || !this.host.serving)) {
        view.push([{ type: "stderr", text: "Something is running on this page: wait for it to end, or stop it (its Stop button).\n" }]);
        return this.finish(entry, view, 1);
      }
      const snippet = words.length === 2 && ["python", "python3"].includes(words[0]) ? this.snippetFor(words[1]) : null;
      status = snippet ? await this.runSnippet(snippet, view) : await this.command(line, view);
    } catch (err) {
      view.push([{ type: "stderr", text: `${(err && err.message) || err}\n` }]);
      status = 1;
    }
    return this.finish(entry, view, status);
  }

  finish(entry, view, status) {
    view.flush();
    entry.root.dataset.exit = String(status);
    if (status === 130) entry.out.append("^C\n");
    this.running = null;
    this.dock.classList.remove("is-busy");
    this.setState("");
    this.trim();
    this.scrollDown();
  }

  /** A line for Python (playground/terminal.py), in a fresh worker on the page's store. */
  async command(line, view) {
    const files = [...new Set(this.snippets.map((s) => s.filename))];
    const handle = this.host.command(line, { columns: this.columns(), files }, (messages) => {
      view.push(messages.filter((m) => SHOWN.has(m?.type)));
      this.scrollDownSoon();
    });
    this.running = { cancel: () => this.host.stop(handle) };
    const outcome = await handle.done;
    if (outcome.stopped) return 130;
    if (outcome.error) {
      view.push([{ type: "stderr", text: `${String(outcome.error.summary ?? outcome.error.type ?? "Error")}\n` }]);
      return 1;
    }
    return Number.isInteger(outcome.exit) ? outcome.exit : 1;
  }

  /**
   * `python FILE.py`: that snippet's Run, as its Run button starts it; its output shows here too. A script
   * that serves until stopped hands the prompt back once it serves, as a second terminal at home would be
   * free: the Run goes on under its snippet, whose Stop is its Ctrl-C.
   */
  async runSnippet(snippet, view) {
    this.running = { cancel: () => snippet.stop() };
    let detach;
    const serving = new Promise((resolve) => (detach = resolve));
    let mirrored = true;
    const finished = snippet.start("run", {
      mirror: (messages) => {
        if (!mirrored) return;
        view.push(messages.filter((m) => SHOWN.has(m?.type)));
        if (messages.some((m) => m?.type === "serving" && m.active && m.endless && m.reachable)) detach("serving");
        this.scrollDownSoon();
      },
    });
    const detail = await Promise.race([finished, serving]);
    if (detail === "serving") {
      mirrored = false;
      view.push([{ type: "stdout", text: `\n(${snippet.filename} serves on under its snippet, whose Stop ends it as Ctrl-C would. This terminal is free, as a second terminal at home: try prefect deployment run.)\n` }]);
      return 0;
    }
    if (!detail) return 1;
    if (detail.stopped) return 130;
    return detail.ok ? 0 : 1;
  }

  snippetFor(word) {
    const name = word.replace(/^\.\//, "");
    return this.snippets.find((s) => s.filename === name) ?? null;
  }

  whenReady(given) {
    return new Promise((resolve) => {
      const look = () => (this.host.ready || this.host.status.state === "failed" || given() ? resolve() : setTimeout(look, 100));
      look();
    });
  }

  // -- drawing -----------------------------------------------------------------------------

  entry(line) {
    const cmd = el("div", { class: "term-cmd" }, line);
    const out = el("pre", { class: "term-out" });
    const root = el("div", { class: "term-entry" }, cmd, out);
    this.log.append(root);
    this.scrollDown();
    return { root, cmd, out };
  }

  note(text) {
    this.log.append(el("div", { class: "term-entry term-note" }, el("pre", { class: "term-out" }, text)));
  }

  trim() {
    while (this.log.childElementCount > MAX_ENTRIES) this.log.firstElementChild.remove();
  }

  setState(text) {
    if (this.state.textContent !== text) this.state.textContent = text;
  }

  scrollDown() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  scrollDownSoon() {
    requestAnimationFrame(() => this.scrollDown());
  }

  /** How many characters fit on a line of the terminal: the width the CLI wraps its tables to. */
  columns() {
    const probe = el("span", { class: "term-measure" }, "0".repeat(50));
    this.log.append(probe);
    const width = probe.getBoundingClientRect().width / 50;
    probe.remove();
    const style = getComputedStyle(this.log);
    const inner = this.log.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (!(width > 0) || !(inner > 0)) return 80;
    return Math.max(MIN_COLUMNS, Math.min(MAX_COLUMNS, Math.floor(inner / width)));
  }
}

function loadHistory() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(saved) ? saved.filter((line) => typeof line === "string").slice(-MAX_HISTORY) : [];
  } catch {
    return [];
  }
}

function saveHistory(history) {
  try {
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    /* storage full or disabled: the history lasts as long as the page */
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}
