"""Conformance: each scenario prints what real Prefect prints and leaves the same state history.

Every test runs on both backends (see conftest.py) and compares against the
golden files in ``golden/``, which were captured from real Prefect (PREFECT_VERSION) and
normalised (see tests/harness/normalize.py). The real leg therefore checks that the golden
files still describe real Prefect; the sim leg checks sim_prefect against them.

Known, accepted differences are listed per scenario as `deviations`. Each one
rewrites the same text on both sides before the comparison, has a reason, and
is listed in sim_prefect/PORT.yaml.

To capture the golden files again from real Prefect::

    CONFORMANCE_UPDATE_GOLDEN=1 python -m pytest tests/conformance -m real
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from sim_prefect import PREFECT_VERSION
from tests.harness.backends import Backend, Result, Script
from tests.harness.normalize import mask_transcript, run_names
from tests.harness.transcripts import apply, run_view, state_lines, state_view

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCENARIO_DIR = HERE / "scenarios"
DEMO_DIR = HERE.parents[1] / "demo"
UPDATE = os.environ.get("CONFORMANCE_UPDATE_GOLDEN") == "1"


# -- deviations: known differences, with their reasons --------------------------------


def _without_result_records(text: str) -> str:
    """``ResultRecord(metadata=..., result=X)`` becomes ``X``."""
    opening = "ResultRecord(metadata=ResultRecordMetadata("
    while (start := text.find(opening)) != -1:
        depth, i, quote = 0, start, ""
        value_at = -1
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and text.startswith(", result=", i) and value_at < 0:
                value_at = i + len(", result=")
            i += 1
        text = text[:start] + text[value_at:i] + text[i + 1 :]
    return text


@dataclass(frozen=True)
class Deviation:
    """A known difference: why it exists, and how it is masked on both sides."""

    reason: str
    rewrite: Callable[[str], str]


DEVIATIONS: dict[str, Deviation] = {
    "result-record": Deviation(
        "Prefect's State repr shows the persisted ResultRecord(...); sim_prefect persists "
        "nothing and shows the value itself.",
        _without_result_records,
    ),
    "watch-shows-flow-run-events": Deviation(
        "`--watch` shows every state the flow run takes; which events Prefect's stream delivers varies from run "
        "to run (Scheduled, or Pending and Submitting; task-run events and a heartbeat, or not): only the final "
        "state's event line is compared.",
        lambda text: re.sub(r"^● .* prefect\.(?!flow-run\.(?:Completed|Failed|Crashed|Cancelled) )\S+ \* .*\n", "",
                            text, flags=re.M),
    ),
    "task-outside-flow-parent": Deviation(
        "Prefect's server files a task run made outside any flow under the flow run that "
        "ran last in the process (a side effect of its client context); sim_prefect "
        "records it with no flow run.",
        lambda text: re.sub(r"^task fetch_data in [^:]+:", "task fetch_data:", text, flags=re.M),
    ),
}


# -- scenarios --------------------------------------------------------------------------


def serving(deployments: list[str], commands: list[str], ended: int = 1) -> tuple[tuple[str, str], ...]:
    """A serving scenario's environment (tests/harness/serving.py): its deployments, the `prefect` commands typed
    while it serves, and how many runs end before its Ctrl-C; Prefect's runner polls every second."""
    return (
        ("CONFORMANCE_DEPLOYMENTS", ",".join(deployments)), ("CONFORMANCE_WHILE_SERVING", ";".join(commands)),
        ("CONFORMANCE_SERVED_RUNS", str(ended)), ("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
    )  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """A script run on both backends: a scenario of its own, or one of the lesson's demo files."""

    name: str
    concurrent: bool = False  # compare each run's lines in order, not the interleaving
    deviations: tuple[str, ...] = ()
    runs: int = 1  # run more than once, on the same result storage (a second run reads the first's cache)
    demo: bool = False  # demo/NAME.py rather than scenarios/NAME.py
    # What the script itself measures and prints, which varies from run to run under Prefect too
    # (regexes of the text to mask on both sides; not a deviation).
    measured: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # the script's environment (a serving scenario's: tests/harness/serving.py)

    @property
    def path(self) -> Path:
        return DEMO_DIR / f"{self.name}.py" if self.demo else SCENARIO_DIR / f"{self.name}.py"

    @property
    def golden_name(self) -> str:
        return f"demo-{self.name}" if self.demo else self.name

    def rewrites(self) -> list[Callable[[str], str]]:
        masks = [functools.partial(re.sub, pattern, "<measured>") for pattern in self.measured]
        return [*masks, *(DEVIATIONS[d].rewrite for d in self.deviations)]


SCENARIOS = [
    Scenario("retries_exhausted", deviations=("result-record",)),
    Scenario("return_state", deviations=("result-record",)),
    Scenario("submit_map_wait", concurrent=True, deviations=("result-record",)),
    Scenario("retry_variants"),
    Scenario("naming", deviations=("task-outside-flow-parent",)),
    Scenario("logging_levels"),
    Scenario("timeouts"),
    Scenario("cancel_and_crash"),
    Scenario("subflows"),
    Scenario("api_surface", concurrent=True),
    Scenario("hooks"),
    Scenario("caching", deviations=("result-record",)),
    Scenario("caching_rerun", runs=2),
    Scenario("async_flows", concurrent=True),
    Scenario("parameters"),
    Scenario("futures_helpers", concurrent=True),
    Scenario("modules", concurrent=True),
    # The lesson's own demo files, as they are (their `import sim_prefect` gets real Prefect there).
    *(Scenario(name, demo=True) for name in ("hello_flow", "pipeline", "states_tour", "flaky_source",
                                             "flaky_source.solution")),  # fmt: skip
    Scenario("concurrency", demo=True, concurrent=True),
    Scenario("lab_pipeline", demo=True, concurrent=True),
    *(Scenario(name, demo=True) for name in ("final_states", "cache_keys", "notify_hooks", "geocode",
                                             "geocode.solution", "invoices", "invoices.solution")),  # fmt: skip
    Scenario("cache_inputs", demo=True, runs=2),
    Scenario("async_concurrency", demo=True, concurrent=True),
    Scenario("partial_failures", demo=True, concurrent=True),
    # -- Prefect's server in the session: each area adds its scenarios under its own line --
    # area: overlapping waits
    Scenario("overlapping_waits", concurrent=True, measured=(r"(?<=took )\d+\.\ds",)),
    Scenario("retry_condition_callables"),
    # area: the client and events
    Scenario("client_reads"),
    Scenario("events_emit_read"),
    Scenario("runtime_info"),
    # area: variables and blocks
    Scenario("variables"),
    Scenario("blocks"),
    # area: transactions and concurrency limits
    Scenario("transactions_rollback"),
    Scenario("transactions_modes"),
    Scenario("transactions_idempotent", runs=2),
    Scenario("transactions_serializable", concurrent=True),
    Scenario("transactions_failures", concurrent=True),
    Scenario("concurrency_limits", concurrent=True),
    Scenario("tag_concurrency_limits", concurrent=True),
    # area: deployments, schedules, serving and pausing
    Scenario("serve_flow", env=serving(["my-flow/my-first-deployment"],
                                       ["deployment run my-flow/my-first-deployment --param name=cli"])),
    Scenario("serve_schedules", env=serving(["send-email/office-emails", "send-email/minute-reminder"], [])),
    Scenario("run_deployments", env=(("CONFORMANCE_DEPLOYMENTS", "my-flow/sdk-deployment"),)),
    Scenario("pausing", concurrent=True),
    Scenario("schedules"),
    # area: testing flows
    Scenario("testing_harness"),
    # area: the run view (task_inputs: the flow-run graph's arrows)
    Scenario("task_inputs"),
    # area: scaling out (page 9's demos: a thread pool's max_workers; the exercise's starter and solution)
    Scenario("thread_pool", demo=True, concurrent=True, measured=(r"(?<=took )\d+(?= s\b)",)),
    Scenario("supplier_pages", demo=True),
    Scenario("supplier_pages.solution", demo=True, concurrent=True),
    # area: transactions, limits and people (page 8's demos whose output does not hang on Prefect's timing: the
    # sales load twice on the same storage, the exercise's starter and solution, the settings from the server)
    Scenario("load_sales", demo=True, runs=2),
    Scenario("nightly_load", demo=True),
    Scenario("nightly_load.solution", demo=True),
    Scenario("export_config", demo=True),
]
BY_NAME = {s.golden_name: s for s in SCENARIOS}


@dataclass(frozen=True)
class Case:
    """One scenario run: which script, and with which colours (None: no terminal)."""

    scenario: Scenario
    colour: str | None = None

    @property
    def script(self) -> Script:
        return Script(self.scenario.path, runs=self.scenario.runs, colour=self.colour, env=self.scenario.env)

    def __str__(self) -> str:
        return self.scenario.golden_name + (f"-colour{self.colour}" if self.colour else "")


PLAIN = [Case(s) for s in SCENARIOS]
COLOURED = [
    Case(BY_NAME["demo-pipeline"], "256"),
    Case(BY_NAME["cancel_and_crash"], "256"),
    Case(BY_NAME["logging_levels"], "16"),
    Case(BY_NAME["subflows"], "nocolor"),
]


# -- helpers ----------------------------------------------------------------------------


def transcript(result: Result) -> list[str]:
    mapping = run_names(result.output, ((r["kind"], r["name"]) for r in result.states))
    paths = {str(SCENARIO_DIR): "<scenarios>", str(DEMO_DIR): "<demo>", sysconfig.get_paths()["stdlib"]: "<stdlib>"}
    return mask_transcript(result.output, mapping, paths) + [f"[exit status {result.returncode}]"]


def states(result: Result) -> list[str]:
    mapping = run_names(result.output, ((r["kind"], r["name"]) for r in result.states))
    return state_lines(result.states, mapping)


def golden(path: Path, actual: list[str], backend: Backend) -> list[str]:
    """The golden lines; in update mode the real leg writes them first."""
    if UPDATE and backend.name == "real":
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(actual) + "\n")
    if not path.exists():
        pytest.fail(f"no golden file {path.name}; capture it with CONFORMANCE_UPDATE_GOLDEN=1 -m real")
    return path.read_text().splitlines()


def assert_same(actual: list[str], expected: list[str], what: str) -> None:
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected, actual, "real Prefect (golden)", "this backend", lineterm=""))
        pytest.fail(f"{what} differs from real Prefect:\n{diff}", pytrace=False)


# -- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", PLAIN + COLOURED, ids=str)
def test_transcript_matches_prefect(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    actual = transcript(result)
    stem = case.scenario.golden_name
    name = f"{stem}.colour{case.colour}.out" if case.colour else f"{stem}.out"
    expected = golden(GOLDEN / name, actual, backend)
    rewrites = case.scenario.rewrites()
    actual, expected = apply(actual, rewrites), apply(expected, rewrites)
    if case.scenario.concurrent:
        got, want = run_view(actual), run_view(expected)
        assert_same(list(got.main), list(want.main), "the flow runs' own lines")
        assert_same(
            ["\n".join(t) for t in got.tasks], ["\n".join(t) for t in want.tasks], "the task runs' lines"
        )
    else:
        assert_same(actual, expected, "the transcript")


@pytest.mark.parametrize("case", PLAIN, ids=str)
def test_state_history_matches_prefect(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    actual = states(result)
    expected = golden(GOLDEN / f"{case.scenario.golden_name}.states", actual, backend)
    rewrites = case.scenario.rewrites()
    actual, expected = apply(actual, rewrites), apply(expected, rewrites)
    if case.scenario.concurrent:
        actual, expected = state_view(actual), state_view(expected)
    assert_same(actual, expected, "the state history")


def test_every_deviation_is_listed_in_port_yaml() -> None:
    port = yaml.safe_load((Path(__file__).resolve().parents[2] / "sim_prefect" / "PORT.yaml").read_text())
    assert port["upstream"]["version"] == PREFECT_VERSION
    listed = {d["id"]: d for d in port["deviations"]}
    assert all(d["what"] and d["why"] for d in listed.values())
    used = {d for s in SCENARIOS for d in s.deviations}
    assert used <= set(DEVIATIONS)
    missing = sorted(set(DEVIATIONS) - set(listed))
    assert not missing, f"deviations missing from sim_prefect/PORT.yaml: {missing}"
