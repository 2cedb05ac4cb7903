// The code editor: CodeMirror 6 with the Python grammar, and only the pieces a
// lesson needs (each import costs bytes in the one page bundle).
//
// Keys: Ctrl/Cmd-Enter runs; Tab indents; Escape then Tab leaves the editor
// (CodeMirror's tab-focus escape, announced in the editor's label); Ctrl/Cmd-/
// comments a line; Ctrl/Cmd-Z undoes.

import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, keymap, lineNumbers, highlightActiveLineGutter } from "@codemirror/view";
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import {
  history, historyKeymap, indentLess, indentMore, indentWithTab, insertNewlineAndIndent,
  standardKeymap, toggleComment,
} from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { classHighlighter } from "@lezer/highlight";

// -- the failing line: a line decoration that the next edit clears ------------------

const setErrorLine = StateEffect.define();
const errorLineMark = Decoration.line({ class: "cm-error-line", attributes: { "data-error-line": "" } });

const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setErrorLine)) {
        const line = effect.value;
        if (line === null || line < 1 || line > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([errorLineMark.range(tr.state.doc.line(line).from)]);
      }
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Mount an editor in `parent`, replacing what is there (the Pygments fallback).
 * Returns a small facade so the rest of the page never touches CodeMirror directly.
 */
export function createEditor({ parent, doc, label, describedBy, onRun, onChange }) {
  const runKey = {
    key: "Mod-Enter",
    run: () => {
      onRun();
      return true;
    },
  };
  const view = new EditorView({
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        indentOnInput(),
        bracketMatching(),
        pythonLanguage,
        syntaxHighlighting(classHighlighter),
        errorLineField,
        keymap.of([
          runKey,
          { key: "Enter", run: insertNewlineAndIndent },
          { key: "Mod-/", run: toggleComment },
          { key: "Mod-[", run: indentLess },
          { key: "Mod-]", run: indentMore },
          indentWithTab,
          ...historyKeymap,
          ...standardKeymap,
        ]),
        EditorView.contentAttributes.of({
          "aria-label": label,
          "aria-describedby": describedBy,
          tabindex: "0", // focusable as far as checkers know (contenteditable already is)
          autocapitalize: "off",
          autocorrect: "off",
          spellcheck: "false",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange();
        }),
      ],
    }),
  });
  parent.replaceChildren(view.dom);
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    set code(value) {
      // One transaction, so the editor's own undo (Ctrl-Z) can also take it back.
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    markError(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
      if (line) {
        const pos = view.state.doc.line(Math.min(line, view.state.doc.lines)).from;
        view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: "nearest" }) });
      }
    },
    clearError() {
      view.dispatch({ effects: setErrorLine.of(null) });
    },
    focus() {
      view.focus();
    },
  };
}
