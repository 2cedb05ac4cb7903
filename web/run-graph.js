// The flow-run graph, as Prefect's UI draws it on a flow run's page: each task run a bar on
// the time axis, from when it started running to when it reached its final state; task runs
// that overlap in time sit side by side in rows; an arrow from each run it took an input from
// (data, or wait_for: the store's task_inputs); a subflow's bar opens onto its own task runs,
// nested under it; the flow run's own states run along the top. Colours are Prefect's, one per
// state type (run-view-style.js), and every bar says its state in words too.
//
// Drawn as SVG with DOM calls only (names and states are text nodes). The bars are buttons in
// one tab stop: the arrow keys move between them, Enter opens a run's state history. A table
// gives the same facts, and the picture scrolls inside its own box on a small screen.

import { endTime, formatDuration, formatOffset, lastMoment, lastState, runTime, startTime, states } from "./run-records.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW_H = 30;
const BAR_H = 18;
const AXIS_H = 22;
const STRIP_H = 6;
const TOP = AXIS_H + STRIP_H + 10;
const PAD = 10;
const LABEL_GAP = 6;
const MIN_BAR = 6;
const NEST_PAD = 6;
const MAX_NODES = 400;
const TICK_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];
export const STATE_TYPES = ["COMPLETED", "RUNNING", "SCHEDULED", "PENDING", "PAUSED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED"];
let graphs = 0;

export class FlowRunGraph {
  /** `onOpen(runId, element)`: a bar (or table row) asks for a run's state history. */
  constructor(root, { onOpen }) {
    this.id = `rv-graph-${(graphs += 1)}`;
    this.onOpen = onOpen;
    this.collapsed = new Set(); // subflows' tracking task runs whose task runs are hidden
    this.root = root;
    this.records = null;
    this.flowRunId = null;
    this.focusId = null; // the bar that holds the one tab stop
    root.classList.add("rv-graph");
    root.setAttribute("aria-label", "Flow run graph");
    const hint = el("p", { class: "rv-hint", id: `${this.id}-hint` },
      "Task runs over time (the band along the top: the flow run's own states); arrows show where inputs came from. Arrow keys move between task runs, Enter shows a run's state history.");
    this.scroller = el("div", { class: "rv-graph-scroll" });
    this.legend = el("ul", { class: "rv-legend", "aria-label": "States in the graph" });
    this.note = el("p", { class: "rv-hint" });
    this.table = el("table", { class: "rv-table" });
    const details = el("details", { class: "rv-table-details" },
      el("summary", {}, "Show the graph as a table"),
      el("p", { class: "rv-hint" }, "Each task run: its state, when it started (after the flow run's start), how long it ran, and the runs it took inputs from."),
      el("div", { class: "table-scroll" }, this.table));
    this.hint = hint;
    this.details = details;
    root.replaceChildren(hint, this.scroller, this.legend, this.note, details);
    this.width = 0;
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => {
        const width = this.scroller.clientWidth;
        if (width && Math.abs(width - this.width) > 1 && this.records) this.draw();
      }).observe(this.scroller);
    }
  }

  show(records, flowRunId) {
    if (flowRunId !== this.flowRunId) this.focusId = null;
    this.records = records;
    this.flowRunId = flowRunId;
    this.draw();
  }

  isCollapsed(trackerId) {
    return this.collapsed.has(trackerId);
  }

  toggle(trackerId) {
    if (this.collapsed.has(trackerId)) this.collapsed.delete(trackerId);
    else this.collapsed.add(trackerId);
    this.draw();
  }

  /** Put keyboard focus on a run's bar (after its state history closes, say). */
  focusRun(runId) {
    const node = this.scroller.querySelector(`[data-run-id="${CSS.escape(runId)}"]`);
    if (node) node.focus();
    return Boolean(node);
  }

  draw() {
    const flow = this.records.run(this.flowRunId);
    if (!flow) return;
    const hadFocus = this.root.contains(document.activeElement) && document.activeElement?.dataset?.runId;
    const width = Math.max(this.scroller.clientWidth || 640, 280);
    this.width = width;
    const { t0, t1 } = this.span(flow);
    const measure = textMeasurer(this.root);
    // The scale fits the run into the box, leaving room for the longest label after it.
    const longest = Math.min(200, Math.max(80, ...this.allRuns(flow).map((run) => measure(labelOf(this.records, run)))));
    const pxPerSecond = Math.max(1e-6, (width - 2 * PAD - longest - LABEL_GAP) / Math.max(t1 - t0, 1e-3));
    const x = (t) => PAD + (t - t0) * pxPerSecond;
    const group = this.layout(flow.run_id, { x, t1, measure, depth: 0 });
    const nodes = flatten(group);
    const right = Math.max(width, Math.ceil(group.right + PAD));
    const height = TOP + group.rows * ROW_H + PAD;
    const svg = svgEl("svg", {
      width: right, height, viewBox: `0 0 ${right} ${height}`, class: "rv-svg",
      role: "group", "aria-label": `Task runs of ${flow.name}`, "aria-describedby": `${this.id}-hint`,
    });
    svg.append(this.defs());
    this.drawAxis(svg, x, t0, t1, pxPerSecond, height);
    this.drawStrip(svg, flow, x, t1);
    const edges = svgEl("g", { class: "rv-edges", "aria-hidden": "true" });
    const bars = svgEl("g", { class: "rv-nodes" });
    svg.append(edges, bars);
    for (const item of nodes) this.drawNode(bars, item);
    this.drawEdges(edges, nodes);
    this.scroller.replaceChildren(svg);
    this.nodes = nodes.sort((a, b) => a.x0 - b.x0 || a.y - b.y);
    this.wireKeys(svg);
    this.drawLegend(nodes);
    this.drawTable(nodes, t0);
    const hidden = this.allRuns(flow).length - nodes.length;
    for (const part of [this.hint, this.scroller, this.legend, this.details]) part.hidden = nodes.length === 0;
    this.note.hidden = !(nodes.length === 0 || hidden > 0);
    this.note.textContent = nodes.length === 0
      ? "This flow run has no task runs."
      : `The picture shows ${nodes.length} task runs; ${hidden} more are in collapsed subflows or past the first ${MAX_NODES}.`;
    if (hadFocus) this.focusRun(hadFocus) || this.nodes[0]?.g.focus();
  }

  /** From the flow run's start to the last moment of anything drawn. */
  span(flow) {
    const t0 = startTime(flow) ?? states(flow)[0]?.timestamp ?? flow.created;
    let t1 = endTime(flow) ?? lastMoment(flow);
    for (const run of this.allRuns(flow)) t1 = Math.max(t1, lastMoment(run));
    return { t0, t1: Math.max(t1, t0 + 1e-3) };
  }

  /** Every task run under a flow run, subflows' included. */
  allRuns(flow, seen = new Set()) {
    if (seen.has(flow.run_id)) return [];
    seen.add(flow.run_id);
    const out = [];
    for (const run of this.records.taskRuns(flow.run_id)) {
      out.push(run);
      const child = this.records.subflow(run);
      if (child) out.push(...this.allRuns(child, seen));
    }
    return out;
  }

  /**
   * Rows for a flow run's task runs, in order of start: each goes in the row of the run it
   * took its first input from when that is free, else in the nearest free row; an open
   * subflow takes its own row and, under it, the rows of its task runs.
   */
  layout(flowRunId, ctx, seen = new Set([flowRunId])) {
    const { x, t1, measure } = ctx;
    const rows = []; // per row: the [x0, x1] spans taken
    const items = [];
    const placed = new Map(); // run id -> item
    const runs = this.records.taskRuns(flowRunId).slice(0, MAX_NODES);
    const spans = runs.map((run) => {
      const start = startTime(run) ?? lastMoment(run);
      const end = endTime(run) ?? Math.max(t1, start);
      return { run, start, end };
    }).sort((a, b) => a.start - b.start);
    let right = 0;
    for (const { run, start, end } of spans) {
      const x0 = x(start);
      const x1 = Math.max(x(end), x0 + MIN_BAR);
      const label = labelOf(this.records, run);
      const labelX = x1 + LABEL_GAP;
      const child = this.records.subflow(run);
      const open = Boolean(child) && !this.collapsed.has(run.run_id) && !seen.has(child.run_id);
      const nested = open ? this.layout(child.run_id, ctx, new Set([...seen, child.run_id])) : null;
      const nestedLeft = nested && nested.items.length ? nested.left - NEST_PAD : x0;
      const nestedRight = nested && nested.items.length ? nested.right + NEST_PAD : x1;
      const from = Math.min(x0, nestedLeft);
      const labelW = measure(label);
      const to = Math.max(labelX + labelW, nestedRight);
      const height = 1 + (nested && nested.items.length ? nested.rows : 0);
      const upstream = upstreamOf(run).map(({ id }) => placed.get(id)).find(Boolean);
      const row = freeRow(rows, upstream ? upstream.row : 0, height, from, to + LABEL_GAP);
      for (let r = row; r < row + height; r += 1) (rows[r] ??= []).push([from, to + LABEL_GAP]);
      const item = { run, child, open, nested, row, x0, x1, labelX, labelW, label, from, to, height, final: Boolean(endTime(run)) };
      placed.set(run.run_id, item);
      items.push(item);
      right = Math.max(right, to);
    }
    const left = items.length ? Math.min(...items.map((i) => i.from)) : 0;
    return { items, rows: Math.max(rows.length, 1), left, right };
  }

  defs() {
    const marker = svgEl("marker", {
      id: `${this.id}-arrow`, viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
    });
    marker.append(svgEl("path", { d: "M0,0 L8,4 L0,8 z", class: "rv-arrow" }));
    return svgEl("defs", {}, marker);
  }

  drawAxis(svg, x, t0, t1, pxPerSecond, height) {
    const step = TICK_STEPS.find((s) => s * pxPerSecond >= 64) ?? TICK_STEPS[TICK_STEPS.length - 1];
    const axis = svgEl("g", { class: "rv-axis", "aria-hidden": "true" });
    for (let k = 0; k * step <= t1 - t0 + 1e-9 && k < 400; k += 1) {
      const tx = x(t0 + k * step);
      axis.append(svgEl("line", { class: "rv-grid", x1: tx, x2: tx, y1: AXIS_H - 4, y2: height }));
      axis.append(svgEl("text", { class: "rv-tick", x: tx + 3, y: AXIS_H - 8 }, tickLabel(k * step, step)));
    }
    svg.append(axis);
  }

  /** The flow run's own states along the top, as Prefect draws them under its graph. */
  drawStrip(svg, flow, x, t1) {
    const strip = svgEl("g", { class: "rv-strip" });
    const all = states(flow);
    all.forEach((state, i) => {
      const until = i + 1 < all.length ? all[i + 1].timestamp : state.final ? state.timestamp : t1;
      const x0 = x(state.timestamp);
      const w = Math.max(x(until) - x0, state.final ? 3 : 1);
      const rect = svgEl("rect", { class: `rv-band rv-st-${typeOf(state)}`, x: x0, y: AXIS_H, width: w, height: STRIP_H, rx: 2 });
      rect.append(svgEl("title", {}, `Flow run ${flow.name}: ${state.name}`));
      strip.append(rect);
    });
    svg.append(strip);
  }

  drawNode(parent, item) {
    const { run, x0, x1, labelX, label } = item;
    const y = TOP + item.row * ROW_H;
    const state = lastState(run);
    Object.assign(item, { y, cy: y + ROW_H / 2 });
    if (item.open && item.nested?.items.length) {
      const box = svgEl("rect", {
        class: "rv-nest", x: item.nested.left - NEST_PAD, y: y + ROW_H - 2,
        width: item.nested.right - item.nested.left + 2 * NEST_PAD, height: item.nested.rows * ROW_H + 2, rx: 6,
      });
      parent.append(box);
    }
    const g = svgEl("g", {
      class: `rv-node${item.child ? " is-subflow" : ""}`, role: "button", tabindex: -1,
      "data-run-id": run.run_id, "data-run-name": run.name, "data-state": state?.name ?? "", "data-row": item.row,
      "aria-label": describe(this.records, item),
    });
    if (item.child) g.setAttribute("aria-expanded", String(item.open));
    const top = y + (ROW_H - BAR_H) / 2;
    g.append(svgEl("rect", { class: "rv-hit", x: x0 - 3, y: top - 3, width: labelX + item.labelW - x0 + 6, height: BAR_H + 6, rx: 5 }));
    g.append(svgEl("rect", {
      class: `rv-bar rv-st-${typeOf(state)}${item.final ? "" : " is-open"}`, x: x0, y: top, width: x1 - x0, height: BAR_H, rx: 4,
      "data-x0": x0.toFixed(2), "data-x1": x1.toFixed(2),
    }));
    g.append(svgEl("text", { class: "rv-label", x: labelX, y: top + BAR_H / 2 + 4 }, label));
    parent.append(g);
    item.g = g;
  }

  drawEdges(parent, nodes) {
    const byId = new Map(nodes.map((n) => [n.run.run_id, n]));
    for (const node of nodes) {
      for (const { id, name } of upstreamOf(node.run)) {
        const from = byId.get(id);
        if (!from) continue;
        const [ax, ay, bx, by] = [from.x1, from.cy, node.x0 - 1, node.cy];
        let d;
        if (bx - ax >= 28 || Math.abs(by - ay) < 1) {
          const dx = Math.max(14, Math.abs(bx - ax) / 2);
          d = `M${ax},${ay} C${ax + dx},${ay} ${bx - dx},${by} ${bx},${by}`;
        } else {
          // Little room between the two in time: leave from under (or over) the upstream bar's end, and come in from the left.
          const sx = Math.max(from.x0 + 2, Math.min(ax, bx) - 10);
          const sy = ay + (by > ay ? 1 : -1) * (BAR_H / 2);
          d = `M${sx},${sy} C${sx},${by} ${sx},${by} ${bx},${by}`;
          if (bx - sx < 8) d = `M${sx},${sy} L${sx},${by - Math.sign(by - ay) * 4} Q${sx},${by} ${bx},${by}`;
        }
        parent.append(svgEl("path", {
          class: `rv-edge${name === "wait_for" ? " is-wait" : ""}`, d,
          "marker-end": `url(#${this.id}-arrow)`, "data-from": from.run.name, "data-to": node.run.name, "data-input": name,
        }));
      }
    }
  }

  drawLegend(nodes) {
    const seen = new Map();
    for (const { run } of nodes) {
      const state = lastState(run);
      if (!state) continue;
      const type = typeOf(state);
      if (!seen.has(type)) seen.set(type, new Set());
      seen.get(type).add(state.name);
    }
    this.legend.replaceChildren(...STATE_TYPES.filter((t) => seen.has(t)).map((type) =>
      el("li", {}, el("span", { class: `rv-swatch rv-st-${type}`, "aria-hidden": "true" }), [...seen.get(type)].join(", "))));
  }

  drawTable(nodes, t0) {
    const ordered = [...nodes].sort((a, b) => a.x0 - b.x0 || a.y - b.y);
    const head = el("tr", {}, ...["Task run", "State", "Start", "Duration", "Upstream"].map((h) => el("th", { scope: "col" }, h)));
    const body = el("tbody");
    for (const item of ordered) {
      const { run } = item;
      const start = startTime(run);
      const upstream = upstreamOf(run).map(({ id, name }) => `${this.records.run(id)?.name ?? id} (${name})`);
      const open = el("button", { type: "button", class: "rv-link", "data-run-id": run.run_id }, nameOf(this.records, run));
      open.addEventListener("click", () => this.onOpen(run.run_id, open));
      body.append(el("tr", { "data-run-name": run.name },
        el("th", { scope: "row" }, open),
        el("td", {}, stateBadge(lastState(run))),
        el("td", { class: "rv-nowrap" }, start === null ? "never ran" : formatOffset(start - t0)),
        el("td", { class: "rv-nowrap" }, formatDuration(runTime(run, lastMoment(run)))),
        el("td", {}, upstream.length ? upstream.join(", ") : "—")));
    }
    this.table.replaceChildren(
      el("caption", {}, "The flow-run graph as a table"),
      el("thead", {}, head), body);
  }

  // -- the keyboard: one tab stop, arrows between bars ---------------------------------------

  wireKeys(svg) {
    const nodes = this.nodes;
    if (!nodes.length) return;
    const current = nodes.find((n) => n.run.run_id === this.focusId) ?? nodes[0];
    current.g.setAttribute("tabindex", "0");
    svg.addEventListener("focusin", (event) => {
      const g = event.target.closest?.(".rv-node");
      if (!g) return;
      for (const n of nodes) n.g.setAttribute("tabindex", n.g === g ? "0" : "-1");
      this.focusId = g.dataset.runId;
      g.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    });
    svg.addEventListener("click", (event) => {
      const g = event.target.closest?.(".rv-node");
      if (g) this.onOpen(g.dataset.runId, g);
    });
    svg.addEventListener("keydown", (event) => {
      const g = event.target.closest?.(".rv-node");
      if (!g) return;
      const at = nodes.findIndex((n) => n.g === g);
      const here = nodes[at];
      let next = null;
      if (event.key === "ArrowRight") next = nodes[at + 1];
      else if (event.key === "ArrowLeft") next = nodes[at - 1];
      else if (event.key === "Home") next = nodes[0];
      else if (event.key === "End") next = nodes[nodes.length - 1];
      else if (event.key === "ArrowDown" || event.key === "ArrowUp") next = nearestInRow(nodes, here, event.key === "ArrowDown" ? 1 : -1);
      else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.onOpen(g.dataset.runId, g);
        return;
      } else return;
      event.preventDefault();
      next?.g.focus();
    });
  }
}

/** The bar in the next row down (or up) that has one, nearest in time to `here`. */
function nearestInRow(nodes, here, direction) {
  const rows = [...new Set(nodes.map((n) => n.y))].sort((a, b) => a - b);
  const target = rows[rows.indexOf(here.y) + direction];
  if (target === undefined) return null;
  const centre = (here.x0 + here.x1) / 2;
  let best = null;
  for (const n of nodes) {
    if (n.y !== target) continue;
    const d = Math.abs((n.x0 + n.x1) / 2 - centre);
    if (!best || d < best.d) best = { n, d };
  }
  return best?.n ?? null;
}

/** The first row at or near `preferred` where `height` rows are free from `from` to `to`. */
function freeRow(rows, preferred, height, from, to) {
  const free = (r) => {
    for (let k = r; k < r + height; k += 1) if ((rows[k] ?? []).some(([a, b]) => a < to && from < b)) return false;
    return true;
  };
  for (let d = 0; d <= rows.length + height; d += 1) {
    if (free(preferred + d)) return preferred + d;
    if (d && preferred - d >= 0 && free(preferred - d)) return preferred - d;
  }
  return rows.length;
}

function flatten(group, depthRow = 0, out = []) {
  for (const item of group.items) {
    const placed = { ...item, row: item.row + depthRow };
    out.push(placed);
    if (item.open && item.nested) flatten(item.nested, placed.row + 1, out);
  }
  return out;
}

/** The runs a task run took inputs from, each with the input's name (a parameter, or wait_for). */
export function upstreamOf(run) {
  const out = [];
  const inputs = run?.task_inputs && typeof run.task_inputs === "object" ? run.task_inputs : {};
  for (const [name, ids] of Object.entries(inputs)) {
    for (const id of Array.isArray(ids) ? ids : []) if (typeof id === "string") out.push({ id, name });
  }
  return out;
}

/** What a bar is called: a task run's name, or for a subflow its flow and flow run. */
export function nameOf(records, run) {
  const child = records.subflow(run);
  return child ? `${child.owner} › ${child.name}` : run.name;
}

function labelOf(records, run) {
  return `${nameOf(records, run)} · ${lastState(run)?.name ?? "no state"}`;
}

function describe(records, item) {
  const { run, child } = item;
  const state = lastState(run)?.name ?? "no state";
  const start = startTime(run);
  const what = child ? `Subflow run ${child.name} of flow ${child.owner}` : `Task run ${run.name}`;
  const ran = start === null ? "never ran" : `ran ${formatDuration(runTime(run, lastMoment(run)))}`;
  const inputs = upstreamOf(run).map(({ id }) => records.run(id)?.name).filter(Boolean);
  const from = inputs.length ? `, inputs from ${[...new Set(inputs)].join(", ")}` : "";
  const shown = child ? (item.open ? ", its task runs shown below" : ", its task runs hidden") : "";
  return `${what}: ${state}, ${ran}${from}${shown}`;
}

export function typeOf(state) {
  const type = String(state?.type ?? "PENDING").toUpperCase();
  return STATE_TYPES.includes(type) ? type : "PENDING";
}

/** A state as Prefect's UI badges it: its name, in its type's colours. */
export function stateBadge(state) {
  return el("span", { class: `rv-badge rv-badge-${typeOf(state)}` }, state?.name ?? "No state");
}

function tickLabel(seconds, step) {
  if (step >= 3600) return `${Math.round(seconds / 3600)}h`;
  if (step >= 60) return `${Math.round(seconds / 60)}m`;
  if (step >= 1) return `${Math.round(seconds)}s`;
  if (step >= 0.1) return `${seconds.toFixed(1)}s`;
  return `${Math.round(seconds * 1000)}ms`;
}

let canvas = null;
function textMeasurer(root) {
  const style = getComputedStyle(root);
  const font = `12px ${style.fontFamily || "sans-serif"}`;
  canvas ??= typeof document.createElement === "function" ? document.createElement("canvas") : null;
  const ctx = canvas?.getContext?.("2d");
  if (!ctx) return (text) => text.length * 7;
  ctx.font = font;
  return (text) => Math.ceil(ctx.measureText(text).width);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}
