// The page's terminal (web/terminal.js) is a bundle of its own, loaded on first need: when the
// learner opens it (its button at the bottom of the window, or a link to #terminal). Until then
// the page carries only this and the button (templates/lesson.html), so Run-ready is not slower.
// Its URL is the body's data-terminal-url.

let module = null;

export function loadTerminal() {
  module ??= import(new URL(document.body.dataset.terminalUrl, document.baseURI).href).catch((err) => {
    module = null; // a failed download: the next need tries again
    throw err;
  });
  return module;
}

/**
 * Show the terminal's button on a page that can run code, and open the terminal on a click, or
 * when the address is #terminal (a lesson links to it with [the terminal](#terminal)).
 * `snippets` are the page's Snippets: `python FILE.py` in the terminal runs one of them.
 */
export function watchTerminal(host, snippets) {
  const dock = document.querySelector("[data-terminal]");
  if (!dock) return;
  const toggle = dock.querySelector("[data-terminal-toggle]");
  let terminal = null;
  const open = () => {
    toggle.setAttribute("aria-busy", "true");
    return loadTerminal().then(({ Terminal }) => {
      terminal ??= new Terminal(dock, host, snippets);
      terminal.open();
    }, () => {
      toggle.title = "The terminal could not be loaded: check the connection and try again.";
    }).finally(() => toggle.removeAttribute("aria-busy"));
  };
  toggle.addEventListener("click", () => (terminal?.isOpen ? terminal.close() : open()));
  toggle.addEventListener("pointerenter", () => loadTerminal().catch(() => {}), { once: true });
  const fromAddress = () => {
    if (location.hash === "#terminal") open();
  };
  addEventListener("hashchange", fromAddress);
  dock.hidden = false;
  fromAddress();
}
