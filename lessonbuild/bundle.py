"""The page's JavaScript, bundled for the browser by esbuild (npm ``esbuild``).

Five entry points, each one minified ES module:

- ``web/page.js``: the page's own code (worker host, snippets, output, timeline),
  small, so the Python worker starts as early as possible;
- ``web/editor.js``: CodeMirror 6 from node_modules, which the page imports
  when an editor is first needed (its URL is the body's ``data-editor-url``);
- ``web/run-view.js``: the run view and the runs list (web/run-view-loader.js
  imports it after the first Run that made a flow run; its URL is the body's
  ``data-run-view-url``);
- ``web/terminal.js``: the page's terminal (web/terminal-loader.js imports it
  when the learner opens it; its URL is the body's ``data-terminal-url``);
- ``web/worker.js``: the worker. Pyodide itself is not bundled: the worker
  imports it at run time from ``pyodide/`` (or the CDN).

The bundles are build outputs: recipe.py fingerprints them into ``_site/assets``;
nothing generated is committed. esbuild is installed by ``npm ci`` from
package-lock.json, like the rest of the front-end dependencies.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import BuildError

# Browsers with module workers, TransformStream and CodeMirror 6's own baseline.
TARGET = "es2020"


def esbuild_path(project_root: Path) -> Path:
    return project_root / "node_modules" / ".bin" / "esbuild"


def bundle(entry: Path, project_root: Path, fmt: str = "esm") -> bytes:
    """One entry module and everything it imports, minified: an ES module, or a classic script (iife)."""
    esbuild = esbuild_path(project_root)
    rel = entry.relative_to(project_root).as_posix()
    if not esbuild.exists():
        raise BuildError(rel, None, "esbuild is not installed; run `npm ci` (or `make build`)")
    command = [
        str(esbuild),
        rel,
        "--bundle",
        f"--format={fmt}",
        "--minify",
        f"--target={TARGET}",
        "--legal-comments=none",
        "--charset=utf8",
        "--log-level=warning",
        # CodeMirror's styles go into a constructed stylesheet, which the page's CSP allows.
        "--alias:style-mod=./web/style-mod-csp.js",
    ]
    try:
        proc = subprocess.run(command, cwd=project_root, capture_output=True, check=False, timeout=120)
    except OSError as exc:
        raise BuildError(rel, None, f"could not run esbuild: {exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"esbuild exited with {proc.returncode}"
        raise BuildError(rel, None, f"bundling failed:\n{message}")
    return proc.stdout


def page_script(web_dir: Path, project_root: Path) -> bytes:
    # A classic script, loaded from <head> without defer: it starts the Python worker
    # before the browser parses and lays out the lesson (that can take 100+ ms on a busy machine).
    return bundle(web_dir / "page.js", project_root, "iife")


def worker_script(web_dir: Path, project_root: Path) -> bytes:
    return bundle(web_dir / "worker.js", project_root)


def editor_script(web_dir: Path, project_root: Path) -> bytes:
    return bundle(web_dir / "editor.js", project_root)


def run_view_script(web_dir: Path, project_root: Path) -> bytes:
    return bundle(web_dir / "run-view.js", project_root)


def terminal_script(web_dir: Path, project_root: Path) -> bytes:
    return bundle(web_dir / "terminal.js", project_root)
