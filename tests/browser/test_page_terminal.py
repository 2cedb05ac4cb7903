"""The page's terminal (a textbox named "Terminal"): the Prefect CLI on the page's session, typed as a learner types it.

The commands are typed into the page and what the terminal shows is compared, after the one
normaliser (`mask_cli_transcript`), with the transcripts recorded from real Prefect 3.9.1's
``prefect`` command (tests/conformance/golden/cli-*.out): the same server is set up in the page
by running the scenario's own setup.py as a Run, then the scenario's commands are typed in
order. Then what is the page's own: ``python FILE.py`` runs that snippet, history with
Up/Down, Ctrl-C, the store shared with the runs list, and how the terminal looks (360 and
1280 px, light and dark, axe).

Each host gets a page of its own (the terminal works on the whole page's session).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.page_helpers import SNIPPET, original_code, output_text, run, run_code, set_code, status_text
from tests.browser.test_page_a11y import axe_violations
from tests.harness.cli_session import Step, read_steps, typed
from tests.harness.normalize import mask_cli_transcript

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "tests" / "conformance" / "cli"
GOLDEN = ROOT / "tests" / "conformance" / "golden"
TERMINAL = "[data-terminal]"
INPUT_TIMEOUT_MS = 30_000

# What the page's session is not, beside the recorded one: the golden's CLI talked to a Prefect server
# (PREFECT_API_URL); the page's session is its own server, as Prefect's is without one (ephemeral).
SERVER_TYPE = ("Server type:          server", "Server type:          ephemeral")
# `prefect version` describes the machine it runs on: the recording's CPython on Linux, the page's Pyodide.
MACHINE = re.compile(r"^(\s*(?:Python version|OS/Arch|Pydantic version|SQLite version):\s+).*$")


def terminal(page):  # type: ignore[no-untyped-def]
    """The terminal's textbox, the terminal opened first if it is not."""
    box = page.get_by_role("textbox", name="Terminal", exact=True)
    if not box.count() or not box.is_visible():
        page.get_by_role("button", name="Terminal").click()
        box.wait_for(timeout=INPUT_TIMEOUT_MS)
    return box


def type_line(page, line: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """Type a line and press Enter; what the terminal then shows for it, and its exit status."""
    box = terminal(page)
    entries = page.locator(f"{TERMINAL} .term-entry:not(.term-note)")
    before = entries.count()
    box.fill(line)
    box.press("Enter")
    entry = entries.nth(before)
    page.wait_for_function(
        "([sel, n]) => { const e = document.querySelectorAll(sel)[n]; return e && e.dataset.exit !== undefined; }",
        arg=[f"{TERMINAL} .term-entry:not(.term-note)", before], timeout=INPUT_TIMEOUT_MS,
    )  # fmt: skip
    assert entry.locator(".term-cmd").inner_text() == line
    text = entry.locator(".term-out").evaluate("el => el.textContent")
    return str(text), int(entry.get_attribute("data-exit") or "-1")


def blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """A masked transcript as (command line, the lines after it) in order."""
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            found.append((line, []))
        elif found:
            found[-1][1].append(line)
    return found


def golden_blocks(name: str) -> list[tuple[str, list[str]]]:
    return blocks((GOLDEN / f"cli-{name}.out").read_text(encoding="utf-8").splitlines())


def type_scenario(page, steps: list[Step], ids: dict[str, str], name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type each step as a learner would (a 100-column terminal unless the step says otherwise), as a masked
    transcript. The ids of the flow runs a listing shows are learnt from it, for the steps after it."""
    transcript = []
    for step in steps:
        argv = [re.sub(r"\{run:([^}]+)\}", lambda m: ids[m.group(1)], word) for word in step.argv]
        header = typed(step, argv)
        line = header.removeprefix("$ ")
        if step.columns == 100:
            line = f"COLUMNS=100 {line}"
        text, status = type_line(page, line)
        ids.update({m.group(2): m.group(1) for m in re.finditer(r"│ ([0-9a-f-]{36}) │ cli-pipeline │ (\S+)", text)})
        transcript.append(f"{header}\n{text}[exit {status}]\n")
    # The recording ran the scenario's setup.py from its folder; the page ran it as the snippet's file.
    return mask_cli_transcript("".join(transcript), {'File "pipeline.py"': f'File "<conformance>/cli/{name}/setup.py"'})


def assert_matches_golden(actual: list[str], name: str, steps: list[Step]) -> int:
    """Each typed command's block equals the golden's block for the same step of the scenario (the golden holds
    one block per step of its commands.txt, in order)."""
    every = [step for step in read_steps(CLI / name / "commands.txt") if not step.deployment]
    expected = golden_blocks(name)
    assert len(expected) == len(every)
    typed_blocks = blocks(actual)
    assert len(typed_blocks) == len(steps)
    for (header, body), step in zip(typed_blocks, steps):
        want_header, want = expected[every.index(step)]
        assert header == want_header
        want = [MACHINE.sub(r"\1<machine>", line.replace(*SERVER_TYPE)) for line in want]
        body = [MACHINE.sub(r"\1<machine>", line) for line in body]
        assert body == want, f"{header}\n--- the page shows\n" + "\n".join(body) + "\n--- real Prefect printed\n" + "\n".join(want)
    return len(steps)


def steps_of(name: str, wanted: list[str]) -> list[Step]:
    """The steps of a scenario's commands.txt whose line starts with one of `wanted` (in the file's order; a `$` at
    the end of one: the whole line)."""

    def chosen(line: str) -> bool:
        return any(line == w[:-1] if w.endswith("$") else line.startswith(w) for w in wanted)

    return [s for s in read_steps(CLI / name / "commands.txt") if chosen(s.line)]


def test_typed_commands_print_what_real_prefect_printed(session_page) -> None:
    page = session_page
    # The server the recorded session had: its setup.py, run in the page as a Run.
    set_code(page, SNIPPET, (CLI / "basics" / "setup.py").read_text(encoding="utf-8"))
    assert run(page)["ok"]
    ids: dict[str, str] = {}
    help_steps = steps_of("help", [
        "prefect version --omit-integrations", "prefect foo", "prefect flow-run ls --help$", "prefect flow-run inspect not-a-uuid",
    ])  # fmt: skip
    assert assert_matches_golden(type_scenario(page, help_steps, ids, "help"), "help", help_steps) == len(help_steps) == 4
    # The runs of the Run, the variables (set, an error, get, ls, unset twice), the blocks.
    basics = steps_of("basics", [
        "COLUMNS=200 prefect flow_run ls", "prefect flow-run logs {run:cli-fail}", "COLUMNS=200 prefect variable ls  #",
        "prefect variable set cli_greeting hello", "prefect variable set cli_greeting world$", "prefect variable get cli_config",
        "prefect Variable unset", "prefect variable unset", "prefect block ls",
    ])  # fmt: skip
    assert len(basics) == 9
    assert assert_matches_golden(type_scenario(page, basics, ids, "basics"), "basics", basics) == len(basics)
    assert set(ids) == {"cli-ok", "cli-fail", "cli-retry"}
    deployments = steps_of("deployments", ["prefect deployment inspect cli-served/nope"])
    assert assert_matches_golden(type_scenario(page, deployments, ids, "deployments"), "deployments", deployments) == len(deployments) == 1
    assert page.errors == []  # type: ignore[attr-defined]


READS_A_VARIABLE = """from prefect import flow
from prefect.variables import Variable


@flow
def reader() -> None:
    print("page_var is", Variable.get("page_var"))


reader()
"""


def test_python_file_history_ctrl_c_and_one_store_with_the_page(session_page, artifacts) -> None:
    page = session_page
    set_code(page, SNIPPET, original_code(page, SNIPPET))
    box = terminal(page)
    # `python FILE.py` is that snippet's Run: its output shows in the snippet and here, the same text.
    shown, status = type_line(page, "python pipeline.py")
    assert status == 0 and "Beginning flow run" in shown and "Finished in state Completed()" in shown
    assert shown == output_text(page)
    name = page.locator(f"{SNIPPET} [data-run-view] .rv-run-name").inner_text()
    listed, status = type_line(page, "prefect flow-run ls")
    assert status == 0 and name in listed, listed  # the Run's flow run, listed by the CLI
    # History: Up and Down, back to what was being typed.
    box.fill("prefect dep")
    for key, value in [("ArrowUp", "prefect flow-run ls"), ("ArrowUp", "python pipeline.py"), ("ArrowDown", "prefect flow-run ls"),
                       ("ArrowDown", "prefect dep")]:  # fmt: skip
        box.press(key)
        assert box.input_value() == value
    # Ctrl-C with nothing running drops the line; during a Run it stops it, as Stop does.
    box.press("Control+c")
    assert box.input_value() == "" and page.locator(f"{TERMINAL} .term-cmd").last.inner_text() == "prefect dep^C"
    set_code(page, SNIPPET, "while True:\n    pass\n")
    box.fill("python pipeline.py")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-snippet$=\"--pipeline\"]').classList.contains('is-running')")
    box.press("Control+c")
    entry = page.locator(f"{TERMINAL} .term-entry").last
    page.wait_for_function("(sel) => document.querySelector(sel + ' .term-entry:last-child').dataset.exit === '130'", arg=TERMINAL)
    assert entry.locator(".term-out").inner_text().strip().endswith("^C") and status_text(page).startswith("Stopped after")
    # A variable set here is read by the next Run; text is text, never markup.
    assert type_line(page, "prefect variable set page_var 7")[1] == 0
    assert run_code(page, READS_A_VARIABLE)["ok"] and "page_var is 7" in output_text(page)
    markup = "<img src=x onerror=alert(1)>"
    assert type_line(page, f"prefect variable set page_html '{markup}'")[1] == 0
    got, status = type_line(page, "prefect variable get page_html")
    assert status == 0 and got.strip() == f'"{markup}"' and page.locator(f"{TERMINAL} img").count() == 0
    # Programs the terminal does not have, and help.
    missing, status = type_line(page, "ls -la")
    assert status == 127 and missing.startswith("bash: ls: command not found")
    helped, status = type_line(page, "help")
    assert status == 0 and "python FILE.py" in helped and "pipeline.py" in helped
    set_code(page, SNIPPET, original_code(page, SNIPPET))
    # How it looks: 360 and 1280 px, light and dark; nothing scrolls sideways; axe finds nothing serious.
    for width in (360, 1280):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": 800})
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(400)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
            assert box.is_visible() and box.bounding_box()["width"] > width * 0.6
            page.screenshot(path=str(artifacts / f"terminal-{width}-{scheme}.png"))
            if (width == 360) == (scheme == "dark"):  # axe takes seconds: two of the four, each size and scheme once
                violations = axe_violations(page)
                assert violations == [], (width, scheme, violations)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")
    # Closed (Escape), its button has the focus; `clear` empties it.
    box.press("Escape")
    toggle = page.get_by_role("button", name="Terminal")
    assert toggle.get_attribute("aria-expanded") == "false" and box.is_hidden()
    assert page.evaluate("document.activeElement.matches('[data-terminal-toggle]')")
    terminal(page).fill("clear")
    box.press("Enter")
    assert page.locator(f"{TERMINAL} .term-entry").count() == 0 and page.evaluate("document.activeElement.matches('.term-input')")
    assert page.errors == [] and page.dialogs == []  # type: ignore[attr-defined]
