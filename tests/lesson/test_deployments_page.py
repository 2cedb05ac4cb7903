"""Page 6 shows what Prefect 3.9.1's CLI printed for its `prefect deployment run` command.

The transcript is recorded from real Prefect in tests/conformance/cli/schedules (the page's
file for real Prefect served, the page's commands typed: golden/cli-schedules.out, compared
on both legs by tests/conformance/test_cli_transcripts.py). Here the page's `text` block
after the command must be that recorded output, with only what is the learner's own (the
run's generated name, its id, the date and time) written in.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.lesson.lesson_helpers import LESSON_DIR, SHELL_LANGS, read_page, shell_commands

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "conformance" / "golden" / "cli-schedules.out"
PAGE = LESSON_DIR / "06-deployments-and-schedules.md"


def _recorded() -> dict[str, list[str]]:
    """Each command of the golden transcript (as typed, split) and the lines it printed."""
    blocks: dict[str, list[str]] = {}
    command = None
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.startswith("$ "):
            command = " ".join(shlex.split(line[2:]))
            blocks[command] = []
        elif command is not None and not line.startswith("[exit "):
            blocks[command].append(line)
    return blocks


def _masked(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    text = re.sub(r"^Created flow run '[a-z]+-[a-z]+'\.$", "Created flow run '<flow-run>'.", text, flags=re.M)
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w+", "<date> <time> <zone>", text)
    return text.splitlines()


def test_the_page_shows_the_recorded_output_of_its_command() -> None:
    page = read_page(PAGE)
    fences = page.fences
    shown = 0
    for n, fence in enumerate(fences):
        if fence.lang not in SHELL_LANGS:
            continue
        for command in shell_commands(fence):
            if not command.startswith("prefect deployment run ") or n + 1 >= len(fences) or fences[n + 1].lang != "text":
                continue
            recorded = _recorded().get(" ".join(shlex.split(command)))
            assert recorded is not None, f"no recorded transcript of `{command}` in {GOLDEN.name}"
            assert _masked(fences[n + 1].body.splitlines()) == recorded
            shown += 1
    assert shown == 1, "page 6 shows the output of its `prefect deployment run` command once"


def test_every_deployment_run_the_page_shows_was_recorded() -> None:
    page = read_page(PAGE)
    recorded = _recorded()
    commands = [c for f in page.fences if f.lang in SHELL_LANGS for c in shell_commands(f) if c.startswith("prefect deployment run ")]
    assert len(commands) >= 2, "page 6 shows `prefect deployment run` for its Terminal and for the lab at home"
    for command in commands:
        assert " ".join(shlex.split(command)) in recorded, f"no recorded transcript of `{command}` in {GOLDEN.name}"
