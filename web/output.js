// A Run's output: streamed in order and inserted as text only (text nodes and
// textContent, never innerHTML). Prefect's log colours and a program's own ANSI
// colours arrive as segments, [text, classes], made by playground/ (runner.py,
// ansi.py); they become spans with those classes. The runner already capped the
// text (playground/output.py holds the one cap and its notice), so this view
// draws what it is given.

export class OutputView {
  constructor(pre, label) {
    this.pre = pre;
    this.label = label;
    this.queue = [];
    this.frame = 0;
    this.endsWithNewline = true;
  }

  clear(labelText = "Output") {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queue = [];
    this.endsWithNewline = true;
    this.pre.replaceChildren();
    this.label.textContent = labelText;
  }

  /** Queue runner messages; they reach the DOM on the next frame, in one insertion. */
  push(messages) {
    for (const message of messages) this.queue.push(message);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Append something the page says about the run (not the learner's output). */
  notice(text) {
    this.push([{ type: "notice", text }]);
  }

  flush() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.queue.length) return;
    const pre = this.pre;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    const fragment = document.createDocumentFragment();
    this.pending = { text: "", cls: null, into: fragment };
    for (const message of this.queue.splice(0)) this.render(message, fragment);
    this.emitPending();
    this.appendMerged(fragment);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  /** Consecutive text of one kind becomes one node: a flood of print(end="") stays light. */
  addText(text, cls) {
    if (this.pending.cls !== cls) this.emitPending();
    this.pending.cls = cls;
    this.pending.text += text;
  }

  emitPending() {
    const { text, cls, into } = this.pending;
    if (text) into.append(cls ? span(cls, text) : document.createTextNode(text));
    this.pending.text = "";
  }

  /** Append, continuing the last node when it is the same kind of text. */
  appendMerged(fragment) {
    const first = fragment.firstChild;
    const last = this.pre.lastChild;
    if (first && last) {
      if (first.nodeType === Node.TEXT_NODE && last.nodeType === Node.TEXT_NODE) {
        last.appendData(first.data);
        first.remove();
      } else if (first.nodeName === "SPAN" && last.nodeName === "SPAN" && first.className === last.className) {
        last.textContent += first.textContent;
        first.remove();
      }
    }
    this.pre.append(fragment);
  }

  render(message, into) {
    const text = typeof message.text === "string" ? message.text : "";
    if (message.type === "notice") {
      this.addText(`${this.endsWithNewline ? "" : "\n"}[${text}]\n`, "notice");
      this.endsWithNewline = true;
      return;
    }
    if (!["stdout", "stderr", "log"].includes(message.type) || !text) return;
    this.endsWithNewline = text.endsWith("\n");
    const base = message.type === "stderr" ? "stderr" : null;
    if (!Array.isArray(message.segments)) {
      this.addText(text, base);
      return;
    }
    for (const [chunk, style] of message.segments) {
      if (typeof chunk !== "string") continue;
      const cls = [base, ...classesOf(message.type, style)].filter(Boolean).join(" ") || null;
      this.addText(chunk, cls);
    }
  }
}

/** CSS classes for a segment's style: Prefect's log styles (log-...) or ANSI ones (ansi-...). */
function classesOf(type, style) {
  if (typeof style !== "string" || !style) return [];
  if (type === "log") return [`log-${style}`.replace(/[^\w-]/g, "")];
  return style.split(/\s+/).filter((c) => /^ansi-[\w-]+$/.test(c));
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}
