// The run view's styles (web/run-view.js adopts them as a constructed stylesheet when it
// loads), kept out of style.css so that the page reaches Run-ready without them. They use
// style.css's custom properties (--fg, --line, --focus...), so light and dark follow it.
//
// State colours are Prefect's UI's (ui-v2/src/index.css), one per state type: the graph's bars
// take the shades its flow-run graph takes (light: 600-800; dark: 300, outlined in 600 so a
// bar stands out from the dark page), and a state badge is the -100 shade with darker text
// (one shade darker than Prefect's where its own falls under 4.5:1 on the badge).

export const CSS_TEXT = `
.run-view { margin-top: 0.9rem; border-top: 1px solid var(--line); padding-top: 0.6rem; min-width: 0; }
.run-view, .runs-panel {
  --rv-COMPLETED: #219d4b; --rv-RUNNING: #09439b; --rv-SCHEDULED: #e08504; --rv-PENDING: #554b58; --rv-PAUSED: #554b58;
  --rv-FAILED: #de0529; --rv-CRASHED: #ea580c; --rv-CANCELLED: #333333; --rv-CANCELLING: #334863; --rv-stroke: transparent;
  --rv-COMPLETED-bg: #c9f4e6; --rv-COMPLETED-fg: #187330; --rv-RUNNING-bg: #d9e0fd; --rv-RUNNING-fg: #09439b;
  --rv-SCHEDULED-bg: #fbfeda; --rv-SCHEDULED-fg: #ae5903; --rv-PENDING-bg: #f8f7f8; --rv-PENDING-fg: #726576;
  --rv-PAUSED-bg: #f8f7f8; --rv-PAUSED-fg: #726576; --rv-FAILED-bg: #fdcbb2; --rv-FAILED-fg: #ac042e;
  --rv-CRASHED-bg: #ffedd5; --rv-CRASHED-fg: #9a3412; --rv-CANCELLED-bg: #cccccc; --rv-CANCELLED-fg: #333333;
  --rv-CANCELLING-bg: #ccd2db; --rv-CANCELLING-fg: #334863; }
@media (prefers-color-scheme: dark) {
  .run-view, .runs-panel { --rv-COMPLETED: #407257; --rv-RUNNING: #3e5074; --rv-SCHEDULED: #74683e; --rv-PENDING: #59545f; --rv-PAUSED: #59545f;
    --rv-FAILED: #743e3e; --rv-CRASHED: #74553e; --rv-CANCELLED: #595959; --rv-CANCELLING: #4d5766;
    --rv-COMPLETED-bg: #1d3428; --rv-COMPLETED-fg: #85d6a9; --rv-RUNNING-bg: #1d2534; --rv-RUNNING-fg: #7c9dde;
    --rv-SCHEDULED-bg: #342f1d; --rv-SCHEDULED-fg: #e2ca78; --rv-PENDING-bg: #29262c; --rv-PENDING-fg: #ada4b7;
    --rv-PAUSED-bg: #29262c; --rv-PAUSED-fg: #ada4b7; --rv-FAILED-bg: #341d1d; --rv-FAILED-fg: #da8181;
    --rv-CRASHED-bg: #34271d; --rv-CRASHED-fg: #dea57c; --rv-CANCELLED-bg: #292929; --rv-CANCELLED-fg: #adadad;
    --rv-CANCELLING-bg: #23282f; --rv-CANCELLING-fg: #99aac2; }
  .run-view .rv-bar, .run-view .rv-band { stroke-width: 1; }
  .run-view .rv-st-COMPLETED { stroke: #85d6a9; } .run-view .rv-st-RUNNING { stroke: #7c9dde; }
  .run-view .rv-st-SCHEDULED { stroke: #e2ca78; } .run-view .rv-st-PENDING, .run-view .rv-st-PAUSED { stroke: #ada4b7; }
  .run-view .rv-st-FAILED { stroke: #da8181; } .run-view .rv-st-CRASHED { stroke: #dea57c; }
  .run-view .rv-st-CANCELLED { stroke: #adadad; } .run-view .rv-st-CANCELLING { stroke: #99aac2; }
}
.run-view .rv-st-COMPLETED { fill: var(--rv-COMPLETED); background: var(--rv-COMPLETED); }
.run-view .rv-st-RUNNING { fill: var(--rv-RUNNING); background: var(--rv-RUNNING); }
.run-view .rv-st-SCHEDULED { fill: var(--rv-SCHEDULED); background: var(--rv-SCHEDULED); }
.run-view .rv-st-PENDING { fill: var(--rv-PENDING); background: var(--rv-PENDING); }
.run-view .rv-st-PAUSED { fill: var(--rv-PAUSED); background: var(--rv-PAUSED); }
.run-view .rv-st-FAILED { fill: var(--rv-FAILED); background: var(--rv-FAILED); }
.run-view .rv-st-CRASHED { fill: var(--rv-CRASHED); background: var(--rv-CRASHED); }
.run-view .rv-st-CANCELLED { fill: var(--rv-CANCELLED); background: var(--rv-CANCELLED); }
.run-view .rv-st-CANCELLING { fill: var(--rv-CANCELLING); background: var(--rv-CANCELLING); }
.run-view .rv-badge, .rv-dialog .rv-badge, .runs-panel .rv-badge { display: inline-block; border-radius: 6px; padding: 0 0.45rem;
  font-size: 0.75rem; font-weight: 600; line-height: 1.5; white-space: nowrap; }
.rv-badge-COMPLETED { background: var(--rv-COMPLETED-bg); color: var(--rv-COMPLETED-fg); }
.rv-badge-RUNNING { background: var(--rv-RUNNING-bg); color: var(--rv-RUNNING-fg); }
.rv-badge-SCHEDULED { background: var(--rv-SCHEDULED-bg); color: var(--rv-SCHEDULED-fg); }
.rv-badge-PENDING { background: var(--rv-PENDING-bg); color: var(--rv-PENDING-fg); }
.rv-badge-PAUSED { background: var(--rv-PAUSED-bg); color: var(--rv-PAUSED-fg); }
.rv-badge-FAILED { background: var(--rv-FAILED-bg); color: var(--rv-FAILED-fg); }
.rv-badge-CRASHED { background: var(--rv-CRASHED-bg); color: var(--rv-CRASHED-fg); }
.rv-badge-CANCELLED { background: var(--rv-CANCELLED-bg); color: var(--rv-CANCELLED-fg); }
.rv-badge-CANCELLING { background: var(--rv-CANCELLING-bg); color: var(--rv-CANCELLING-fg); }
.run-view .rv-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.25rem 1rem; }
.run-view .rv-title { margin: 0; font-weight: 600; overflow-wrap: anywhere; flex: 1 1 16rem; }
.run-view .rv-all { font-size: 0.85rem; }
.run-view .rv-flow { color: var(--muted); font-weight: 500; }
.run-view .rv-picker { font-size: 0.85rem; display: inline-flex; align-items: center; gap: 0.35rem; max-width: 100%; }
.run-view select, .run-view input[type=search] { font: inherit; font-size: 0.85rem; color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.4rem; min-height: 2rem; max-width: 100%; min-width: 0; }
.run-view .rv-picker select { max-width: min(26rem, 100%); }
.run-view .rv-facts, .run-view .rv-hint, .rv-dialog .rv-hint, .runs-panel .rv-hint { color: var(--muted); font-size: 0.8rem; margin: 0.2rem 0 0.4rem; }
.run-view .rv-empty, .runs-panel .rv-empty { color: var(--muted); font-size: 0.85rem; margin: 0.4rem 0; }
.run-view figure { margin: 0.25rem 0 0.5rem; min-width: 0; }
.run-view .rv-graph-scroll { overflow-x: auto; overflow-y: hidden; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); max-width: 100%; }
.run-view .rv-svg { display: block; font-family: inherit; }
.run-view .rv-label { fill: var(--fg); font-size: 12px; }
.run-view .rv-tick { fill: var(--muted); font-size: 11px; }
.run-view .rv-grid { stroke: var(--line); stroke-width: 1; }
.run-view .rv-edge { fill: none; stroke: var(--muted); stroke-width: 1.5; }
.run-view .rv-edge.is-wait { stroke-dasharray: 5 3; }
.run-view .rv-arrow { fill: var(--muted); }
.run-view .rv-nest { fill: var(--panel); stroke: var(--line); stroke-width: 1; }
.run-view .rv-bar.is-open { opacity: 0.75; }
.run-view .rv-node { cursor: pointer; outline: none; }
.run-view .rv-hit { fill: transparent; stroke: none; }
.run-view .rv-node:hover .rv-hit { fill: var(--panel); }
.run-view .rv-node:focus .rv-hit { stroke: var(--focus); stroke-width: 3; }
.run-view .rv-node.is-subflow .rv-label { font-weight: 600; }
.run-view .rv-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; list-style: none; padding: 0; margin: 0.3rem 0; font-size: 0.8rem; }
.run-view .rv-legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
.run-view .rv-swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 3px; }
.run-view .rv-table-details { font-size: 0.85rem; margin: 0.25rem 0; }
.run-view .rv-table-details summary { cursor: pointer; color: var(--accent); }
.rv-table { display: table; font-size: 0.8rem; margin-top: 0.25rem; }
.rv-table caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
.rv-table th[scope=row] { font-weight: 500; white-space: nowrap; }
.rv-table th[scope=row] .rv-link { overflow-wrap: normal; }
.rv-nowrap { white-space: nowrap; }
.rv-table td, .rv-table th { padding: 0.3rem 0.5rem; }
.rv-rows tbody tr { cursor: pointer; }
.rv-rows tbody tr:hover { background: var(--panel); }
.rv-link { font: inherit; color: var(--accent); background: none; border: 0; padding: 0.1rem 0; text-align: left;
  cursor: pointer; text-decoration: underline; overflow-wrap: anywhere; min-height: 1.5rem; }
.rv-link[aria-current=true] { font-weight: 700; }
.rv-sub { display: block; color: var(--muted); font-size: 0.75rem; }
.run-view .rv-tabs { display: flex; flex-wrap: wrap; gap: 0 0.25rem; border-bottom: 1px solid var(--line); margin-top: 0.5rem; }
.run-view [role=tab] { font: inherit; font-size: 0.9rem; color: var(--muted); background: none; border: 0;
  border-bottom: 3px solid transparent; padding: 0.4rem 0.6rem; min-height: 2.25rem; cursor: pointer; margin-bottom: -1px; }
.run-view [role=tab][aria-selected=true] { color: var(--fg); border-bottom-color: var(--accent); font-weight: 600; }
.run-view [role=tab]:hover { color: var(--fg); }
.run-view .rv-panel { padding: 0.5rem 0 0.25rem; min-width: 0; }
.run-view .rv-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 0.5rem; font-size: 0.85rem; }
.run-view .rv-tools input[type=search] { flex: 1 1 10rem; }
.run-view .rv-count { color: var(--muted); font-size: 0.8rem; margin: 0.35rem 0; }
.run-view .rv-logs { list-style: none; margin: 0; padding: 0; max-height: 24rem; overflow: auto; border: 1px solid var(--line);
  border-radius: 8px; background: var(--bg); font-size: 0.8rem; }
.run-view .rv-log { display: grid; grid-template-columns: 5.5rem minmax(0, 1fr) auto; gap: 0.25rem 0.6rem; padding: 0.35rem 0.6rem;
  border-top: 1px solid var(--line); align-items: start; }
.run-view .rv-log:first-child { border-top: 0; }
.run-view .rv-msg { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
.run-view .rv-meta { display: grid; justify-items: end; color: var(--muted); font-size: 0.75rem; text-align: right; }
.run-view .rv-logger { font-weight: 600; overflow-wrap: anywhere; }
.run-view .rv-level { justify-self: start; border-radius: 6px; padding: 0 0.4rem; font-size: 0.72rem; font-weight: 700; }
.rv-level-DEBUG { background: var(--rv-PENDING-bg); color: var(--rv-PENDING-fg); }
.rv-level-INFO { background: var(--rv-RUNNING-bg); color: var(--rv-RUNNING-fg); }
.rv-level-WARNING { background: var(--rv-SCHEDULED-bg); color: var(--rv-SCHEDULED-fg); }
.rv-level-ERROR, .rv-level-CRITICAL { background: var(--rv-FAILED-bg); color: var(--rv-FAILED-fg); }
.run-view .rv-json { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0;
  max-height: 22rem; overflow: auto; font-size: 0.8rem; white-space: pre; }
.rv-dialog { width: min(44rem, calc(100vw - 1rem)); max-height: calc(100vh - 2rem); border: 1px solid var(--line); border-radius: 10px;
  background: var(--bg); color: var(--fg); padding: 0.75rem 1rem; }
.rv-dialog::backdrop { background: rgba(5, 8, 15, 0.55); }
.rv-dialog-head { display: flex; justify-content: space-between; align-items: start; gap: 0.75rem; }
.rv-dialog-title { font-weight: 700; margin: 0.2rem 0; overflow-wrap: anywhere; }
.rv-dialog .rv-table { width: 100%; }
.rv-dialog .rv-msg { white-space: pre-wrap; overflow-wrap: anywhere; }
.rv-dialog .btn { margin-top: 0.25rem; }
@media (max-width: 560px) {
  .run-view .rv-log { grid-template-columns: auto minmax(0, 1fr); }
  .run-view .rv-meta { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 0 0.6rem; justify-items: start; text-align: left; }
  .run-view [role=tab] { padding: 0.4rem 0.45rem; font-size: 0.85rem; }
}
`;
