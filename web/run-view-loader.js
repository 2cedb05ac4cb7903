// The run view and the runs list (web/run-view.js) are a bundle of their own, loaded on first
// need: after the first Run that made a flow run. The page's own script stays small, so the
// Python worker starts sooner. Its URL is the body's data-run-view-url.

let module = null;

export function loadRunView() {
  module ??= import(new URL(document.body.dataset.runViewUrl, document.baseURI).href).catch((err) => {
    module = null; // a failed download: the next need tries again
    throw err;
  });
  return module;
}

/**
 * The page's runs panel ("Runs on this page"): shown where the page can run code, and drawn
 * from the host's store each time that changes (a Run that ended, or Clear).
 */
export function watchRuns(host) {
  const panel = document.querySelector("[data-runs-panel]");
  if (!panel) return;
  panel.hidden = false;
  let drawn = null;
  host.subscribe(() => {
    if (host.store === drawn) return;
    drawn = host.store;
    if (drawn || module) loadRunView().then(({ showRuns }) => showRuns(panel, host), () => {});
  });
}
