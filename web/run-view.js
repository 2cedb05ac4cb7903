// The run view, modelled on the flow-run page of Prefect's UI, and the page's runs list,
// modelled on its Runs page. A bundle of its own (lessonbuild/bundle.py), loaded on first need
// by web/run-view-loader.js: nothing here is needed to reach Run-ready.
//
// Both draw from the session's store, the JSON of sim_prefect's Store that web/host.js keeps
// between Runs (the same records the client and the CLI read), read through run-records.js:
// no copy of the run records is made here. A view holds only the ids of the flow runs it
// shows and reads the store again when it draws, so Clear (which empties the store) leaves
// it saying so. Everything is built with DOM calls; learner text is only ever text.

import { ArtifactsView } from "./artifacts.js";
import { FlowRunGraph, el, nameOf, stateBadge } from "./run-graph.js";
import {
  expectedStart, formatClock, formatDateTime, formatDuration, formatOffset, isWaiting, lastMoment, lastState, levelNumber,
  recordsOf, runTime, startTime, states,
} from "./run-records.js";
import { CSS_TEXT } from "./run-view-style.js";

const TABS = [
  ["logs", "Logs"],
  ["task-runs", "Task Runs"],
  ["artifacts", "Artifacts"],
  ["parameters", "Parameters"],
];
// The Logs tab's filter, as Prefect's UI words it (a level and every level above it).
const LEVELS = [
  [0, "All"], [50, "Critical only"], [40, "Error and above"], [30, "Warning and above"], [20, "Info and above"], [10, "Debug and above"],
];
const MAX_LOGS = 500;
const MAX_LIST = 200;
let views = 0;

installStyles();

/** The run view's styles, as a constructed stylesheet (the page's CSP allows it; style-src 'self'). */
function installStyles() {
  if (typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS_TEXT);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/**
 * One flow run as Prefect's UI shows it: a header, the flow-run graph, and the tabs Logs, Task
 * Runs, Artifacts and Parameters. `source()` gives what to draw from: {store, artifacts}, where
 * `artifacts` maps an artifact's id to its view (playground/artifacts.py, as the Run sent it).
 */
export class RunView {
  constructor(root, { label, source }) {
    this.id = `rv-${(views += 1)}`;
    this.root = root;
    this.source = source;
    this.ids = [];
    this.selected = null;
    this.tab = "logs";
    this.level = 0;
    this.query = "";
    this.drawn = null; // the store last drawn from
    root.classList.add("run-view");
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", label);
    this.build();
  }

  build() {
    const id = this.id;
    this.title = el("p", { class: "rv-title", id: `${id}-title` });
    this.picker = el("select", { id: `${id}-picker` });
    this.pickerLabel = el("span", { class: "rv-picker" }, el("label", { for: `${id}-picker` }, "Flow run"), this.picker);
    this.picker.addEventListener("change", () => this.select(this.picker.value));
    this.facts = el("p", { class: "rv-facts" });
    this.message = el("p", { class: "rv-empty" });
    this.figure = el("figure");
    this.graph = new FlowRunGraph(this.figure, { onOpen: (runId, from) => this.openHistory(runId, from) });
    this.tablist = el("div", { class: "rv-tabs", role: "tablist", "aria-label": "Flow run details" });
    this.tabs = new Map();
    this.panels = new Map();
    const panels = [];
    for (const [key, name] of TABS) {
      const tab = el("button", {
        type: "button", role: "tab", id: `${id}-tab-${key}`, "aria-controls": `${id}-panel-${key}`,
        "aria-selected": "false", tabindex: "-1", "data-tab": key,
      }, name);
      tab.addEventListener("click", () => this.selectTab(key));
      const panel = el("div", { class: "rv-panel", role: "tabpanel", id: `${id}-panel-${key}`, "aria-labelledby": `${id}-tab-${key}`, tabindex: "0" });
      panel.hidden = true;
      this.tabs.set(key, tab);
      this.panels.set(key, panel);
      this.tablist.append(tab);
      panels.push(panel);
    }
    this.tablist.addEventListener("keydown", (event) => this.onTabKey(event));
    this.dialog = this.buildDialog();
    this.body = el("div", { class: "rv-body" }, this.facts, this.figure, this.tablist, ...panels);
    const head = el("div", { class: "rv-head" }, this.title, this.pickerLabel);
    const list = document.querySelector("[data-runs-panel]");
    if (list?.id && !list.contains(this.root)) {
      // The runs list, at the top of the lesson: the way to this Run's earlier runs, and the others'.
      const link = el("a", { class: "rv-all", href: `#${list.id}` }, "All runs on this page");
      link.addEventListener("click", () => {
        list.open = true;
      });
      head.append(link);
    }
    this.root.replaceChildren(head, this.message, this.body, this.dialog);
  }

  /** Show these flow runs (a Run's, in the order they were made): the first, on its Logs tab, as Prefect opens a run. */
  show(ids) {
    this.ids = ids.filter((id) => typeof id === "string");
    this.selected = this.ids[0] ?? null;
    this.tab = "logs";
    this.level = 0;
    this.query = "";
    this.render();
  }

  /**
   * After another Run (or Clear) the page holds a new store. Draw again only if what this view
   * shows changed in it (a run gone, a new state or task run): a view someone is reading or
   * searching stays as it is.
   */
  refresh() {
    const { store } = this.source();
    if (!this.ids.length || store === this.drawn) return;
    const records = store ? recordsOf(store) : null;
    if (!records || !this.records || this.signature(records) !== this.signature(this.records)) {
      this.render();
      return;
    }
    this.drawn = store;
    this.records = records;
    this.graph.records = records;
  }

  signature(records) {
    const run = records.run(this.selected);
    if (!run) return "gone";
    const tasks = records.taskRuns(run.run_id);
    const last = lastState(run);
    return `${states(run).length}:${last?.timestamp}:${tasks.length}:${tasks.map((t) => states(t).length).join(",")}`;
  }

  clear() {
    this.ids = [];
    this.selected = null;
    this.drawn = null;
    if (this.dialog.open) this.dialog.close();
    this.root.hidden = true;
  }

  select(id) {
    if (!this.ids.includes(id)) return;
    this.selected = id;
    this.render();
  }

  render() {
    const { store } = this.source();
    this.drawn = store;
    this.root.hidden = this.ids.length === 0;
    const records = store ? recordsOf(store) : null;
    const run = records?.run(this.selected);
    this.records = records;
    this.body.hidden = !run;
    this.message.hidden = Boolean(run);
    if (!run) {
      this.title.textContent = "Run view";
      this.pickerLabel.hidden = true;
      this.message.textContent = store
        ? "This flow run is no longer on the page's server."
        : "Cleared: the page's server no longer has these runs. Run the code again to see them.";
      return;
    }
    this.renderHeader(records, run);
    this.graph.show(records, run.run_id);
    this.selectTab(this.tab, { focus: false });
  }

  renderHeader(records, run) {
    this.title.replaceChildren(
      el("span", { class: "rv-flow" }, run.owner), " › ", el("span", { class: "rv-run-name" }, run.name), " ", stateBadge(lastState(run)));
    const choices = this.ids.map((id) => records.run(id)).filter(Boolean);
    this.pickerLabel.hidden = choices.length < 2;
    this.picker.replaceChildren(...choices.map((r) => {
      const parent = r.parent_task_run_id ? records.run(r.parent_id) : null;
      const text = `${r.owner} › ${r.name} (${lastState(r)?.name ?? "no state"})${parent ? `, subflow of ${parent.name}` : ""}`;
      const option = el("option", { value: r.run_id }, text);
      option.selected = r.run_id === run.run_id;
      return option;
    }));
    const start = startTime(run);
    const tasks = records.taskRuns(run.run_id).length;
    const deployment = records.deployment(run);
    const facts = start === null
      ? [`Expected to start ${formatDateTime(expectedStart(run))}`]
      : [`Started ${formatDateTime(start)}`, `Duration ${formatDuration(runTime(run, lastMoment(run)))}`];
    facts.push(`${tasks} task run${tasks === 1 ? "" : "s"}`);
    if (deployment) facts.push(`Deployment ${deployment.name}`);
    if (run.tags?.length) facts.push(`Tags ${run.tags.join(", ")}`);
    this.facts.textContent = facts.join(" · ");
  }

  // -- tabs (WAI-ARIA tabs, selection follows focus) --------------------------------------------

  selectTab(key, { focus = false } = {}) {
    this.tab = key;
    for (const [k, tab] of this.tabs) {
      const on = k === key;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      this.panels.get(k).hidden = !on;
    }
    const run = this.records?.run(this.selected);
    if (run) this.renderPanel(key, run);
    if (focus) this.tabs.get(key).focus();
  }

  onTabKey(event) {
    const keys = TABS.map(([k]) => k);
    const at = keys.indexOf(event.target.dataset?.tab ?? this.tab);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.selectTab(keys[(next + keys.length) % keys.length], { focus: true });
  }

  renderPanel(key, run) {
    const panel = this.panels.get(key);
    if (key === "logs") this.renderLogs(panel, run);
    else if (key === "task-runs") this.renderTaskRuns(panel, run);
    else if (key === "artifacts") this.renderArtifacts(panel, run);
    else this.renderParameters(panel, run);
  }

  renderLogs(panel, run) {
    const id = this.id;
    const level = el("select", { id: `${id}-level` }, ...LEVELS.map(([value, name]) => {
      const option = el("option", { value }, name);
      option.selected = value === this.level;
      return option;
    }));
    const search = el("input", { type: "search", id: `${id}-search`, placeholder: "Search logs", autocomplete: "off", spellcheck: "false" });
    search.value = this.query;
    const count = el("p", { class: "rv-count", role: "status" });
    const list = el("ol", { class: "rv-logs", "aria-label": `Logs of ${run.name}`, tabindex: "0" });
    const logs = this.records.logs(run.run_id);
    const draw = () => {
      const query = this.query.trim().toLowerCase();
      const shown = logs.filter((log) => levelNumber(log.level) >= this.level
        && (!query || textOf(log).toLowerCase().includes(query)));
      list.replaceChildren(...shown.slice(0, MAX_LOGS).map((log) => this.logRow(log)));
      list.hidden = shown.length === 0;
      if (!logs.length) count.textContent = lastState(run)?.name === "Scheduled" ? "Run has not yet started. Check back soon for logs." : "This run did not produce any logs.";
      else if (!shown.length) count.textContent = "No logs match your filter criteria.";
      else if (shown.length > MAX_LOGS) count.textContent = `The first ${MAX_LOGS} of ${shown.length} log lines; narrow them with the level or a search.`;
      else count.textContent = `${shown.length} of ${logs.length} log line${logs.length === 1 ? "" : "s"}`;
    };
    level.addEventListener("change", () => {
      this.level = Number(level.value);
      draw();
    });
    search.addEventListener("input", () => {
      this.query = search.value;
      draw();
    });
    const tools = el("div", { class: "rv-tools" },
      el("label", { for: `${id}-level` }, "Level "), level,
      el("label", { for: `${id}-search` }, "Search "), search);
    panel.replaceChildren(tools, count, list);
    draw();
  }

  logRow(log) {
    const name = String(log.level ?? "");
    const by = log.run_kind === "task" ? this.records.run(log.run_id)?.name ?? log.run_name : null;
    return el("li", { class: "rv-log", "data-level": name },
      el("span", { class: `rv-level rv-level-${name.replace(/[^A-Z]/gi, "")}` }, name),
      el("span", { class: "rv-msg" }, textOf(log)),
      el("span", { class: "rv-meta" }, el("span", {}, formatClock(log.timestamp)), by ? el("span", {}, by) : null, el("span", { class: "rv-logger" }, String(log.logger ?? ""))));
  }

  renderTaskRuns(panel, run) {
    const runs = this.records.taskRuns(run.run_id);
    if (!runs.length) {
      panel.replaceChildren(el("p", { class: "rv-empty" }, "This flow run has no task runs."));
      return;
    }
    const body = el("tbody");
    for (const task of runs) {
      const start = startTime(task);
      const open = el("button", { type: "button", class: "rv-link", "data-run-id": task.run_id }, task.name);
      open.addEventListener("click", () => this.openHistory(task.run_id, open));
      const row = el("tr", { "data-run-name": task.name },
        el("th", { scope: "row" }, open),
        el("td", {}, stateBadge(lastState(task))),
        el("td", {}, start === null ? "never ran" : formatDateTime(start)),
        el("td", { class: "rv-nowrap" }, formatDuration(runTime(task, lastMoment(task)))));
      row.addEventListener("click", (event) => {
        if (event.target !== open) this.openHistory(task.run_id, open);
      });
      body.append(row);
    }
    const head = el("tr", {}, ...["Name", "State", "Start", "Duration"].map((h) => el("th", { scope: "col" }, h)));
    panel.replaceChildren(el("p", { class: "rv-hint" }, "Open a task run for its state history."),
      el("div", { class: "table-scroll" }, el("table", { class: "rv-table rv-rows" },
        el("caption", {}, `Task runs of ${run.name}`), el("thead", {}, head), body)));
  }

  renderArtifacts(panel, run) {
    const made = this.records.artifacts(run.run_id);
    if (!made.length) {
      panel.replaceChildren(el("p", { class: "rv-empty" }, "This flow run has no artifacts."));
      return;
    }
    const box = el("div", { class: "artifacts" });
    const view = new ArtifactsView(box);
    const kept = this.source().artifacts;
    for (const artifact of made) view.add(kept?.get(artifact.artifact_id) ?? plainView(artifact));
    panel.replaceChildren(box);
  }

  renderParameters(panel, run) {
    const params = run.parameters && typeof run.parameters === "object" ? run.parameters : {};
    panel.replaceChildren(el("pre", { class: "rv-json", "aria-label": `Parameters of ${run.name}, as JSON`, tabindex: "0" }, JSON.stringify(params, null, 2)));
  }

  // -- a run's state history, in a dialog -------------------------------------------------------

  buildDialog() {
    const id = this.id;
    this.dialogTitle = el("p", { class: "rv-dialog-title", id: `${id}-history-title` });
    this.dialogBody = el("div", { class: "rv-dialog-body" });
    const close = el("button", { type: "button", class: "btn" }, "Close");
    close.addEventListener("click", () => this.dialog.close());
    const dialog = el("dialog", { class: "rv-dialog", "aria-labelledby": `${id}-history-title` },
      el("div", { class: "rv-dialog-head" }, this.dialogTitle, close), this.dialogBody);
    dialog.addEventListener("close", () => this.returnFocus());
    return dialog;
  }

  openHistory(runId, from) {
    const run = this.records?.run(runId);
    if (!run) return;
    this.opener = { runId, element: from };
    const child = this.records.subflow(run);
    this.dialogTitle.textContent = `State history of ${run.kind} run ${run.name}`;
    const all = states(run);
    const t0 = all[0]?.timestamp ?? run.created;
    const body = el("tbody", {}, ...all.map((s) => el("tr", {},
      el("td", {}, stateBadge(s)),
      el("td", {}, el("span", { class: "rv-time" }, formatDateTime(s.timestamp, { ms: true })), " ",
        el("span", { class: "rv-sub rv-nowrap" }, formatOffset(s.timestamp - t0))),
      el("td", { class: "rv-msg" }, s.message ?? ""))));
    const head = el("tr", {}, ...["State", "Time (and since its first state)", "Message"].map((h) => el("th", { scope: "col" }, h)));
    const parts = [el("p", { class: "rv-hint" }, `${run.kind === "task" ? "Task" : "Flow"} ${run.owner} · ${all.length} states · ran ${formatDuration(runTime(run, lastMoment(run)))}`),
      el("div", { class: "table-scroll" }, el("table", { class: "rv-table" }, el("thead", {}, head), body))];
    if (child) {
      const open = !this.graph.isCollapsed(run.run_id);
      const toggle = el("button", { type: "button", class: "btn", "aria-pressed": String(!open) }, "Hide its task runs in the graph");
      toggle.addEventListener("click", () => {
        this.graph.toggle(run.run_id);
        toggle.setAttribute("aria-pressed", String(this.graph.isCollapsed(run.run_id)));
      });
      parts.push(el("p", {}, `It tracks the subflow run ${child.name} of flow ${child.owner}. `), toggle);
      if (this.ids.includes(child.run_id)) {
        const go = el("button", { type: "button", class: "btn" }, `Show ${child.name}`);
        go.addEventListener("click", () => {
          this.opener = null;
          this.dialog.close();
          this.select(child.run_id);
          this.picker.focus();
        });
        parts.push(" ", go);
      }
    }
    this.dialogBody.replaceChildren(...parts);
    if (!this.dialog.open) this.dialog.showModal();
  }

  returnFocus() {
    const opener = this.opener;
    this.opener = null;
    if (!opener) return;
    if (opener.element?.isConnected) opener.element.focus();
    else this.graph.focusRun(opener.runId);
  }
}

/** A log line's text: its message, and its traceback when it carries one. */
function textOf(log) {
  const message = String(log.message ?? "");
  return log.traceback ? `${message}\n${log.traceback}` : message;
}

/** An artifact the Run did not send a view of (past the output's cap): its data, as text. */
function plainView(artifact) {
  return {
    type: "artifact", id: artifact.artifact_id, kind: "markdown", key: artifact.key, description: artifact.description,
    blocks: [{ tag: "pre", text: typeof artifact.data === "string" ? artifact.data : JSON.stringify(artifact.data) }],
  };
}

// -- the runs list ---------------------------------------------------------------------------------

/**
 * Every flow run of the page's session, newest first, as the Runs page of Prefect's UI lists
 * them (a deployment's scheduled runs included, with the time they are expected to start).
 * A row opens its run view, under the list.
 */
export class RunsList {
  constructor(root, { source, count }) {
    this.root = root;
    this.source = source;
    this.count = count;
    this.drawn = undefined;
    this.openId = null;
    this.table = el("table", { class: "rv-table rv-rows rv-runs" });
    this.empty = el("p", { class: "rv-empty" });
    this.intro = el("p", { class: "rv-hint" }, "Every flow run of this page's session, newest first, as on the Runs page of Prefect's UI. Open one for its run view.");
    this.note = el("p", { class: "rv-hint" });
    const viewRoot = el("div");
    this.view = new RunView(viewRoot, { label: "Run view of the chosen run", source });
    this.view.clear();
    root.replaceChildren(this.empty, this.intro, el("div", { class: "table-scroll" }, this.table), this.note, viewRoot);
  }

  refresh() {
    const { store } = this.source();
    if (store === this.drawn) return;
    this.drawn = store;
    const records = store ? recordsOf(store) : null;
    const runs = (records?.flowRuns() ?? []).map((run, order) => ({ run, order, at: sortTime(run) }))
      .sort((a, b) => b.at - a.at || b.order - a.order).map(({ run }) => run);
    if (this.count) this.count.textContent = String(runs.length);
    this.empty.hidden = runs.length > 0;
    this.empty.textContent = "No flow runs yet. Run an example: its flow runs show here, newest first, as on the Runs page of Prefect's UI.";
    this.table.hidden = runs.length === 0;
    this.intro.hidden = runs.length === 0;
    this.note.hidden = runs.length <= MAX_LIST;
    this.note.textContent = `The newest ${MAX_LIST} of ${runs.length} flow runs.`;
    const body = el("tbody");
    for (const run of runs.slice(0, MAX_LIST)) body.append(this.row(records, run));
    const head = el("tr", {}, ...["Flow", "Run", "State", "Start", "Duration"].map((h) => el("th", { scope: "col" }, h)));
    this.table.replaceChildren(el("caption", {}, "Flow runs of this page"), el("thead", {}, head), body);
    if (this.openId && records?.run(this.openId)) this.view.refresh();
    else if (this.openId) {
      this.openId = null;
      this.view.clear();
    }
  }

  row(records, run) {
    const waiting = isWaiting(run);
    const start = startTime(run);
    const open = el("button", { type: "button", class: "rv-link", "data-run-id": run.run_id }, run.name);
    if (run.run_id === this.openId) open.setAttribute("aria-current", "true");
    open.addEventListener("click", () => this.open(run.run_id));
    const deployment = records.deployment(run);
    const parent = run.parent_task_run_id ? records.run(run.parent_id) : null;
    const flow = el("td", {}, run.owner);
    if (deployment) flow.append(el("span", { class: "rv-sub" }, ` deployment ${deployment.name}`));
    if (parent) flow.append(el("span", { class: "rv-sub" }, ` subflow of ${parent.name}`));
    const row = el("tr", { "data-run-name": run.name },
      flow,
      el("th", { scope: "row" }, open),
      el("td", {}, stateBadge(lastState(run))),
      el("td", {}, waiting ? `Scheduled for ${formatDateTime(expectedStart(run))}` : start === null ? "—" : formatDateTime(start)),
      el("td", { class: "rv-nowrap" }, waiting ? "—" : formatDuration(runTime(run, lastMoment(run)))));
    row.addEventListener("click", (event) => {
      if (event.target !== open) this.open(run.run_id);
    });
    return row;
  }

  open(runId) {
    this.openId = runId;
    for (const button of this.table.querySelectorAll("button[data-run-id]")) {
      if (button.dataset.runId === runId) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
    this.view.show([runId]);
    this.view.root.scrollIntoView?.({ block: "nearest" });
  }
}

/** Newest first, as Prefect sorts its Runs page: by start time, or the expected one for a run that has not started. */
function sortTime(run) {
  return startTime(run) ?? expectedStart(run) ?? run.created ?? 0;
}

// -- what the page calls -----------------------------------------------------------------------------

const lists = new WeakMap();

/** The page's runs panel, drawn from the host's store (again whenever it changed). */
export function showRuns(panel, host) {
  let list = lists.get(panel);
  if (!list) {
    const root = panel.querySelector("[data-runs-list]");
    list = new RunsList(root, { source: () => ({ store: host.store, artifacts: host.artifacts }), count: panel.querySelector("[data-runs-count]") });
    lists.set(panel, list);
  }
  list.refresh();
  return list;
}

// A Run that keeps going (serving, a paused run's form) is drawn by live-run.js, which comes with this bundle.
export { LiveRun } from "./live-run.js";
