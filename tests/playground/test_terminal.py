"""The page's terminal in Python (playground/terminal.py): a typed line, read as a shell reads it, run on the page's store."""

from __future__ import annotations

import json

from playground import runner, terminal

PIPELINE = '''from prefect import flow


@flow(name="tiny")
def tiny() -> int:
    return 1


tiny()
'''


def test_a_line_is_read_as_a_shell_reads_it() -> None:
    assert terminal.split("COLUMNS=60 prefect deployment ls  # relative") == ({"COLUMNS": "60"}, ["prefect", "deployment", "ls"])
    assert terminal.split("prefect variable set x 'a b'") == ({}, ["prefect", "variable", "set", "x", "a b"])
    assert terminal.split("a=b") == ({"a": "b"}, [])
    assert terminal.columns_of({"COLUMNS": "60"}, 100) == 60 and terminal.columns_of({}, 100) == 100
    assert terminal.columns_of({"COLUMNS": "5"}, 100) == terminal.MIN_COLUMNS


def test_a_command_starts_from_the_page_s_store_and_hands_it_back() -> None:
    made = json.loads(runner.run_json(PIPELINE, "main.py", None, json.dumps({"mode": "fast"})))
    listed = terminal.run_command("COLUMNS=200 prefect flow-run ls", store=made["store"])
    assert listed["exit"] == 0 and "│ tiny " in listed["output"] and "COMPLETED" in listed["output"]
    assert "a few seconds ago" in listed["output"]  # the clock goes on from the store's last moment, never back
    set_ = terminal.run_command("prefect variable set greeting hello", store=listed["store"])
    assert set_["exit"] == 0 and [v["name"] for v in set_["store"]["variables"]] == ["greeting"]
    got = terminal.run_command("prefect variable get greeting", store=set_["store"])
    assert got["output"] == '"hello"\n' and got["exit"] == 0
    # The next Run reads it: one server.
    reads = 'from prefect.variables import Variable\nprint(Variable.get("greeting"))\n'
    assert json.loads(runner.run_json(reads, "main.py", None, json.dumps({"mode": "fast", "store": got["store"]})))["ok"]


def test_what_is_not_a_prefect_command_is_said_as_a_shell_says_it() -> None:
    posted: list[list[dict]] = []
    outcome = json.loads(terminal.run_command_json("ls -la", lambda text: posted.append(json.loads(text)), json.dumps({"files": ["a.py"]})))
    assert outcome["exit"] == 127 and outcome["output"].startswith("bash: ls: command not found\n")
    assert [m["type"] for batch in posted for m in batch] == ["stderr"]  # streamed as a Run's output is
    assert terminal.run_command("python", files=["a.py"])["output"].endswith("python FILE.py (a.py).\n")
    missing = terminal.run_command("python b.py", files=["a.py"])
    assert missing["exit"] == 2 and "can't open file 'b.py'" in missing["output"] and "a.py" in missing["output"]
    assert terminal.run_command("prefect 'open")["exit"] == 2
    assert terminal.run_command("")["exit"] == 0 and terminal.run_command("# a comment")["output"] == ""
    assert "python FILE.py" in terminal.run_command("help", files=["a.py"])["output"]
    assert terminal.run_command("prefect --version")["output"] == "3.9.1\n"
