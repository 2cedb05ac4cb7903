"""The page's Python half (playground.runner), in CPython: what the learner sees for each kind of code."""

from __future__ import annotations

import json

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


def test_print_goes_to_output_as_plain_text_in_order() -> None:
    messages: list[dict] = []
    result = run('print("a")\nprint("<img src=x onerror=alert(1)>")\n', emit=messages.append)
    assert result.ok
    assert result.output == "a\n<img src=x onerror=alert(1)>\n"
    assert [m["type"] for m in messages] == ["stdout"] * 4  # text and newline are separate writes
    assert "".join(m["text"] for m in messages) == result.output


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
    assert [r.state_names for r in result.runs if r.kind == "task"] == [
        ["Pending", "Running", "Retrying", "Failed"]
    ]


def test_input_explains_why_it_cannot_ask() -> None:
    result = run("name = input('Your name? ')\n")
    assert not result.ok
    assert result.error["message"] == INPUT_UNAVAILABLE


def test_output_flood_is_capped_with_a_notice_and_the_run_completes() -> None:
    messages: list[dict] = []
    result = run("for i in range(10_000):\n    print(i)\nprint('end')\n", emit=messages.append, max_lines=100)
    assert result.ok
    assert result.output.count("\n") == 101  # 100 lines, then the notice
    assert "Output stopped after 100 lines" in result.output
    assert [m for m in messages if m["type"] == "notice"]
    assert "end" not in result.output


def test_keyboard_interrupt_is_reported_as_interrupted() -> None:
    result = run("raise KeyboardInterrupt\n")
    assert not result.ok and result.error["interrupted"] is True


def test_each_run_starts_a_fresh_session_and_namespace() -> None:
    first = run("from sim_prefect import flow\n@flow\ndef f(): pass\nf()\nleft = 1\n")
    second = run("print('left' in globals())\n")
    assert len(first.runs) == 1
    assert second.runs == [] and second.output == "False\n"


def test_log_messages_carry_prefect_colour_segments() -> None:
    messages: list[dict] = []
    run("from sim_prefect import flow\n@flow\ndef f(): pass\nf()\n", emit=messages.append)
    logs = [m for m in messages if m["type"] == "log"]
    assert logs and all("".join(t for t, _ in m["segments"]) == m["text"] for m in logs)
    assert ["INFO", "info_level"] in logs[0]["segments"]
    events = [m["event"]["event"] for m in messages if m["type"] == "event"]
    assert events[:2] == ["run", "state"]


def test_check_passes_and_fails_with_the_checks_message() -> None:
    check = (
        "def check(runs, output, namespace):\n"
        "    assert any(r.kind == 'flow' for r in runs), 'Call your flow.'\n"
        "    return 'A flow ran.'\n"
    )
    passed = run_check("from sim_prefect import flow\n@flow\ndef f(): pass\nf()\n", check)
    failed = run_check("x = 1\n", check)
    assert (passed.passed, passed.message) == (True, "A flow ran.")
    assert (failed.passed, failed.message) == (False, "Call your flow.")


def test_run_json_is_what_the_worker_posts() -> None:
    posted: list[str] = []
    outcome = json.loads(run_json("print('hi')\n", "main.py", posted.append, "fast"))
    assert outcome == {"ok": True, "error": None}
    assert [json.loads(p)["type"] for p in posted] == ["stdout", "stdout"]


def test_importing_real_prefect_explains_the_stand_in(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "prefect", None)  # as in Pyodide, where it is not installed
    result = run("from prefect import flow, task\n")
    assert not result.ok and result.error["type"] == "ModuleNotFoundError"
    assert result.output.rstrip("\n").endswith(
        "Hint: Real Prefect cannot run in the browser. In these pages, import the stand-in instead: "
        "from sim_prefect import flow, task"
    )


def test_other_missing_modules_get_no_hint() -> None:
    result = run("import not_a_module_anywhere\n")
    assert result.output.rstrip("\n").endswith("No module named 'not_a_module_anywhere'")
