"""The build's commands: ``python -m lessonbuild [options]`` (``make build``, ``make serve``, ...).

    python -m lessonbuild                    build _site/
    python -m lessonbuild --serve            build, serve on 127.0.0.1, rebuild and reload on change
    python -m lessonbuild --check            run every demo against its expected log; check exercises and links
    python -m lessonbuild --update-expected  rewrite the expected logs and print what changed
    python -m lessonbuild --strict           warnings fail the build; exercises are checked
    python -m lessonbuild --pyodide-cdn      load Pyodide from a pinned CDN URL with SRI hashes

Errors are one line that names the place, e.g.
``lesson/02-x.md:14: unknown option ':titel:' for '{runnable}' (did you mean 'title'?)``.
The build itself is `recipe.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from . import pyodide as pyodide_source
from .cache import BuildCache
from .demos import Demo, diff, find_demos, run_in_terminal
from .errors import BuildError
from .project import DEFAULT, Project
from .recipe import Builder, Options


# -- the other commands ---------------------------------------------------------------


def run_all(demos: list[Demo], project: Project) -> list[str]:
    """Each demo's terminal output, run side by side (each is its own process)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda demo: run_in_terminal(demo, project.code), demos))


def check_demos(project: Project) -> int:
    """Run every demo in CPython and compare it with its expected log; return the failures."""
    demos = find_demos(project.demo_dir)
    failures = 0
    for demo, actual in zip(demos, run_all(demos, project)):
        expected = demo.expected()
        rel = project.rel(demo.path)
        if expected is None:
            print(f"{rel}: no expected log ({demo.expected_path.name}); run `make update-expected`")
            failures += 1
        elif actual != expected:
            print(f"{rel}: output differs from {demo.expected_path.name}:")
            print(diff(expected, actual, demo.name), end="")
            failures += 1
        else:
            print(f"{rel}: ok")
    return failures


def update_expected(project: Project) -> int:
    """Rewrite each demo's expected log from a run; print the diff of each one that changed."""
    changed = 0
    demos = find_demos(project.demo_dir)
    for demo, actual in zip(demos, run_all(demos, project)):
        expected = demo.expected() or ""
        if actual != expected:
            demo.expected_path.write_text(actual, encoding="utf-8")
            changed += 1
            print(diff(expected, actual, demo.name), end="")
            print(f"updated {project.rel(demo.expected_path)}")
    print(f"{changed} expected log(s) changed. Review the diff above before committing.")
    return 0


def main(argv: list[str] | None = None, project: Project = DEFAULT, cache: BuildCache | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessonbuild", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1 and rebuild on change")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--check", action="store_true", help="compare demos with expected logs; check exercises and links")
    parser.add_argument("--update-expected", action="store_true", help="rewrite expected logs from the demos")
    parser.add_argument("--strict", action="store_true", help="warnings fail the build; exercises are checked")
    parser.add_argument(
        "--pyodide-cdn",
        nargs="?",
        const=pyodide_source.DEFAULT_CDN,
        metavar="URL",
        help=f"load Pyodide from a CDN with SRI hashes (default URL: {pyodide_source.DEFAULT_CDN})",
    )
    args = parser.parse_args(argv)
    options = Options(pyodide_cdn=args.pyodide_cdn, check_exercises=args.check or args.strict)
    try:
        if args.update_expected:
            return update_expected(project)
        failures = check_demos(project) if args.check else 0
        started = time.perf_counter()
        builder = Builder(project, options, cache)
        site = builder.build()
        for warning in site.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.strict and site.warnings:
            print(f"error: {len(site.warnings)} warning(s), and --strict makes warnings fail", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - started
        print(f"Built {len(site.pages)} page(s) into {project.rel(project.site_dir)}/ in {elapsed:.2f}s")
        if args.check:
            print("exercises: ok\nlinks: ok")
            if failures:
                print(f"error: {failures} demo(s) differ from their expected logs (diffs above)", file=sys.stderr)
            return 1 if failures else 0
        if args.serve:
            from .serve import serve

            origin = site.pyodide.origin if site.pyodide else None
            return serve(project.site_dir, args.port, rebuild=builder.build, watch=project.watched(), origin=origin)
        return 0
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
