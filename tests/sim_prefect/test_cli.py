"""The Prefect CLI on sim_prefect (sim_prefect/cli): its layout against rich's, its parsing, and its commands.

The transcripts of whole sessions against real Prefect's CLI are in tests/conformance/test_cli_transcripts.py;
here each part is held on its own. rich and pendulum (installed with real Prefect, the test
extra) are the references for the layout and for times in words.
"""

from __future__ import annotations

import datetime
import io
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from rich.console import Console as RichConsole
from rich.console import Group as RichGroup
from rich.panel import Panel as RichPanel
from rich.pretty import Pretty as RichPretty
from rich.table import Table as RichTable

import sim_prefect
from sim_prefect import flow, task
from sim_prefect.blocks.system import Secret
from sim_prefect.cli import run, run_line
from sim_prefect.cli._app import UsageError, dispatch
from sim_prefect.cli._console import Console
from sim_prefect.cli._pretty import Pretty
from sim_prefect.cli._renderables import Group, Panel, from_markup
from sim_prefect.cli._table import Table
from sim_prefect.cli.deployment import parse_start
from sim_prefect.cli.root import ROOT
from sim_prefect.scheduler import Job, Sleep
from sim_prefect.types._datetime import human_friendly_diff

ROOT_DIR = Path(__file__).resolve().parents[2]
UTC = datetime.timezone.utc
WORDS = [
    "example-pipeline", "observant-nightingale", "in 56 minutes", "a few seconds ago", "COMPLETED", "x", "",
    "2026-12-04T05:27:03.712143+00:00", '{"region": "us-east-1", "debug": false, "batch_size": 100}',
    "01a23f7c-bcbd-75bd-9a1c-81d1a77600ef", "Number of logs to show when using the --head or --tail flag.",
    "two\nlines here", "[bold]markup[/] and \\[brackets]", "wide 日本語 text",
]  # fmt: skip


def rich_text(renderable: object, width: int) -> str:
    out = io.StringIO()
    RichConsole(file=out, width=width, color_system=None, highlight=False).print(renderable)
    return out.getvalue()


def ours(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(out, width).print(renderable)  # type: ignore[arg-type]
    return out.getvalue()


# -- layout: the same bytes as rich ----------------------------------------------------------------


def _random_table(rng: random.Random, cls: type) -> tuple[object, list[dict[str, object]]]:
    options: dict[str, object] = {"expand": rng.random() < 0.3, "show_lines": rng.random() < 0.2,
                                  "show_header": rng.random() < 0.85, "pad_edge": rng.random() < 0.8,
                                  "title": rng.choice([None, "Flow Runs", "Concurrency Limit ID: [red]abc"]),
                                  "caption": rng.choice([None, "List Variables using `prefect variable ls`"])}  # fmt: skip
    if rng.random() < 0.2:
        options.update(box=None, padding=(0, 2, 0, 0), pad_edge=False, show_header=False)
    table = cls(**options)
    columns = []
    for i in range(rng.randint(1, 6)):
        column = {"justify": rng.choice(["left", "right", "center"]), "no_wrap": rng.random() < 0.5,
                  "overflow": rng.choice(["ellipsis", "fold", "crop"]), "max_width": rng.choice([None, None, 5, 35]),
                  "ratio": rng.choice([None, None, 1, 40]), "width": rng.choice([None] * 8 + [1])}  # fmt: skip
        table.add_column(f"Column {i}", **column)
        columns.append(column)
    return table, columns


def test_tables_are_laid_out_as_rich_lays_them_out() -> None:
    rng = random.Random(7)
    for _ in range(250):
        state = rng.getstate()
        theirs, columns = _random_table(rng, RichTable)
        rows = [[rng.choice(WORDS) for _ in columns] for _ in range(rng.randint(0, 5))]
        rng.setstate(state)
        mine, _ = _random_table(rng, Table)
        for row in rows:
            theirs.add_row(*row)  # type: ignore[attr-defined]
            mine.add_row(*row)  # type: ignore[attr-defined]
        width = rng.choice([20, 40, 60, 100, 140])
        assert ours(mine, width) == rich_text(theirs, width), (width, columns, rows)


def test_panels_of_tables_fit_as_rich_fits_them() -> None:
    rng = random.Random(3)
    for _ in range(60):
        tables = []
        for cls in (RichTable, Table):
            state = rng.getstate()
            made = [cls(title=rng.choice([None, "Concurrency Limit ID: [red]x"])) for _ in range(2)]
            for table in made:
                for i in range(rng.randint(1, 4)):
                    table.add_column(f"Col {i}", no_wrap=rng.random() < 0.5)
                for _ in range(rng.randint(0, 2)):
                    table.add_row(*[rng.choice(WORDS[:10]) for _ in range(len(table.columns))])
            rng.setstate(state)
            tables.append(made)
        rng.random()
        expand, title, width = rng.random() < 0.5, rng.choice([None, "Error"]), rng.choice([30, 60, 100])
        theirs = RichPanel(RichGroup(*tables[0]), expand=expand, title=title, title_align="left")
        mine = Panel(Group(tables[1]), expand=expand, title=title, title_align="left")
        assert ours(mine, width) == rich_text(theirs, width)


def _random_value(rng: random.Random, depth: int = 0) -> object:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice([1, 2.5, None, True, "text", "a longer string value here", datetime.timedelta(seconds=3)])
    if roll < 0.6:
        return {f"key{i}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}
    if roll < 0.8:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.9:
        return tuple(_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return set(rng.sample(range(10), rng.randint(0, 3)))


def test_pretty_reprs_open_up_where_rich_opens_them() -> None:
    rng = random.Random(11)
    for _ in range(400):
        value, width = _random_value(rng), rng.choice([10, 33, 60, 100])
        assert ours(Pretty(value), width) == rich_text(RichPretty(value), width), (value, width)


def test_messages_wrap_where_rich_wraps_them() -> None:
    rng = random.Random(5)
    for _ in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 14)))
        width = rng.choice([10, 20, 33, 60, 100])
        assert ours(text, width) == rich_text(text, width), (text, width)


def test_markup_is_printed_as_rich_prints_it() -> None:
    assert from_markup('{"a": 1, "b": [true, null]}') == '{"a": 1, "b": }'  # a tag to rich: it vanishes
    assert from_markup("[1, 2] and \\[bold] and [bold]x[/]") == "[1, 2] and [bold] and x"


def test_times_in_words_are_pendulums() -> None:
    rng = random.Random(13)
    for _ in range(3000):
        now = datetime.datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
                                rng.randint(0, 59), rng.randint(0, 999999), tzinfo=UTC)  # fmt: skip
        scale = rng.choice([5, 30, 70, 4000, 90000, 86400 * 10, 86400 * 40, 86400 * 400, 86400 * 2000])
        moment = now + datetime.timedelta(seconds=rng.uniform(-scale, scale))
        diff = pendulum.instance(moment).diff(pendulum.instance(now))
        assert human_friendly_diff(moment, now=now) == pendulum.format_diff(diff, True)
        assert human_friendly_diff(moment, now) == pendulum.instance(moment).diff_for_humans(pendulum.instance(now))


# -- reading a typed line --------------------------------------------------------------------------


def usage_error(argv: list[str]) -> str:
    with pytest.raises(UsageError) as caught:
        dispatch(argv, ROOT)
    return str(caught.value)


def test_usage_errors_are_cyclopts_messages() -> None:
    assert usage_error(["flow-run", "ls", "--limt", "3"]) == "Unknown option: --limt. Did you mean --limit?"
    assert usage_error(["flow-run", "ls", "--limit", "abc"]) == 'Invalid value for --limit: unable to convert "abc" into int.'
    assert usage_error(["flow-run", "inspect", "nope"]) == 'Invalid value for ID: unable to convert "nope" into UUID.'
    assert usage_error(["flow-run", "inspect"]) == 'Command "flow-run inspect" parameter --id requires an argument.'
    assert usage_error(["gcl", "create", "x"]) == 'Command "gcl create" parameter --limit requires an argument.'
    assert usage_error(["variable", "set", "a", "b", "c"]) == "Unused Tokens: ['c']."
    assert usage_error(["version", "--help"]) == "Unknown option: --help."
    assert usage_error(["flow-run", "foo"]) == (
        'Unknown command "foo". Available commands: inspect, ls, delete, cancel, retry, logs, watch, execute.'
    )
    assert usage_error(["help"]).startswith('Unknown command "help". Did you mean "shell"? Available commands: deploy,')


def test_a_line_is_bound_as_cyclopts_binds_it() -> None:
    line = dispatch(["Flow_Run", "logs", "-n", "3", "--tail", "00000000-0000-0000-0000-000000000000", "--prompt"], ROOT)
    assert line.path == ["flow-run", "logs"] and line.prompt is True
    assert line.arguments == {"id": uuid.UUID(int=0), "head": False, "num_logs": 3, "reverse": False,
                              "tail": True, "output": None}  # fmt: skip
    tags = dispatch(["variable", "set", "v", "1", "--tag", "a", "--tag=b"], ROOT).arguments["tag"]
    assert tags == ["a", "b"]
    assert dispatch(["gcl", "create", "x", "--limit", "-1"], ROOT).arguments["limit"] == -1  # a negative number is a value
    assert dispatch(["deployment", "ls", "a", "b"], ROOT).arguments["flow_name"] == ["a", "b"]
    assert dispatch(["flow-run", "ls", "--limit", "3", "--help"], ROOT).help


# -- commands on a session --------------------------------------------------------------------------


@pytest.fixture
def session() -> Iterator[sim_prefect.Session]:
    s = sim_prefect.configure("deterministic", terminal=False)
    yield s
    sim_prefect.configure("deterministic", terminal=False)


def cli(line: str, columns: int = 100, stdin: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = run_line(line, columns=columns, stdout=out, stderr=out, stdin=io.StringIO(stdin) if stdin else None)
    return status, out.getvalue()


@task
def double(x: int) -> int:
    return 2 * x


@flow(name="cli-test")
def small(x: int = 1) -> int:
    return double(x)


def test_flow_runs_are_listed_inspected_and_their_logs_read(session: sim_prefect.Session) -> None:
    small.with_options(flow_run_name="first")()
    session.scheduler.sleep(30)
    status, out = cli("prefect flow-run ls")
    assert status == 0 and out.splitlines()[0].strip() == "Flow Runs"
    assert "│ cli-test │ first │ COMPLETED │ 30 seconds ago │" in out
    run_id = session.store.runs[0].run_id
    status, out = cli(f"prefect flow-run inspect {run_id}")
    assert status == 0 and out.startswith(f"FlowRun(\n    id='{run_id}',\n")
    assert "    state_name='Completed'\n)\n" in out
    status, out = cli(f"prefect flow-run logs {run_id} --tail -n 1")
    assert status == 0 and out.endswith(" | INFO    | Flow run 'first' - Finished in state Completed()\n")
    status, out = cli(f"prefect flow-run cancel {run_id}", columns=60)
    assert (status, out) == (1, f"Flow run '{run_id}' was unable \nto be cancelled. Reason: 'Run is already in terminal state \nCOMPLETED.'\n")
    assert cli(f"prefect flow-run watch {run_id}") == (0, "Flow run already finished in 'Completed'.\n")


def test_variables_are_set_read_listed_and_unset(session: sim_prefect.Session) -> None:
    assert cli("prefect variable set greeting hello") == (0, "Set variable 'greeting'.\n")
    assert cli("prefect variable set greeting world") == (1, "Variable 'greeting' already exists. Use `--overwrite` to update it.\n")
    assert cli("prefect variable set config '{\"a\": [true, 1]}'") == (0, "Set variable 'config'.\n")
    assert cli("prefect variable get config") == (0, '{"a": [true, 1]}\n')
    status, out = cli("prefect variable ls")
    assert '│ config   │ {"a": } │ a few seconds ago │ a few seconds ago │' in out  # `[true, 1]` is markup to rich
    assert cli("prefect variable unset greeting", stdin="n\n") == (0, "Unset variable 'greeting'.\n")  # no terminal: no question
    assert cli("prefect --prompt variable unset config", stdin="n\n") == (
        1, "? Are you sure you want to unset variable 'config'? [y/n]: Unset aborted.\n"
    )
    assert cli("prefect variable get greeting") == (1, "Variable 'greeting' not found.\n")


def test_limits_and_blocks(session: sim_prefect.Session) -> None:
    status, out = cli("prefect concurrency-limit create db 2")
    assert status == 0 and "    tag - 'db'\n    concurrency_limit - 2\n" in out
    status, out = cli("prefect gcl create slow --limit 3")
    assert status == 0 and out.startswith("Created global concurrency limit with name 'slow' and ID '")
    assert out.endswith("'. Run\n`prefect gcl inspect slow` to view details.\n")  # wrapped at 100 columns
    status, out = cli("prefect gcl ls", columns=160)
    assert "│ slow   │ True   │ 3     │ 0            │ 0.0                   │" in out and "│ tag:db │" in out
    assert cli("prefect concurrency-limits ls --limit 1") == (0, "No concurrency limits found.\n")  # the server's order
    assert cli("prefect gcl disable slow") == (0, "Disabled global concurrency limit with name 'slow'.\n")
    assert cli("prefect gcl update slow") == (1, "No update arguments provided.\n")
    status, out = cli("prefect gcl create neg --limit -1")
    assert status == 1 and "  Input should be greater than or equal to 0 \n" in out  # pydantic's [type=...] is markup
    Secret(value="s3cr3t").save("api-key")
    status, out = cli("prefect block ls")
    assert "│ Secret │ api-key │ secret/api-key │" in out


def test_what_the_cli_does_not_imitate_fails_loudly(session: sim_prefect.Session) -> None:
    status, out = cli("prefect server start")
    assert status == 1 and out.startswith("prefect server (not one of the commands sim_prefect's CLI runs) cannot run on")
    status, out = cli("prefect flow-run retry x --help")
    assert status == 0 and out.startswith("Usage: prefect flow-run retry [OPTIONS] ID-OR-NAME\n")  # its help is known
    assert cli("prefect flow-run retry some-run")[0] == 1
    assert cli("prefect --profile elsewhere version") == (1, "Unknown profile 'elsewhere'.\n")


def test_a_deployment_run_waits_for_a_server_to_serve_it(session: sim_prefect.Session) -> None:
    deployment = small.to_deployment(name="nightly")  # type: ignore[attr-defined]
    deployment.apply()
    status, out = cli("prefect deployment run cli-test/nightly --param x=3 --flow-run-name later --start-in '2 hours'")
    assert status == 0, out
    assert "└── Parameters: {'x': 3}\n" in out and " UTC (in 2 hours)\n" in out
    assert cli("prefect flow-run ls --state Scheduled")[1].count("│ later │ SCHEDULED │ in 2 hours │") == 1
    status, out = cli("prefect deployment run cli-test/nightly --watch --watch-timeout 1")  # nothing serves it
    assert status == 1 and "exceeded watch timeout of 1 seconds" in out and out.endswith("An exception occurred.\n")


def test_a_served_deployment_runs_what_the_terminal_asks_for_and_the_watch_follows_it(
    session: sim_prefect.Session,
) -> None:
    typed: list[tuple[int, str]] = []

    def terminal() -> Iterator[Sleep]:
        # The page's terminal types while a Run serves: here a job on the session's scheduler, beside the serving loop.
        typed.append(cli("prefect deployment run cli-test/served --param x=2 --flow-run-name watched --watch"))
        yield Sleep(0.0)

    session.scheduler.spawn(Job(terminal()))
    session.serving.stop_when(lambda: bool(typed))
    small.serve(name="served")  # type: ignore[attr-defined]
    status, out = typed[0]
    events = [line.split()[-3] for line in out.splitlines() if line.startswith("● ")]
    assert events == ["prefect.flow-run.Pending", "prefect.flow-run.Submitting", "prefect.flow-run.Running",
                      "prefect.flow-run.Completed"]  # fmt: skip
    assert status == 0 and out.endswith("Flow run finished successfully in 'Completed'.\n")
    watched = [r for r in session.store.runs if r.kind == "flow"]
    assert [r.name for r in watched] == ["watched"] and "└── Parameters: {'x': 2}" in out


def test_start_times_are_read_as_dateparser_reads_them() -> None:
    now = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert parse_start("in 10 minutes", now) == now + datetime.timedelta(minutes=10)
    assert parse_start("in 1 hour 30 minutes", now) == now + datetime.timedelta(minutes=90)
    assert parse_start("at 5:30pm", now) == now.replace(hour=17, minute=30)
    assert parse_start("at 8:00", now) == now.replace(hour=8) + datetime.timedelta(days=1)  # passed today: tomorrow
    assert parse_start("at 2030-01-01 12:00", now) == datetime.datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert parse_start("in blorp", now) is None
    with pytest.raises(sim_prefect.exceptions.NotImitatedError):
        parse_start("at next tuesday", now)


def test_a_typed_line_is_split_as_a_shell_splits_it(session: sim_prefect.Session) -> None:
    assert cli("prefect variable set greeting 'hello world'") == (0, "Set variable 'greeting'.\n")
    assert cli("variable get greeting") == (0, '"hello world"\n')  # `prefect` itself may be left out
    assert cli("prefect variable get 'greeting") == (2, "prefect: No closing quotation\n")


def test_python_m_sim_prefect_cli_is_the_prefect_command() -> None:
    out = io.StringIO()
    assert run(["--version"], stdout=out) == 0 and out.getvalue() == f"{sim_prefect.PREFECT_VERSION}\n"
    done = subprocess.run([sys.executable, "-m", "sim_prefect.cli", "flow-run", "ls", "--limit", "x"], capture_output=True,
                          text=True, cwd=ROOT_DIR, env={"COLUMNS": "60", "PATH": ""})  # fmt: skip
    assert done.returncode == 1 and done.stderr.splitlines()[0] == "╭─ Error " + "─" * 50 + "╮"
