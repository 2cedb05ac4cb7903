// CodeMirror injects its base theme with style-mod, which writes a <style> tag
// into a document's head; our Content-Security-Policy (style-src 'self') blocks
// that. For shadow roots style-mod uses a constructed stylesheet
// (adoptedStyleSheets) instead, which CSP allows. This wrapper hands style-mod a
// stand-in for the document that has no <head>, so it takes that path for the
// page too. lessonbuild/bundle.py aliases the bare "style-mod" import to this file.

import { StyleModule as Base } from "../node_modules/style-mod/src/style-mod.js";

const standIns = new WeakMap();

function adoptable(root) {
  if (!root.head || !("adoptedStyleSheets" in root)) return root;
  let standIn = standIns.get(root);
  if (!standIn) {
    standIn = {
      ownerDocument: root,
      get adoptedStyleSheets() {
        return root.adoptedStyleSheets;
      },
      set adoptedStyleSheets(sheets) {
        root.adoptedStyleSheets = sheets;
      },
    };
    standIns.set(root, standIn);
  }
  return standIn;
}

export class StyleModule extends Base {
  static mount(root, modules, options) {
    return Base.mount(adoptable(root), modules, options);
  }
}
