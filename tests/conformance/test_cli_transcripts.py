"""The Prefect CLI on sim_prefect prints what Prefect 3.9.1's prints: typed commands, transcript against transcript.

Each scenario in ``cli/`` (a server set up by plain ``from prefect import ...`` scripts, a
deployment served meanwhile, and the commands a learner types: tests/harness/cli_session.py)
runs on both legs:

- **real**: the installed ``prefect`` command, one process per command, against the
  session's server (``prefect_server``). Listing commands show everything on a server, so
  these tests are marked ``empty_server``: they run on it before any other test has written
  to it (tests/conftest.py orders them), in the order below, and each scenario's cleanup
  leaves it as it found it;
- **sim**: `sim_prefect.cli.run` in one process, on the session the scripts ran in, in
  fast mode, as the page runs it.

Both transcripts are compared with ``golden/cli-NAME.out``, captured from real Prefect
(``CONFORMANCE_UPDATE_GOLDEN=1 ... -m real -k cli``) and normalised
(`tests.harness.normalize.mask_cli_transcript`: ids, dates, durations, relative times
and the engine's traceback frames). Known differences are named deviations
(test_conformance.py's DEVIATIONS, listed in PORT.yaml).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conformance.test_conformance import DEVIATIONS, GOLDEN, assert_same, golden
from tests.harness.normalize import mask_cli_transcript
from tests.harness.real_prefect import PrefectServer, clean_env
from tests.harness.transcripts import apply

HERE = Path(__file__).resolve().parent
CLI = HERE / "cli"
SESSION = HERE.parent / "harness" / "cli_session.py"
# Both legs: no UI to link to, and a served deployment polled every 2 s (Prefect's default, 10 s, only slows the watch).
COMMON_ENV = {"PREFECT_UI_URL": "", "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
# The sim leg is told of a server as the real leg is (`prefect version` reports its type; nothing connects to it).
SIM_ENV = {"SIM_PREFECT_MODE": "fast", "SIM_PREFECT_SEED": "0", "PREFECT_API_URL": "http://127.0.0.1:4200/api"}


@dataclass(frozen=True)
class CliScenario:
    name: str
    deviations: tuple[str, ...] = ()

    @property
    def folder(self) -> Path:
        return CLI / self.name


SCENARIOS = [
    CliScenario("help"),
    CliScenario("basics"),
    CliScenario("deployments", deviations=("watch-shows-flow-run-events",)),
    CliScenario("schedules"),  # page 6's commands
]


@dataclass
class Leg:
    name: str
    env: dict[str, str]
    workdir: Path

    def run(self, scenario: CliScenario) -> str:
        out = self.workdir / f"{self.name}-{scenario.name}.txt"
        done = subprocess.run(
            [sys.executable, str(SESSION), "--backend", self.name, "--out", str(out), str(scenario.folder)],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1800,
        )  # fmt: skip
        assert done.returncode == 0, f"the {self.name} leg of {scenario.name} failed:\n{done.stdout.decode()[-4000:]}"
        return out.read_text(encoding="utf-8")


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("real", marks=pytest.mark.real, id="real"),
        pytest.param("sim", marks=pytest.mark.fake, id="sim"),
    ],
)
def cli_leg(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Leg:
    workdir = tmp_path_factory.mktemp("cli")
    if request.param == "sim":
        return Leg("sim", {**clean_env(), **COMMON_ENV, **SIM_ENV}, workdir)
    server: PrefectServer = request.getfixturevalue("prefect_server")
    return Leg("real", {**server.client_env(), **COMMON_ENV}, workdir)


@pytest.mark.empty_server
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_cli_transcript_matches_prefect(cli_leg: Leg, scenario: CliScenario) -> None:
    actual = mask_cli_transcript(cli_leg.run(scenario), {str(HERE): "<conformance>"})
    expected = golden(GOLDEN / f"cli-{scenario.name}.out", actual, cli_leg)  # type: ignore[arg-type]
    rewrites = [DEVIATIONS[d].rewrite for d in scenario.deviations]
    assert_same(apply(actual, rewrites), apply(expected, rewrites), f"the CLI transcript of {scenario.name}")


def test_every_scenario_types_commands() -> None:
    """Each scenario folder is run by the test above, and types at least one command."""
    assert {s.name for s in SCENARIOS} == {p.name for p in CLI.iterdir() if p.is_dir() and p.name != "__pycache__"}
    for scenario in SCENARIOS:
        lines = (scenario.folder / "commands.txt").read_text().splitlines()
        assert any(re.match(r"(COLUMNS=\d+ )?prefect ", line) for line in lines), scenario.name
