"""The page boots from the build's memory snapshot (lessonbuild/snapshot.py), on both hosts.

No worker starts Python from scratch: the first one downloads the snapshot once, with
Pyodide's WebAssembly, and later workers start from what the page kept of them (the
snapshot in a Blob, the compiled module), so neither is downloaded twice. Every worker is
still a fresh process: the snapshot's random state, which every learner's page shares, is
seeded afresh in each, and a Run right after another (on the held spare) works as any Run.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.page_helpers import LESSON, SNIPPET, output_text, run, set_code, wait_ready

pytestmark = pytest.mark.browser
RANDOM = "import random\nprint('random:', random.random())\n"


@pytest.fixture(params=["plain", "isolated"])
def server(request):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("site_server" if request.param == "plain" else "isolated_server")


def test_the_snapshot_and_pyodide_are_downloaded_once_for_every_worker(fresh_page, server) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    fresh_page.context.on("request", lambda request: requests.append(request.url))
    fresh_page.goto(server.url + LESSON)
    wait_ready(fresh_page)
    for _ in range(3):  # three Runs: three more workers, each started from the page's memory
        assert run(fresh_page)["ok"] is True
    fresh_page.wait_for_function("() => performance.getEntriesByName('python-spare-ready').length >= 3")
    snapshots = [u for u in requests if re.search(r"/assets/snapshot-[0-9a-f]{10}\.bin$", u)]
    assert len(snapshots) == 1, snapshots
    assert sum(u.endswith("/pyodide/pyodide.asm.wasm") for u in requests) == 1
    # Nobody booted cold: no worker made a snapshot of its own (the first one's marks say how it started).
    assert fresh_page.evaluate("() => performance.getEntriesByName('python-ready').length") == 1
    assert fresh_page.errors == []


def test_each_run_draws_its_own_random_numbers(fresh_page, server) -> None:  # type: ignore[no-untyped-def]
    """As `python script.py` twice at home: the snapshot's random state is not every Run's."""
    fresh_page.goto(server.url + LESSON)
    wait_ready(fresh_page)
    set_code(fresh_page, SNIPPET, RANDOM)
    drawn = []
    for _ in range(2):
        assert run(fresh_page)["ok"] is True
        drawn.append(re.search(r"random: (\S+)", output_text(fresh_page)).group(1))  # type: ignore[union-attr]
    other = fresh_page.context.new_page()  # another page load: another first worker
    other.goto(server.url + LESSON)
    wait_ready(other)
    assert run(other)["ok"] is True
    drawn.append(re.search(r"random: (\S+)", output_text(other)).group(1))  # type: ignore[union-attr]
    assert len(set(drawn)) == 3, drawn


def test_a_run_clicked_the_moment_another_ends_runs_whole(fresh_page, server) -> None:  # type: ignore[no-untyped-def]
    """Back to back, three times: the held spare, started when the first Run took the ready one, serves each."""
    fresh_page.goto(server.url + LESSON)
    wait_ready(fresh_page)
    first = run(fresh_page)
    expected = output_text(fresh_page)
    assert first["ok"] is True and "Finished in state Completed" in expected
    for _ in range(3):
        detail = fresh_page.evaluate(
            """async (selector) => {
              const root = document.querySelector(selector);
              const done = () => new Promise((resolve) => root.addEventListener("run-finished", (e) => resolve(e.detail), { once: true }));
              let finished = done();
              root.querySelector("[data-run]").click();
              await finished;
              finished = done();
              root.querySelector("[data-run]").click();  // at once
              return await finished;
            }""",
            SNIPPET,
        )
        assert detail["ok"] is True and not detail["stopped"], detail
        text = output_text(fresh_page)
        assert text.count("Finished in state Completed") == expected.count("Finished in state Completed"), text


def test_a_run_on_a_worker_still_booting_has_the_machine_to_itself(fresh_page, server) -> None:  # type: ignore[no-untyped-def]
    """Right after a Run, the next one takes the spare that is still booting: no other worker boots until that
    one is ready (two boots at once share a machine's few cores, and the Run waits for both). The next spare
    may get as far as a held one does (Pyodide set up, its memory not read), and starts once the taken one is ready."""
    fresh_page.goto(server.url + LESSON)
    wait_ready(fresh_page)
    assert run(fresh_page)["ok"] is True
    fresh_page.wait_for_function("() => performance.getEntriesByName('python-spare-ready').length >= 1")
    fresh_page.wait_for_timeout(1_500)  # the held spare is as far as it goes before it is started
    times = fresh_page.evaluate(
        """async (selector) => {
          const booted = []; // when a worker was told to boot all the way: made unheld, or started
          const send = Worker.prototype.postMessage;
          Worker.prototype.postMessage = function (message, ...rest) {
            if (message?.type === "init" && !message.held) booted.push(performance.now());
            return send.call(this, message, ...rest);
          };
          const say = MessagePort.prototype.postMessage;
          MessagePort.prototype.postMessage = function (message, ...rest) {
            if (message?.type === "start") booted.push(performance.now());
            return say.call(this, message, ...rest);
          };
          const root = document.querySelector(selector);
          const done = () => new Promise((resolve) => root.addEventListener("run-finished", resolve, { once: true }));
          let finished = done();
          const clickedFirst = performance.now();
          root.querySelector("[data-run]").click();
          await finished;
          finished = done();
          const clicked = performance.now();
          root.querySelector("[data-run]").click();  // at once: its worker is the one started a moment ago
          await finished;
          await new Promise((resolve) => setTimeout(resolve, 500));
          Worker.prototype.postMessage = send;
          MessagePort.prototype.postMessage = say;
          const ready = performance.getEntriesByName("python-spare-ready").map((m) => m.startTime).filter((t) => t > clickedFirst);
          return { booted, clickedFirst, clicked, ready };
        }""",
        SNIPPET,
    )
    taken_ready = times["ready"][0]  # the first worker ready since the first click: the one the second Run took
    assert taken_ready > times["clicked"], f"the spare was ready before the second click: nothing to check {times}"
    assert [t for t in times["booted"] if times["clicked"] <= t < taken_ready] == [], times
    assert any(t >= taken_ready for t in times["booted"]), times  # and then the next one boots
