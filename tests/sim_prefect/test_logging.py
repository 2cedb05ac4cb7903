"""Log lines, print() under log_prints, other loggers, and the terminal's colours."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

import sim_prefect
from sim_prefect import flow, get_run_logger, task
from sim_prefect.run_events import LogEmitted
from sim_prefect.formatting import format_record, format_time, highlight, style_runs, to_ansi
from sim_prefect.session import colour_system, terminal_sink

LINE = re.compile(
    r"^(?P<time>\d{2}:\d{2}:\d{2}\.\d{3}) \| (?P<level>DEBUG  |INFO   |WARNING|ERROR  |CRITICAL) \| "
    r"(?:(?P<kind>Flow run|Task run) (?P<q>['\"])(?P<run>.*?)(?P=q)|(?P<logger>[\w.]+)) - (?P<msg>.*)$"
)


def test_every_line_matches_prefects_layout(sim) -> None:
    @task
    def t() -> None:
        get_run_logger().warning("careful")

    @flow
    def f() -> None:
        get_run_logger().critical("very bad")
        t()

    f()
    lines = [format_record(e) for e in sim.logs]
    assert all(LINE.match(line) for line in lines)
    assert lines[1].split(" | ")[1] == "CRITICAL"  # 8 wide: pushes the line one column
    assert " | WARNING | Task run 't-" in lines[2]


def test_time_is_local_hh_mm_ss_with_truncated_milliseconds() -> None:
    import time

    stamp = time.mktime((2026, 1, 1, 9, 0, 0, 0, 1, -1)) + 0.0129
    assert format_time(stamp) == "09:00:00.012"


def test_run_name_with_a_quote_is_shown_in_double_quotes() -> None:
    record = LogEmitted(0.0, "INFO", "prefect.task_runs", "hi", "id", "task", "it's-run")
    assert "Task run \"it's-run\" - hi" in format_record(record)


def test_debug_is_hidden_by_default_and_shown_at_debug_level(monkeypatch) -> None:
    def debug_lines() -> list[str]:
        session = sim_prefect.configure("deterministic", terminal=False)
        seen: list[str] = []
        session.bus.subscribe(lambda e: seen.append(e.message) if isinstance(e, LogEmitted) else None)

        @flow
        def f() -> None:
            get_run_logger().debug("detail")

        f()
        return seen

    assert "detail" not in debug_lines()
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "DEBUG")
    assert "detail" in debug_lines()


def test_print_becomes_a_log_line_only_under_log_prints_and_tasks_inherit_it(sim, capsys) -> None:
    @task
    def inherits() -> None:
        print("from the inheriting task")

    @task(log_prints=False)
    def refuses() -> None:
        print("from the refusing task")

    @flow(log_prints=True)
    def f() -> None:
        print("from the flow", 3, sep=" | ")
        inherits()
        refuses()

    f()
    messages = sim.messages()
    assert "from the flow | 3" in messages and "from the inheriting task" in messages
    assert "from the refusing task" not in messages
    assert capsys.readouterr().out == "from the refusing task\n"


def test_print_to_stderr_is_logged_too_but_print_to_a_file_is_not(sim) -> None:
    buffer = io.StringIO()

    @flow(log_prints=True)
    def f() -> None:
        import sys

        print("to stderr", file=sys.stderr)
        print("to a buffer", file=buffer)

    f()
    assert "to stderr" in sim.messages()
    assert buffer.getvalue() == "to a buffer\n" and "to a buffer" not in sim.messages()


def test_a_stdlib_logger_prints_warnings_in_the_generic_form(sim, monkeypatch) -> None:
    from sim_prefect import loggers

    # sim_prefect puts its handler on the root logger only if the root has none;
    # pytest's own capture handler is there, so put it there for this test.
    monkeypatch.setattr(logging.getLogger(), "handlers", [loggers._handler])

    @flow
    def f() -> None:
        logging.getLogger("mylib").info("dropped: the root logger is at WARNING")
        logging.getLogger("mylib").warning("kept")

    f()
    other = [e for e in sim.logs if e.logger == "mylib"]
    assert [e.message for e in other] == ["kept"]
    assert format_record(other[0]).endswith(" | WARNING | mylib - kept")


def test_logger_exception_adds_the_traceback_without_engine_frames(sim) -> None:
    @task
    def t() -> None:
        try:
            {}["missing"]
        except KeyError:
            get_run_logger().exception("lookup failed")

    @flow
    def f() -> None:
        t()

    f()
    record = next(e for e in sim.logs if e.message == "lookup failed")
    assert record.level == "ERROR" and record.traceback is not None
    assert record.traceback.startswith("Traceback (most recent call last):\n  File ")
    files = re.findall(r'File "([^"]+)"', record.traceback)
    assert [Path(f).resolve() for f in files] == [Path(__file__).resolve()]  # the learner's frame only
    assert "^" not in record.traceback and "~" not in record.traceback
    assert record.traceback.endswith("KeyError: 'missing'")


def test_highlight_keeps_the_text_and_names_prefects_styles() -> None:
    line = "09:00:00.000 | INFO    | Flow run 'lush-toucanet' - Beginning flow run 'lush-toucanet' for flow 'x'"
    segments = highlight(line)
    assert "".join(t for t, _ in segments) == line
    assert ("INFO", "info_level") in segments
    assert (" 'lush-toucanet'", "flow_run_name") in segments
    assert (" 'x'", "flow_name") in segments


def test_ansi_codes_match_rich_for_256_16_and_no_colour() -> None:
    text = "ERROR | Flow run 'a-b' - for flow 'x' Failed"
    runs = style_runs(text)
    assert to_ansi(runs, "256") == (
        "\x1b[38;5;160mERROR\x1b[0m | Flow run\x1b[35m 'a-b'\x1b[0m - for flow\x1b[1;35m 'x'\x1b[0m "
        "\x1b[38;5;160mFailed\x1b[0m"
    )
    assert "\x1b[31mERROR\x1b[0m" in to_ansi(runs, "standard")
    assert to_ansi(runs, None) == "ERROR | Flow run 'a-b' - for flow\x1b[1m 'x'\x1b[0m Failed"


@pytest.mark.parametrize(
    ("env", "isatty", "expected"),
    [
        ({}, False, False),
        ({}, True, "standard"),
        ({"TERM": "xterm-256color"}, True, "256"),
        ({"FORCE_COLOR": "1", "TERM": "xterm-256color"}, False, "256"),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, False, False),
        ({"FORCE_COLOR": "", "TERM": "xterm-256color"}, True, False),
        ({"NO_COLOR": "1", "TERM": "xterm-256color"}, True, None),
        ({"PREFECT_LOGGING_COLORS": "false", "FORCE_COLOR": "1"}, True, False),
        ({"COLORTERM": "truecolor", "TERM": "xterm"}, True, "256"),
    ],
)
def test_colour_system_follows_rich(env: dict[str, str], isatty: bool, expected: object) -> None:
    class Stream:
        def isatty(self) -> bool:
            return isatty

    assert colour_system(Stream(), env) == expected


def test_terminal_sink_writes_prefects_line_to_stderr(capsys, monkeypatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    terminal_sink(LogEmitted(0.0, "INFO", "prefect.flow_runs", "hello", "id", "flow", "a-b"))
    err = capsys.readouterr().err
    assert err.endswith(" | INFO    | Flow run 'a-b' - hello\n") and "\x1b" not in err


def test_a_root_handler_that_prints_under_log_prints_does_not_loop(sim) -> None:
    """A root handler's own print inside a task with log_prints becomes a log line once, not forever."""
    import logging
    import sys

    seen: list[str] = []

    class Printing(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())
            print("handler saw", record.getMessage(), file=sys.stderr)

    handler = Printing()
    logging.getLogger().addHandler(handler)
    try:
        @task(log_prints=True)
        def t() -> None:
            print("hello")

        @flow(log_prints=True)
        def f() -> None:
            t()

        f()
    finally:
        logging.getLogger().removeHandler(handler)
    assert "hello" in seen and len(seen) < 20
    assert "handler saw hello" in sim.messages()
