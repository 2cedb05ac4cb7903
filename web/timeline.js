// The state timeline: every flow run and task run over simulated time, drawn as
// SVG from the runner's structured events ("run" created, "state" changed), never
// from the printed text. Each state is a coloured segment, so a retry shows as an
// AwaitingRetry stretch and concurrent task runs sit side by side. A table gives
// the same facts to screen readers and to anyone who prefers text.
//
// Colours follow Prefect's UI: one colour per state *type* (ui-v2 stateTypeColors),
// so Retrying is drawn as Running and AwaitingRetry as Scheduled, as Prefect does.
// One state gets a colour of its own: Cached (a kind of Completed), because seeing
// which runs were skipped is the point of caching.

const SVG = "http://www.w3.org/2000/svg";
const TYPES = ["SCHEDULED", "PENDING", "RUNNING", "PAUSED", "COMPLETED", "CACHED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED"];
const OWN_COLOUR = { Cached: "CACHED" };
const colourOf = (state) => (state.type === "COMPLETED" && OWN_COLOUR[state.name]) || state.type;
const ROW_H = 24;
const STACKED_ROW_H = 34;
const STACK_BELOW = 520; // px of chart width
const BAR_H = 14;
const AXIS_H = 22;
const MIN_SEGMENT = 3;
const FINAL_SEGMENT = 7;
const MAX_ROWS = 60;
const MAX_TABLE_ROWS = 500;
const TICK_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

export class Timeline {
  constructor(root, idPrefix) {
    this.root = root;
    this.runs = new Map();
    this.frame = 0;
    this.finished = false;
    root.classList.add("timeline");
    root.setAttribute("role", "group");
    root.setAttribute("aria-labelledby", `${idPrefix}-timeline-title`);
    const title = el("p", { class: "timeline-title", id: `${idPrefix}-timeline-title` }, "State timeline");
    const hint = el("p", { class: "timeline-hint" }, "Each run's states over simulated time.");
    this.chart = el("div", { class: "timeline-chart" });
    this.legend = el("ul", { class: "timeline-legend", "aria-label": "Legend" });
    this.note = el("p", { class: "timeline-note" });
    this.note.hidden = true;
    this.table = el("table", { class: "timeline-table" });
    const details = el("details", { class: "timeline-details" });
    details.append(el("summary", {}, "Show the timeline as a table"), el("div", { class: "table-scroll" }, this.table));
    root.replaceChildren(title, hint, this.chart, this.legend, this.note, details);
    this.width = 0;
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => {
        const width = this.chart.clientWidth;
        if (width && width !== this.width && this.runs.size) this.schedule();
      }).observe(this.chart);
    }
  }

  reset() {
    this.runs.clear();
    this.finished = false;
    this.root.hidden = true;
    this.chart.replaceChildren();
    this.legend.replaceChildren();
    this.table.replaceChildren();
  }

  /** One runner event: {event: "run", run_id, kind, name, owner, parent_id, timestamp} or {event: "state", run_id, name, type, message, timestamp, final}. */
  add(event) {
    if (event.event === "run") {
      this.runs.set(event.run_id, {
        id: event.run_id, kind: event.kind, name: event.name, owner: event.owner,
        parent: event.parent_id, created: event.timestamp, states: [],
      });
    } else if (event.event === "state") {
      const run = this.runs.get(event.run_id);
      // Which states end a run is Python's to say (`final`, sim_prefect's State.to_dict), not a list of ours.
      if (run) run.states.push({ name: event.name, type: event.type, message: event.message, t: event.timestamp, final: event.final === true });
    } else {
      return;
    }
    this.schedule();
  }

  /** The run ended: draw the final picture now (open states end where the run stopped). */
  finish() {
    this.finished = true;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Runs in tree order: each flow run followed by its children, in creation order. */
  rows() {
    const children = new Map();
    const roots = [];
    for (const run of this.runs.values()) {
      if (run.parent && this.runs.has(run.parent)) {
        if (!children.has(run.parent)) children.set(run.parent, []);
        children.get(run.parent).push(run);
      } else {
        roots.push(run);
      }
    }
    const out = [];
    const walk = (run, depth) => {
      out.push({ run, depth });
      for (const child of children.get(run.id) || []) walk(child, depth + 1);
    };
    roots.forEach((run) => walk(run, 0));
    return out;
  }

  span() {
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const run of this.runs.values()) {
      t0 = Math.min(t0, run.created);
      t1 = Math.max(t1, run.created);
      for (const state of run.states) {
        t0 = Math.min(t0, state.t);
        t1 = Math.max(t1, state.t);
      }
    }
    return { t0, t1: Math.max(t1, t0 + 0.001) };
  }

  render() {
    if (!this.runs.size) return;
    this.root.hidden = false;
    const rows = this.rows();
    const { t0, t1 } = this.span();
    this.renderChart(rows.slice(0, MAX_ROWS), t0, t1);
    this.renderLegend();
    this.renderTable(rows.slice(0, MAX_TABLE_ROWS), t0);
    const hidden = rows.length - MAX_ROWS;
    this.note.hidden = hidden <= 0;
    this.note.textContent = hidden > 0 ? `The picture shows the first ${MAX_ROWS} of ${rows.length} runs; the table lists more.` : "";
  }

  renderChart(rows, t0, t1) {
    const width = Math.max(this.chart.clientWidth || 600, 200);
    this.width = width;
    // Narrow screens put each run's name above its bar, so names keep the whole width.
    const stacked = width < STACK_BELOW;
    const labelW = stacked ? 4 : Math.round(Math.min(190, Math.max(88, width * 0.3)));
    const rowH = stacked ? STACKED_ROW_H : ROW_H;
    const right = 10;
    const plotW = width - labelW - right;
    const height = AXIS_H + rows.length * rowH + 4;
    const x = (t) => labelW + ((t - t0) / (t1 - t0)) * plotW;
    const svg = svgEl("svg", {
      width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `State timeline of ${this.runs.size} run${this.runs.size === 1 ? "" : "s"} over ${formatSeconds(t1 - t0)} of simulated time; the table below lists every state.`,
    });
    // Time axis with round ticks.
    const step = TICK_STEPS.find((s) => (t1 - t0) / s <= Math.max(2, plotW / 80)) ?? 3600;
    for (let k = 0; k * step <= t1 - t0 + 1e-9; k += 1) {
      const tx = x(t0 + k * step);
      svg.append(svgEl("line", { class: "tl-grid", x1: tx, x2: tx, y1: AXIS_H - 4, y2: height }));
      svg.append(svgEl("text", { class: "tl-tick", x: tx, y: AXIS_H - 8, "text-anchor": k === 0 ? "start" : "middle" }, tickLabel(k * step, step)));
    }
    const labels = [];
    rows.forEach(({ run, depth }, i) => {
      const y = AXIS_H + i * rowH;
      const indent = Math.min(depth, 4) * 10;
      const text = svgEl("text", {
        class: `tl-label tl-${run.kind}`, x: 4 + indent, y: stacked ? y + 12 : y + rowH / 2 + 4, "data-run-name": run.name,
      }, run.name);
      labels.push({ text, room: (stacked ? width : labelW) - indent - 10, title: `${run.kind} run '${run.name}' (${run.kind} ${run.owner})` });
      svg.append(text);
      let cursor = -Infinity;
      run.states.forEach((state, j) => {
        const next = run.states[j + 1];
        const isLast = !next;
        const start = Math.max(x(state.t), cursor);
        let end;
        if (next) end = x(next.t);
        else if (state.final) end = start + FINAL_SEGMENT;
        else end = x(t1); // still in this state (or stopped in it)
        end = Math.max(end, start + MIN_SEGMENT);
        cursor = end;
        const rect = svgEl("rect", {
          class: `tl-seg st-${colourOf(state)}${isLast && !state.final && !this.finished ? " is-open" : ""}`,
          x: start, y: stacked ? y + 16 : y + (rowH - BAR_H) / 2, width: end - start, height: BAR_H, rx: 2,
          "data-state": state.name, "data-run-name": run.name,
        });
        const until = next ? ` until +${formatSeconds(next.t - t0)}` : "";
        rect.append(svgEl("title", {}, `${run.name}: ${state.name} from +${formatSeconds(state.t - t0)}${until}${state.message ? ` (${state.message})` : ""}`));
        svg.append(rect);
      });
    });
    this.chart.replaceChildren(svg);
    for (const { text, room, title } of labels) {
      fitLabel(text, room);
      text.append(svgEl("title", {}, title));
    }
  }

  renderLegend() {
    const byType = new Map();
    for (const run of this.runs.values()) {
      for (const state of run.states) {
        const colour = colourOf(state);
        if (!byType.has(colour)) byType.set(colour, new Set());
        byType.get(colour).add(state.name);
      }
    }
    const items = TYPES.filter((type) => byType.has(type)).map((type) => {
      const swatch = el("span", { class: `tl-swatch st-${type}`, "aria-hidden": "true" });
      return el("li", {}, swatch, [...byType.get(type)].join(", "));
    });
    this.legend.replaceChildren(...items);
  }

  renderTable(rows, t0) {
    const caption = el("caption", {}, "Every run's states, with the simulated time since the first event");
    const head = el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Run"), el("th", { scope: "col" }, "Kind"), el("th", { scope: "col" }, "States")));
    const body = el("tbody");
    for (const { run, depth } of rows) {
      const states = run.states.map((s) => `${s.name} +${formatSeconds(s.t - t0)}`).join(" → ");
      body.append(el("tr", {},
        el("th", { scope: "row" }, `${depth ? "· ".repeat(depth) : ""}${run.name}`),
        el("td", {}, `${run.kind} (${run.owner})`),
        el("td", {}, states || "—"),
      ));
    }
    this.table.replaceChildren(caption, head, body);
  }
}

/** Shorten a run's name with an ellipsis until it fits (the full name goes in its <title>). */
function fitLabel(text, room) {
  const name = text.textContent;
  if (typeof text.getComputedTextLength !== "function" || text.getComputedTextLength() <= room) return;
  let keep = name.length;
  while (keep > 3 && text.getComputedTextLength() > room) {
    keep -= 1;
    text.textContent = name.slice(0, keep) + "…";
  }
}

/** An axis label, as precise as the tick step. */
function tickLabel(seconds, step) {
  if (step >= 1) return `${Math.round(seconds)} s`;
  if (step >= 0.1) return `${seconds.toFixed(1)} s`;
  return `${Math.round(seconds * 1000)} ms`;
}

function formatSeconds(seconds) {
  return `${seconds.toFixed(3)} s`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
