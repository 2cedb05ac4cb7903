// A run's output: streamed in order, inserted as text only (textContent and text
// nodes, never innerHTML), coloured with the segments Prefect's highlighter gave,
// and capped so a flood cannot take the page down.

const MAX_LINES = 2000;
const MAX_CHARS = 150_000; // the worker caps at 100,000; this is the page's own safety net

export class OutputView {
  constructor(pre, label) {
    this.pre = pre;
    this.label = label;
    this.queue = [];
    this.frame = 0;
    this.reset();
  }

  reset() {
    this.endsWithNewline = true;
    this.lines = 0;
    this.chars = 0;
    this.capped = false;
  }

  clear(labelText = "Output") {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queue = [];
    this.reset();
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
    this.push([{ type: "notice", text, page: true }]);
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
      } else if (first.nodeName === "SPAN" && last.nodeName === "SPAN" && first.className === "stderr" && last.className === "stderr") {
        last.textContent += first.textContent;
        first.remove();
      }
    }
    this.pre.append(fragment);
  }

  render(message, into) {
    if (message.type === "notice") {
      if (this.capped && !message.page) return;
      if (!message.page) this.capped = true; // the runner's (or worker's) own cap notice
      this.addText(`${this.endsWithNewline ? "" : "\n"}[${message.text}]\n`, "notice");
      this.endsWithNewline = true;
      return;
    }
    if (message.type === "event" || this.capped) return;
    const text = message.text ?? "";
    this.lines += countNewlines(text);
    this.chars += text.length;
    if (this.lines > MAX_LINES || this.chars > MAX_CHARS) {
      this.capped = true;
      const limit = this.lines > MAX_LINES ? `${MAX_LINES.toLocaleString("en")} lines` : `${MAX_CHARS.toLocaleString("en")} characters`;
      this.addText(`${this.endsWithNewline ? "" : "\n"}[Output stopped after ${limit}; the rest of the run continued without showing its output.]\n`, "notice");
      return;
    }
    if (text) this.endsWithNewline = text.endsWith("\n");
    if (message.type === "log" && Array.isArray(message.segments)) {
      this.emitPending();
      for (const [chunk, style] of message.segments) {
        into.append(style ? span(`log-${style}`, chunk) : document.createTextNode(chunk));
      }
    } else {
      this.addText(text, message.type === "stderr" ? "stderr" : null);
    }
  }
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

function countNewlines(text) {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n += 1;
  return n;
}
