// Reading the session's store (sim_prefect/store.py's Store.to_dict(), kept by web/host.js)
// as Prefect's UI reads its server: a flow run's task runs, its subflows, its logs (its task
// runs' included, as `prefect flow-run logs` gives them), its artifacts, and each run's
// times as Prefect counts them. Nothing here copies the records: an index of ids over the
// store's own objects, made once per store.

const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };
const indexes = new WeakMap();

/** The store's runs by id and by owner, made once per store object. */
export function recordsOf(store) {
  let index = indexes.get(store);
  if (!index) {
    index = new Records(store);
    indexes.set(store, index);
  }
  return index;
}

export class Records {
  constructor(store) {
    this.store = store;
    this.byId = new Map();
    this.tasksOf = new Map(); // flow run id -> its task runs, in creation order
    this.subflowOf = new Map(); // a subflow's tracking task run id -> the subflow's flow run
    for (const run of Array.isArray(store?.runs) ? store.runs : []) {
      if (!run || typeof run.run_id !== "string") continue;
      this.byId.set(run.run_id, run);
      if (run.kind === "task" && run.flow_run_id) push(this.tasksOf, run.flow_run_id, run);
      if (run.kind === "flow" && run.parent_task_run_id) this.subflowOf.set(run.parent_task_run_id, run);
    }
  }

  run(id) {
    return this.byId.get(id) ?? null;
  }

  flowRuns() {
    return [...this.byId.values()].filter((run) => run.kind === "flow");
  }

  taskRuns(flowRunId) {
    return this.tasksOf.get(flowRunId) ?? [];
  }

  /** The flow run a subflow's tracking task run stands for (null for any other task run). */
  subflow(taskRun) {
    return taskRun.tracks === "subflow" ? this.subflowOf.get(taskRun.run_id) ?? null : null;
  }

  /** A flow run's logs, its task runs' included, oldest first (`prefect flow-run logs`). */
  logs(flowRunId) {
    const logs = Array.isArray(this.store?.logs) ? this.store.logs : [];
    return logs.filter((log) => {
      if (log.run_kind === "task") return this.byId.get(log.run_id)?.flow_run_id === flowRunId;
      return log.run_id === flowRunId;
    });
  }

  /** Artifacts made in a flow run or in its task runs, in order. */
  artifacts(flowRunId) {
    const artifacts = Array.isArray(this.store?.artifacts) ? this.store.artifacts : [];
    return artifacts.filter((a) => a.flow_run_id === flowRunId || this.byId.get(a.task_run_id)?.flow_run_id === flowRunId);
  }

  /** The deployment a flow run was made from (null for a flow called in a script). */
  deployment(run) {
    const deployments = Array.isArray(this.store?.deployments) ? this.store.deployments : [];
    return run.deployment_id ? deployments.find((d) => d.id === run.deployment_id) ?? null : null;
  }
}

function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// -- a run's states and times, as Prefect's API gives them ---------------------------------

export function states(run) {
  return Array.isArray(run?.states) ? run.states : [];
}

export function lastState(run) {
  const all = states(run);
  return all.length ? all[all.length - 1] : null;
}

/** Prefect's start_time: when it first ran (null if it never did). */
export function startTime(run) {
  return states(run).find((s) => s.type === "RUNNING")?.timestamp ?? null;
}

/** Prefect's end_time: when it reached a final state (null while it is not in one). */
export function endTime(run) {
  const last = lastState(run);
  return last?.final ? last.timestamp : null;
}

/** When a run is expected to start: its schedule's time, or when it was created. */
export function expectedStart(run) {
  return typeof run.expected_start === "number" ? run.expected_start : run.created;
}

/** The last moment the store knows of in a run's history. */
export function lastMoment(run) {
  const last = lastState(run);
  return last ? last.timestamp : run.created;
}

/**
 * Prefect's total_run_time, the Duration its UI shows: the time spent in Running states
 * (a retry's wait is not counted). A run still running counts up to `now`.
 */
export function runTime(run, now) {
  let total = 0;
  const all = states(run);
  all.forEach((state, i) => {
    if (state.type !== "RUNNING") return;
    const until = i + 1 < all.length ? all[i + 1].timestamp : now;
    if (typeof until === "number") total += Math.max(0, until - state.timestamp);
  });
  return total;
}

/** A run that has not started and is waiting for its time (Scheduled, Late, Pending, AwaitingRetry...). */
export function isWaiting(run) {
  const type = lastState(run)?.type;
  return (type === "SCHEDULED" || type === "PENDING") && startTime(run) === null;
}

export function levelNumber(level) {
  return typeof level === "number" ? level : LEVELS[String(level).toUpperCase()] ?? 0;
}

// -- formatting -------------------------------------------------------------------------------

/** A duration as Prefect's UI writes it ("10s", "1m 5s", "2h 3m"), with hundredths below 10 s. */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 10) return `${seconds.toFixed(2)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return rest ? `${m}m ${rest}s` : `${m}m`;
  return `${rest}s`;
}

/** A moment as "2024/05/01 09:30:02" in the reader's time zone (Prefect's UI: dateTimeNumeric). */
export function formatDateTime(epochSeconds, { ms = false } = {}) {
  if (typeof epochSeconds !== "number") return "—";
  const d = new Date(epochSeconds * 1000);
  const two = (n) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return ms ? `${text}.${String(d.getMilliseconds()).padStart(3, "0")}` : text;
}

/** Seconds since a moment, as the graph's axis and the state history show it: "+10.001 s". */
export function formatOffset(seconds) {
  return `+${Math.max(0, seconds).toFixed(3)} s`;
}

/** A log line's time of day, "09:30:02.123". */
export function formatClock(epochSeconds) {
  if (typeof epochSeconds !== "number") return "—";
  return formatDateTime(epochSeconds, { ms: true }).slice(11);
}
