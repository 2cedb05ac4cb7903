"""The page's JavaScript, bundled for the browser.

Today page.js and worker.js are plain ES modules, shipped as they are. When the
page needs npm packages (the CodeMirror editor), this is the one place that
runs esbuild over `web/` and returns the bundle's bytes; build.py only asks for
"the page script" and "the worker script".
"""

from __future__ import annotations

from pathlib import Path


def page_script(web_dir: Path, project_root: Path) -> bytes:
    return (web_dir / "page.js").read_bytes()


def worker_script(web_dir: Path, project_root: Path) -> bytes:
    return (web_dir / "worker.js").read_bytes()
