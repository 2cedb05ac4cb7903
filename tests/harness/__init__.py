"""One harness for running scripts on real Prefect and on sim_prefect, shared by the conformance
suite (tests/conformance), the lesson's tests (tests/lesson), the browser tests and the benchmarks.
Import it as ``tests.harness`` (pytest and ``python -m`` put the repository root on the import path).

- `real_prefect`: real Prefect's version and environment (no telemetry), one dedicated server per
  test session, and waiting for a server to be healthy;
- `backends`: run a script on either backend in a fresh process and collect what it printed and its runs;
- `runner`: that process's entry point (``python tests/harness/runner.py``); `serving`: a serving
  script driven from a second terminal (the commands typed while it serves, and its Ctrl-C);
- `page_runner`: files through the page's runner in CPython (``python -m tests.harness.page_runner``);
- `normalize`: the one normaliser: mask what varies between runs;
- `transcripts`: compare masked transcripts and state histories;
- `browser`: Debian's Chromium and HTTP servers on 127.0.0.1.
"""
