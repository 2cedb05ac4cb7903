// Artifacts under a Run's output, as Prefect's UI shows them: markdown, tables,
// links and progress. playground/artifacts.py turns each into plain data; this
// builds elements from it with textContent only, from a fixed list of tags, so
// learner text never becomes markup. A link opens only http(s) and mailto
// addresses, in a new tab; an image artifact shows its address (the page loads
// nothing from other origins).

const BLOCKS = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote"]);
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

export class ArtifactsView {
  constructor(root) {
    this.root = root;
    this.cards = new Map(); // artifact id -> its progress bar, for updates
  }

  clear() {
    this.cards.clear();
    this.root.replaceChildren();
    this.root.hidden = true;
  }

  add(view) {
    if (view.update) {
      const bar = this.cards.get(view.id);
      if (bar) setProgress(bar, view.value);
      return;
    }
    const card = el("section", { class: "artifact" });
    const kind = { markdown: "Markdown", table: "Table", progress: "Progress", image: "Image" }[view.kind] ?? "Artifact";
    const title = el("p", { class: "artifact-title" }, kind + " artifact");
    if (typeof view.key === "string" && view.key) title.append(" ", el("code", {}, view.key));
    card.append(title);
    if (typeof view.description === "string" && view.description) card.append(el("p", { class: "artifact-description" }, view.description));
    if (view.kind === "markdown" && Array.isArray(view.blocks)) for (const block of view.blocks) card.append(blockOf(block));
    else if (view.kind === "table") card.append(tableOf(view.columns, view.rows));
    else if (view.kind === "progress") {
      const bar = el("progress", { class: "artifact-progress", max: "100" });
      setProgress(bar, view.value);
      this.cards.set(view.id, bar);
      card.append(bar);
    } else if (view.kind === "image") card.append(el("p", {}, `Image at ${String(view.url ?? "")} (not loaded in this page)`));
    this.root.append(card);
    this.root.hidden = false;
  }
}

function setProgress(bar, value) {
  const n = Math.max(0, Math.min(100, Number(value) || 0));
  bar.value = n;
  bar.textContent = `${n}%`;
  bar.setAttribute("aria-label", `Progress: ${n}%`);
}

function blockOf(block) {
  const tag = String(block.tag);
  if (BLOCKS.has(tag)) return inlineInto(el(tag), block.inline);
  if (tag === "ul" || tag === "ol") {
    const list = el(tag);
    for (const item of block.items ?? []) list.append(inlineInto(el("li"), item));
    return list;
  }
  if (tag === "pre") return el("pre", {}, String(block.text ?? ""));
  if (tag === "table") return tableOf((block.head ?? []).map((cell) => cell), block.rows ?? [], true);
  if (tag === "hr") return el("hr");
  return el("p", {}, "");
}

function tableOf(columns = [], rows = [], rich = false) {
  const table = el("table");
  const fill = (cell, value) => (rich ? inlineInto(cell, value) : (cell.textContent = String(value ?? ""), cell));
  if (columns.length) {
    const tr = el("tr");
    for (const column of columns) tr.append(fill(el("th", { scope: "col" }), column));
    table.append(el("thead", {}, tr));
  }
  const body = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const value of Array.isArray(row) ? row : [row]) tr.append(fill(el("td"), value));
    body.append(tr);
  }
  table.append(body);
  return el("div", { class: "table-scroll" }, table);
}

/** Text runs [text, mark, href] into `parent`: plain, strong, em, code or a link. */
function inlineInto(parent, runs) {
  for (const run of Array.isArray(runs) ? runs : []) {
    const [text, mark, href] = Array.isArray(run) ? run : [String(run), "", null];
    const value = String(text ?? "");
    if (mark === "strong" || mark === "em" || mark === "code") parent.append(el(mark, {}, value));
    else if (mark === "a" && typeof href === "string" && SAFE_HREF.test(href)) {
      parent.append(el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, value));
    } else parent.append(value);
  }
  return parent;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}
