"""The page's Python half (playground.runner), in CPython: what the learner sees for each kind of code."""

from __future__ import annotations

import io
import json
import sys

from playground.output import CAP_NOTICE
from playground.runner import INPUT_UNAVAILABLE, run, run_check, run_json

FLOW = """
from sim_prefect import flow, task

@task(retries=1)
def flaky():
    raise ValueError("nope")

@flow
def main():
    return flaky()

main()
"""


def posted(code: str, **kwargs) -> tuple[object, list[dict]]:  # type: ignore[no-untyped-def]
    """Run `code`; return the result and every message posted, in order (batches flattened)."""
    batches: list[str] = []
    result = run(code, post=batches.append, **kwargs)
    return result, [message for batch in batches for message in json.loads(batch)]


def test_print_goes_to_output_as_plain_text_in_order() -> None:
    result, messages = posted('print("a")\nprint("<img src=x onerror=alert(1)>")\n')
    assert result.ok
    assert result.output == "a\n<img src=x onerror=alert(1)>\n"
    assert {m["type"] for m in messages} == {"stdout"}
    assert "".join(m["text"] for m in messages) == result.output


def test_a_flood_of_small_writes_is_merged_into_few_messages() -> None:
    result, messages = posted("for i in range(5000):\n    print('x', end='')\n")
    assert result.output == "x" * 5000
    assert len(messages) < 50


def test_exception_traceback_shows_only_learner_frames_with_editor_line_numbers() -> None:
    code = "x = 1\n\ndef boom():\n    raise KeyError('k')\n\nboom()\n"
    result = run(code, filename="main.py")
    assert not result.ok
    assert result.error is not None
    assert result.error["type"] == "KeyError"
    assert result.error["line"] == 4
    assert result.output == (
        "Traceback (most recent call last):\n"
        '  File "main.py", line 6, in <module>\n'
        "    boom()\n"
        '  File "main.py", line 4, in boom\n'
        "    raise KeyError('k')\n"
        "KeyError: 'k'\n"
    )
    assert "runner.py" not in result.output and "exec(" not in result.output


def test_syntax_error_reports_its_line() -> None:
    result = run("print('ok')\ndef f(:\n    pass\n")
    assert not result.ok
    assert result.error["type"] == "SyntaxError"
    assert result.error["line"] == 2
    assert result.output.endswith("SyntaxError: invalid syntax\n")


def test_task_failure_inside_flow_prints_prefect_lines_and_stops_the_script() -> None:
    result = run(FLOW, filename="main.py")
    assert not result.ok and result.error["type"] == "ValueError"
    assert "Task run failed with exception: ValueError('nope') - Retry 1/1 will start immediately" in result.output
    assert "Task run failed with exception: ValueError('nope') - Retries are exhausted" in result.output
    assert "Finished in state Failed('Flow run encountered an exception: ValueError: nope')" in result.output
    assert [r.state_names for r in result.runs if r.kind == "task"] == [["Pending", "Running", "Retrying", "Failed"]]


def test_input_explains_why_it_cannot_ask() -> None:
    result = run("name = input('Your name? ')\n")
    assert not result.ok
    assert result.error["message"] == INPUT_UNAVAILABLE


def test_output_flood_is_capped_with_one_notice_and_the_run_completes() -> None:
    result, messages = posted("for i in range(10_000):\n    print(i)\nprint('end')\nx = 1\n", max_lines=100)
    assert result.ok
    assert result.output.count("\n") == 101  # 100 lines, then the notice
    assert CAP_NOTICE.format(limit="100 lines") in result.output
    assert len([m for m in messages if m["type"] == "notice"]) == 1
    assert "end" not in result.output


def test_one_huge_line_shows_its_beginning_then_the_notice() -> None:
    result, messages = posted("print('y' * 5_000_000)\n")
    shown = "".join(m["text"] for m in messages if m["type"] == "stdout")
    assert shown == "y" * 100_000
    assert messages[-1] == {"type": "notice", "text": CAP_NOTICE.format(limit="100,000 characters")}


def test_keyboard_interrupt_is_reported_as_interrupted() -> None:
    result = run("raise KeyboardInterrupt\n")
    assert not result.ok and result.error["interrupted"] is True


def test_each_run_starts_a_fresh_session_and_namespace_and_builtins() -> None:
    first = run("import builtins\nfrom sim_prefect import flow\n@flow\ndef f(): pass\nf()\nleft = 1\nbuiltins.exec = None\n")
    second = run("print('left' in globals(), exec is None)\n")
    assert len(first.runs) == 1
    assert second.runs == [] and second.output == "False False\n"


def test_the_code_is_the_main_module_and_prefect_imports_serve_the_simulator() -> None:
    code = (
        "import sys, pickle\n"
        "from prefect import flow, task\n"
        "from prefect.cache_policies import INPUTS\n"
        "class Point:\n    pass\n"
        "print(__name__, sys.modules['__main__'].Point is Point, type(pickle.loads(pickle.dumps(Point()))).__name__)\n"
        "print(flow.__module__)\n"
    )
    result = run(code)
    assert result.ok, result.output
    assert result.output == "__main__ True Point\nprefect.flows\n"
    assert sys.modules.get("prefect") is None or not sys.modules["prefect"].__name__.startswith("sim_prefect")


def test_time_sleep_follows_the_clock_and_the_timestamps_show_it() -> None:
    code = "import time\nfrom prefect import flow, get_run_logger\n@flow\ndef f():\n    get_run_logger().info('a')\n    time.sleep(3600)\n    get_run_logger().info('b')\nf()\n"
    result = run(code)
    stamps = [line[:12] for line in result.output.splitlines() if line.endswith((" - a", " - b"))]
    assert [stamp[:8] for stamp in stamps] == ["09:00:00", "10:00:00"]


def test_stored_results_come_back_in_the_next_run_as_cache_hits() -> None:
    code = "from prefect import flow, task\nfrom prefect.cache_policies import INPUTS\n@task(cache_policy=INPUTS)\ndef sq(x):\n    return x * x\n@flow\ndef f():\n    return sq(4)\nprint(f())\n"
    first, messages = posted(code)
    records = {m["key"]: m["record"] for m in messages if m["type"] == "result"}
    assert len(records) == 1 and "Finished in state Completed()" in first.output
    second = run(code, results=records)
    assert "Finished in state Cached(type=COMPLETED)" in second.output and second.output.endswith("16\n")


def test_ansi_colours_become_segments_and_other_escapes_go() -> None:
    result, messages = posted('print("\\x1b[1;31mred\\x1b[0m plain \\x1b[2J\\x1b]8;;http://x\\x1b\\\\link\\x1b]8;;\\x1b\\\\")\n')
    (message,) = [m for m in messages if m["type"] == "stdout"][:1]
    assert message["segments"] == [["red", "ansi-bold ansi-fg-red"], [" plain ", None], ["link", None]]
    assert result.output == "red plain link\n"


def test_log_messages_carry_prefect_colour_segments_and_events_follow() -> None:
    _, messages = posted("from sim_prefect import flow\n@flow\ndef f(): pass\nf()\n")
    logs = [m for m in messages if m["type"] == "log"]
    assert logs and all("".join(t for t, _ in m["segments"]) == m["text"] for m in logs)
    assert ["INFO", "info_level"] in logs[0]["segments"]
    events = [m["event"]["event"] for m in messages if m["type"] == "event"]
    assert events[:2] == ["run", "state"]


def test_artifacts_reach_the_page_as_views_it_can_draw_without_html() -> None:
    code = (
        "from prefect import flow\n"
        "from prefect.artifacts import create_markdown_artifact, create_link_artifact, create_table_artifact\n"
        "@flow\n"
        "def f():\n"
        "    create_markdown_artifact('# Hi <b>\\n\\n**bold** [x](javascript:alert(1))', key='hi')\n"
        "    create_link_artifact('https://docs.prefect.io/', link_text='docs')\n"
        "    create_table_artifact([{'a': 1}, {'a': 2, 'b': None}])\n"
        "f()\n"
    )
    _, messages = posted(code)
    markdown, link, table = [m for m in messages if m["type"] == "artifact"]
    assert (markdown["kind"], markdown["key"]) == ("markdown", "hi")
    heading, paragraph = markdown["blocks"]
    assert heading == {"tag": "h1", "inline": [["Hi <b>", "", None]]}  # text, to be shown as text
    assert paragraph["inline"][0] == ["bold", "strong", None]
    assert "".join(text for text, _, _ in paragraph["inline"][1:]) == " [x](javascript:alert(1))"
    assert all(mark != "a" for _, mark, _ in paragraph["inline"])  # a javascript: link stays text
    assert link["blocks"] == [{"tag": "p", "inline": [["docs", "a", "https://docs.prefect.io/"]]}]
    assert (table["columns"], table["rows"]) == (["a", "b"], [["1", ""], ["2", ""]])


def test_check_judges_the_records_not_the_printed_text() -> None:
    check = (
        "def check(attempt):\n"
        "    assert attempt.flows(), 'Call your flow.'\n"
        "    return 'A flow ran.'\n"
    )
    passed = run_check("from sim_prefect import flow\n@flow\ndef f(): pass\nf()\n", check)
    failed = run_check("print(\"Flow run 'x' - Finished in state Completed()\")\n", check)
    assert (passed.passed, passed.message) == (True, "A flow ran.")
    assert (failed.passed, failed.message) == (False, "Call your flow.")


def test_patching_builtins_cannot_reach_the_check() -> None:
    check = "def check(attempt):\n    assert attempt.flows(), 'Call your flow.'\n    return 'ok'\n"
    result = run_check("import builtins\nbuiltins.exec = lambda *a, **k: None\nbuiltins.AssertionError = KeyError\n", check)
    assert (result.passed, result.message) == (False, "Call your flow.")


def test_run_json_is_what_the_worker_posts() -> None:
    batches: list[str] = []
    outcome = json.loads(run_json("print('hi')\n", "main.py", batches.append, '{"mode": "fast", "report": true}'))
    assert outcome["ok"] is True and outcome["error"] is None
    assert outcome["report"]["output"] == "hi\n" and outcome["report"]["runs"] == []
    assert "".join(m["text"] for b in batches for m in json.loads(b) if m["type"] == "stdout") == "hi\n"


def test_requests_explains_the_missing_network(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "requests", None)  # as in Pyodide, where it is not installed
    result = run("import requests\n")
    assert not result.ok and result.error["type"] == "ModuleNotFoundError"
    assert result.output.rstrip("\n").endswith("Hint: The page has no network access, so requests is not available "
                                               "here. Simulate the call with a function, as the lesson's demos do.")


def test_other_missing_modules_get_no_hint() -> None:
    result = run("import not_a_module_anywhere\n")
    assert result.output.rstrip("\n").endswith("No module named 'not_a_module_anywhere'")


def test_code_that_breaks_imports_still_gets_its_error_described() -> None:
    """The runner puts builtins back before it formats the learner's error (which may import)."""
    code = "import builtins\nbuiltins.__import__ = builtins.isinstance = builtins.exec = None\nraise ValueError('after patching')\n"
    result = run(code, filename="main.py")
    assert not result.ok
    assert result.error["type"] == "ValueError" and result.error["line"] == 3
    assert "ValueError: after patching" in result.output
    assert json.loads(run_json("print('next')", "main.py", lambda _: None))["ok"] is True


def test_the_session_s_server_outlives_a_run_when_the_page_hands_it_over() -> None:
    """As Prefect's database outlives `python script.py`, the page keeps the store and hands it to the next Run."""
    code = "from prefect import flow\n@flow\ndef hello():\n    return 1\nhello()\n"
    first = run(code, mode="fast")
    assert first.store is not None and [r.owner for r in first.runs] == ["hello"]
    kept = json.loads(json.dumps(first.store.to_dict()))  # the page keeps it as JSON
    second = run(code, mode="fast", store=kept)
    assert [r.owner for r in second.runs] == ["hello"]  # this Run's own runs only
    assert second.store is not None and [r.owner for r in second.store.runs if r.kind == "flow"] == ["hello", "hello"]
    assert second.store.runs[0].state_names == first.runs[0].state_names == ["Pending", "Running", "Completed"]


def test_the_outcome_names_the_flow_runs_this_run_made_for_its_run_view() -> None:
    """`flow_run_ids`: this Run's flow runs (a subflow's too), in the order they were made; not earlier Runs'."""
    code = (
        "from prefect import flow, task\n@task\ndef one():\n    return [1]\n@task\ndef two(x):\n    return x\n"
        "@flow\ndef child():\n    return two(one())\n@flow\ndef parent():\n    return child()\nparent()\n"
    )
    first = json.loads(run_json(code, "main.py", lambda _: None, json.dumps({"mode": "fast"})))
    owners = {r["run_id"]: r["owner"] for r in first["store"]["runs"]}
    assert [owners[i] for i in first["flow_run_ids"]] == ["parent", "child"]
    second = json.loads(run_json(code, "main.py", lambda _: None, json.dumps({"mode": "fast", "store": first["store"]})))
    assert len(second["flow_run_ids"]) == 2 and not set(first["flow_run_ids"]) & set(second["flow_run_ids"])
    # The graph's arrow: two() took its input from one()'s result, a list passed on by value (as Prefect records it).
    runs = {r["owner"]: r for r in second["store"]["runs"] if r["run_id"] not in owners}
    assert runs["two"]["task_inputs"] == {"x": [runs["one"]["run_id"]]}


def test_the_state_log_shows_this_run_s_runs_not_those_the_page_s_server_kept() -> None:
    """print_state_log() prints what this process ran, as `python NAME.py` at home does, whatever the store held."""
    code = "from sim_prefect import flow, print_state_log\n@flow\ndef hello():\n    return 1\nhello()\nprint_state_log()\n"
    first = run(code, mode="fast")
    second = run(code, mode="fast", store=json.loads(json.dumps(first.store.to_dict())))
    assert "State log (1 run)\n" in first.output and "State log (1 run)\n" in second.output, second.output
    assert second.store is not None and len(second.store.runs) == 2


def test_the_store_the_page_keeps_is_trimmed_to_the_newest_runs(monkeypatch) -> None:
    """Every Run hands the store back: past KEPT_RUNS, the oldest finished flow runs go, whole, with a notice."""
    import playground.runner as runner

    monkeypatch.setattr(runner, "KEPT_RUNS", 8)
    code = "from prefect import flow, task\n@task\ndef t(i):\n    return i\n@flow\ndef f():\n    for i in range(2):\n        t(i)\nf()\nf()\n"
    posted: list[str] = []
    first = json.loads(run_json(code, "main.py", lambda _: None, json.dumps({"mode": "fast"})))
    assert len(first["store"]["runs"]) == 6
    second = json.loads(run_json(code, "main.py", posted.append, json.dumps({"mode": "fast", "store": first["store"]})))
    kept = second["store"]["runs"]
    assert len(kept) == 6 and {r["run_id"] for r in kept} == {r["run_id"] for r in kept if r["run_id"] not in
                                                             {x["run_id"] for x in first["store"]["runs"]}}
    assert all(log["run_id"] in {r["run_id"] for r in kept} for log in second["store"]["logs"])
    notices = [m for batch in posted for m in json.loads(batch) if m["type"] == "notice"]
    assert notices and "forgot 2 older flow runs" in notices[-1]["text"]


def test_a_root_logging_handler_does_not_move_a_deterministic_run_s_times() -> None:
    """A handler on the root logger (a learner's basicConfig, pytest's) makes `logging` read the clock: those
    reads must not charge the virtual clock, or the same demo prints other times under pytest than at home.
    Both in fresh processes, so nothing an earlier test left in this one counts."""
    import subprocess
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "demo" / "tag_limits.py"

    def fresh(setup: str) -> str:
        script = (
            f"import sys, logging; from playground.runner import run; {setup}; "
            "print(run(open(sys.argv[1]).read(), filename='tag_limits.py', mode='deterministic').output, end='')"
        )
        return subprocess.run([sys.executable, "-c", script, str(demo)], capture_output=True, text=True, check=True).stdout

    at_home = fresh("pass")
    # A handler added once sim_prefect is imported (one there before is replaced, as Prefect's set-up does).
    assert fresh("logging.getLogger().addHandler(logging.StreamHandler(open('/dev/null', 'w')))") == at_home
    assert "State log (6 runs)" in at_home
