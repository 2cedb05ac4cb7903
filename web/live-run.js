// A Run that keeps going, as its snippet shows it: serving deployments (until Stop, as until Ctrl-C at
// home), with the speed of the session's clock, and a flow run paused for a person, with the form its
// RunInput describes. Loaded on the first such Run (snippet.js); the Python side is playground/serving.py.
//
// Every control goes to the Run through the host (`host.control`): the speed, and a paused run's answer.
// What the form checks is nothing: the values go as typed, and the errors shown are those Prefect's
// validation gives (the server's reason for refusing the resume), as in Prefect's UI.

const SPEEDS = [1, 60, 3600]; // playground/serving.py's SPEEDS

export class LiveRun {
  /** `root`: the panel's element (empty); `host`: the page's PythonHost; `handle`: the Run's. */
  constructor(root, host, handle, filename) {
    this.root = root;
    this.host = host;
    this.handle = handle;
    this.filename = filename;
    this.forms = new Map(); // flow run id -> its form's element
    this.servingEl = null;
  }

  /** One of the Run's messages of type "serving" or "paused". */
  take(message) {
    if (message.type === "serving") this.serving(message);
    else if (message.type === "paused") this.paused(message);
    this.root.hidden = !this.servingEl && this.forms.size === 0;
  }

  serving(message) {
    this.servingEl?.remove();
    this.servingEl = null;
    if (!message.active) return;
    const names = (message.deployments ?? []).map((n) => `'${n}'`).join(", ");
    const box = el("div", { class: "live-serving", role: "group", "aria-label": `Serving ${this.filename}` });
    const text = message.endless
      ? `Serving ${names}. Stop ends it, as Ctrl-C does at home. Start a run from the Terminal with prefect deployment run.`
      : `Serving ${names} until the end the script set.`;
    box.append(el("p", { class: "live-note" }, text));
    if (!message.reachable) box.append(el("p", { class: "live-note" }, "This browser cannot reach Python while it waits: the speed and the Terminal cannot reach this Run."));
    if (message.endless && message.reachable) box.append(this.speedControl(message.speed));
    this.servingEl = box;
    this.root.prepend(box);
  }

  speedControl(current) {
    const field = el("fieldset", { class: "live-speed" }, el("legend", {}, "Clock speed"));
    const name = `speed-${Math.random().toString(36).slice(2)}`;
    for (const speed of SPEEDS) {
      const input = el("input", { type: "radio", name, value: String(speed) });
      input.checked = speed === current;
      input.addEventListener("change", () => {
        if (!input.checked) return;
        this.host.setSpeed(speed);
        this.host.control(this.handle, { speed });
      });
      field.append(el("label", {}, input, ` ${speed}×`));
    }
    field.append(el("span", { class: "live-note" }, " session seconds per real second"));
    return field;
  }

  paused(message) {
    const id = String(message.flow_run_id ?? "");
    this.forms.get(id)?.remove();
    this.forms.delete(id);
    if (!message.form) return;
    const form = this.form(id, message.form);
    this.forms.set(id, form);
    this.root.append(form);
  }

  /** The form of a paused run: a field per RunInput field, or a lone Resume button without input. */
  form(id, spec) {
    const record = this.host.store?.runs?.find((r) => r.run_id === id);
    const name = record?.name ?? id;
    const form = el("form", { class: "live-pause", "aria-label": `Resume flow run ${name}` });
    form.append(el("p", { class: "live-title" }, `Flow run '${name}' is paused`));
    if (spec.description) form.append(el("p", { class: "live-description" }, ...markdownBold(String(spec.description))));
    const seconds = Number(spec.timeout);
    const speed = this.host.speed;
    form.append(el("p", { class: "live-note" },
      `It times out after ${seconds} s of the session's clock (${real(seconds / speed)} at ${speed}×), and looks for an answer every ${spec.poll_interval} s.`));
    const inputs = [];
    for (const field of spec.fields ?? []) {
      const inputId = `${id}-${field.name}-${Math.random().toString(36).slice(2, 7)}`;
      const input = control(field, inputId);
      inputs.push([field, input]);
      const label = el("label", { for: inputId }, field.title ?? field.name, field.required ? " (required)" : "");
      const row = el("div", { class: "live-field" }, label, input);
      if (field.description) row.append(el("span", { class: "live-note" }, String(field.description)));
      form.append(row);
    }
    const errors = el("p", { class: "live-errors", role: "alert" });
    const button = el("button", { type: "submit", class: "btn btn-run" }, "Resume");
    form.append(button, errors);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      errors.textContent = "";
      const values = spec.schema ? Object.fromEntries(inputs.map(([field, input]) => [field.name, value(field, input)]).filter(([, v]) => v !== undefined)) : null;
      const answer = await this.host.control(this.handle, { resume: id, values });
      button.disabled = false;
      if (answer.ok) {
        form.replaceChildren(el("p", { class: "live-note", role: "status" }, `Resumed: the run goes on at its next look (every ${spec.poll_interval} s of the session's clock).`));
      } else {
        errors.textContent = (answer.errors ?? [answer.error?.summary ?? "The run could not be resumed."]).join("\n");
      }
    });
    return form;
  }
}

/** The input for a RunInput field: a list for a boolean or an enum, else a text box (numbers as typed). */
function control(field, id) {
  const types = [].concat(field.type ?? []);
  const choices = field.enum ?? (types.includes("boolean") ? ["true", "false"] : null);
  const initial = field.default === null || field.default === undefined ? "" : String(field.default);
  if (choices) {
    const select = el("select", { id });
    if (initial === "") select.append(el("option", { value: "" }, "(choose)"));
    for (const choice of choices) select.append(el("option", { value: String(choice) }, String(choice)));
    select.value = initial; // the form starts from the run's initial data, as Prefect's UI does
    return select;
  }
  const input = el("input", { id, type: "text", autocomplete: "off" });
  input.value = typeof field.default === "object" && field.default !== null ? JSON.stringify(field.default) : initial;
  return input;
}

/** A description's text with its **bold** parts bold (the rest of Markdown shows as written). */
function markdownBold(text) {
  return text.split("**").map((part, i) => (i % 2 ? el("strong", {}, part) : part));
}

/** What a field's input says, as JSON would (left empty: the field's default, by leaving it out). */
function value(field, input) {
  const text = input.value;
  if (text === "") return undefined;
  const types = [].concat(field.type ?? []);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  if ((types.includes("integer") || types.includes("number")) && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (types.includes("object") || types.includes("array")) {
    try {
      return JSON.parse(text);
    } catch {
      return text; // Prefect's validation says what is wrong with it
    }
  }
  return text;
}

function real(seconds) {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds * 10) / 10} s`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, v] of Object.entries(attrs)) node.setAttribute(key, v);
  for (const child of children) node.append(child);
  return node;
}
