"""Every `prefect ...` command the pages show exists in real Prefect, with those options.

Each command is judged by real Prefect's own `--help`: the subcommand path must
exist (`prefect deployment run`), and every `--option` used must be listed in
that command's help. The commands come from the pages' shell fences, and from
inline code spans that start with `prefect ` (a few commands are named in
prose). Commands that a page names only to warn that they do not exist are
listed in KNOWN_WRONG, and must indeed be rejected.
"""

from __future__ import annotations

import shlex

import pytest

from tests.harness.real_prefect import skip_reason
from tests.lesson.lesson_helpers import HelpCache, check_command, lesson_pages, prefect_commands, prefect_shell_env

SKIP = skip_reason()
pytestmark = [pytest.mark.real, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

PAGES = lesson_pages()
# Named in a warning on page 2 as a Prefect 2-era command that Prefect 3 does not have.
KNOWN_WRONG = {"prefect flow-run create"}


def _inline_commands() -> list[tuple[str, int, str]]:
    return [(page.name, line, span) for page in PAGES for line, span in page.code_spans if span.startswith("prefect ")]


FENCED = prefect_commands(PAGES)
INLINE = _inline_commands()


@pytest.fixture(scope="module")
def helps(tmp_path_factory: pytest.TempPathFactory) -> HelpCache:
    cache = HelpCache(prefect_shell_env(tmp_path_factory.mktemp("prefect-home-cli")))
    # Fetch every prefix of every command's leading words at once: the helps
    # take about a second each, and most are needed.
    paths = set()
    for _, _, command in FENCED + INLINE:
        words = shlex.split(command)[1:]
        lead = []
        for word in words:
            if word.startswith("-"):
                break
            lead.append(word)
        paths.update(tuple(lead[:n]) for n in range(len(lead) + 1))
    paths.update([("flow-run",), ("deployment", "run")])
    cache.get_many(sorted(paths))
    return cache


def test_the_pages_show_prefect_commands() -> None:
    shown = {" ".join(shlex.split(c)[:3]) for _, _, c in FENCED}
    assert "prefect deployment run" in shown
    assert "prefect server start" in shown


@pytest.mark.parametrize(("page", "line", "command"), FENCED, ids=[f"{p}:{n}" for p, n, _ in FENCED])
def test_fenced_command_exists_with_its_options(page: str, line: int, command: str, helps: HelpCache) -> None:
    assert check_command(command, helps) == [], f"{page}:{line}: {command}"


@pytest.mark.parametrize(("page", "line", "command"), INLINE, ids=[f"{p}:{n}" for p, n, _ in INLINE])
def test_inline_command_exists_with_its_options(page: str, line: int, command: str, helps: HelpCache) -> None:
    problems = check_command(command, helps)
    if command in KNOWN_WRONG:
        assert problems, f"{page}:{line}: '{command}' is shown as wrong, but real Prefect accepts it"
    else:
        assert problems == [], f"{page}:{line}: {command}"


def test_the_checker_rejects_what_real_prefect_rejects(helps: HelpCache) -> None:
    """The checker is not a rubber stamp: it catches the brief's wrong command, and bad options."""
    assert check_command("prefect flow-run create example-pipeline --param url=x", helps)
    assert check_command("prefect deployment run 'example-pipeline/demo' --parameter url=x", helps)
    assert check_command("prefect deployments run 'example-pipeline/demo' -p url=x --watch", helps) == []
    assert "create" not in helps.get(("flow-run",)).commands
    assert {"--param", "-p", "--params", "--watch"} <= helps.get(("deployment", "run")).options
