"""Reading the lesson pages, and running real Prefect, for the lesson's tests.

The pages are read by lessonbuild itself, as the build reads them: its
markdown-it parser with the directive plugin (which refuses a bare Python
block or an unknown directive, with the file and line) and its front-matter
reader. A page's fences come with their directive, argument and options; its
links and heading anchors are the ones the build checks.

Nothing here reads ../shared: the pages, the demo files and the installed
Prefect are the only sources.
"""

from __future__ import annotations

import functools
import re
import shlex
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonbuild.directives import Directive
from lessonbuild.frontmatter import read_front_matter
from lessonbuild.markdown import make_markdown, new_env
from lessonbuild.pages import Link
from tests.harness.real_prefect import prefect_cli, prefect_env

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
LESSON_DIR = ROOT / "lesson"
DEMO_DIR = ROOT / "demo"

SHELL_LANGS = {"bash", "sh", "shell", "console", "zsh"}


# -- pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fence:
    """A fenced block as the build parsed it: a directive (``{runnable} x.py``) or a plain fence."""

    line: int  # 1-based line of the opening fence
    body: str  # a plain fence's code; a directive's option lines
    lang: str = ""  # a plain fence's language ("" for a directive)
    parsed: Directive | None = None

    @property
    def directive(self) -> str | None:
        return self.parsed.name if self.parsed else None

    @property
    def argument(self) -> str:
        return self.parsed.argument if self.parsed else ""

    def options(self, key: str) -> list[str]:
        return list(self.parsed.options.get(key, [])) if self.parsed else []


@dataclass
class Page:
    path: Path
    meta: dict[str, Any]
    body: str  # the whole file
    fences: list[Fence] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # every link and image, as written and with its line
    anchors: set[str] = field(default_factory=set)  # the ids of its ## and ### headings
    code_spans: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of each `inline code`

    @property
    def name(self) -> str:
        return self.path.name


@functools.cache
def _parser() -> MarkdownIt:
    return make_markdown(render=lambda directive, env: "")  # parsing only: blocks are never rendered here


def parse_page(text: str, path: Path) -> Page:
    """A lesson's text read as the build reads it; BuildError (file:line) where the build would fail."""
    rel = path.relative_to(ROOT).as_posix()
    env = new_env(rel)
    tokens = _parser().parse(text, env)
    front = read_front_matter(tokens, text, rel)
    page = Page(path, front.meta, text, links=list(env["links"]), anchors={item["id"] for item in env["toc"]})
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        if token.type == "directive":
            page.fences.append(Fence(line, token.content, parsed=token.meta["directive"]))
        elif token.type == "fence":
            page.fences.append(Fence(line, token.content, lang=token.info.split()[0] if token.info.strip() else ""))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "code_inline":
                    page.code_spans.append((line, child.content))
    return page


def read_page(path: Path) -> Page:
    return parse_page(path.read_text(encoding="utf-8"), path)


def lesson_pages() -> list[Page]:
    return [read_page(p) for p in sorted(LESSON_DIR.glob("*.md"))]


@dataclass(frozen=True)
class Exercise:
    """An ``{exercise}`` block of a page: its starter, check and solution files in demo/, and its hints."""

    page: str
    line: int
    starter: str
    check: str
    solution: str
    hints: tuple[str, ...]
    runner: str = "python"  # pytest: the starter is a test module
    fixed: tuple[str, ...] = ()  # a pytest exercise's NAME.fixed.py files


def exercises(pages: list[Page]) -> list[Exercise]:
    """Every exercise of the course, in page order."""
    return [
        Exercise(
            page.name, fence.line, fence.argument, fence.options("check")[0], fence.options("solution")[0],
            tuple(fence.options("hint")), (fence.options("runner") or ["python"])[0], tuple(fence.options("fixed")),
        )  # fmt: skip
        for page in pages
        for fence in page.fences
        if fence.directive == "exercise"
    ]


# -- demo/real/ copies of demos ------------------------------------------------------------------

SIM_IMPORT = re.compile(r"^from sim_prefect(?P<module>(?:\.\w+)*) import (?P<names>.*)$", re.M)


def as_real_prefect(source: str) -> str:
    """A sim_prefect demo as real-Prefect code: the only lines that may differ between the two.

    ``from sim_prefect[.x] import ...`` becomes ``from prefect[.x] import ...`` without
    `print_state_log` (the simulator's own table), and the ``print_state_log()`` call goes.
    """

    def imports(match: re.Match[str]) -> str:
        names = [n for n in (n.strip() for n in match["names"].split(",")) if n != "print_state_log"]
        return f"from prefect{match['module']} import {', '.join(names)}"

    return SIM_IMPORT.sub(imports, source).replace("    print_state_log()\n", "")


# -- the prefect commands a page shows ------------------------------------------------------


def shell_commands(fence: Fence) -> list[str]:
    """The commands in a shell fence: `$ ` prompts in console blocks, every line otherwise."""
    console = fence.lang == "console"
    commands: list[str] = []
    pending = ""
    for raw in fence.body.splitlines():
        line = raw.rstrip()
        if console:
            if not pending and not line.startswith("$ "):
                continue  # output, not a command
            line = line[2:] if not pending else line
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        for part in re.split(r"&&|;|\|\|", line):
            part = part.strip()
            if part and not part.startswith("#"):
                commands.append(part)
    return commands


def prefect_commands(pages: list[Page]) -> list[tuple[str, int, str]]:
    """(page, line, command) for every `prefect ...` command in a shell fence."""
    found = []
    for page in pages:
        for fence in page.fences:
            if fence.lang in SHELL_LANGS:
                for command in shell_commands(fence):
                    words = shlex.split(command, comments=True)
                    if words and words[0] == "prefect":
                        found.append((page.name, fence.line, command))
    return found


# -- real Prefect ----------------------------------------------------------------------------


def prefect_shell_env(home: Path, **extra: str) -> dict[str, str]:
    """Real Prefect as a learner's shell runs the pages' commands: the harness's environment
    with the "View at" links the pages show, help panels wide enough that no option name
    wraps, and no colours."""
    return prefect_env(home, view_at_links=True, COLUMNS="200", NO_COLOR="1", **extra)


@dataclass
class Help:
    text: str

    @property
    def usage(self) -> str:
        match = re.search(r"^Usage: (.*)$", self.text, re.M)
        return match[1] if match else ""

    def _panel_rows(self, title: str) -> list[str]:
        rows, inside = [], False
        for line in self.text.splitlines():
            if line.startswith("╭"):
                inside = f" {title} " in line
            elif line.startswith("╰"):
                inside = False
            elif inside and line.startswith("│"):
                rows.append(line.strip("│ ").rstrip("│ "))
        return rows

    @property
    def commands(self) -> set[str]:
        """Subcommand names and their aliases, e.g. {'deployment', 'deployments'}."""
        names: set[str] = set()
        for row in self._panel_rows("Commands"):
            match = re.match(r"^([a-z][\w-]*)(?:\s+\(([^)]*)\))?", row)
            if match and not row.startswith("--"):
                names.add(match[1])
                if match[2]:
                    names.update(a.strip() for a in match[2].split(","))
        return names

    @property
    def options(self) -> set[str]:
        return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", self.text))

    @property
    def takes_arguments(self) -> bool:
        """Does the usage line name a positional argument (anything but COMMAND)?"""
        words = re.sub(r"\[OPTIONS\]", "", self.usage).split()
        return any(re.fullmatch(r"\[?[A-Z][A-Z_.-]*\]?(\.\.\.)?", w) and w.strip("[]") != "COMMAND" for w in words)


class HelpCache:
    """`prefect ... --help` outputs, fetched a few at a time and kept."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._cache: dict[tuple[str, ...], Help] = {}

    def _fetch(self, path: tuple[str, ...]) -> Help:
        proc = subprocess.run(
            [*prefect_cli(), *path, "--help"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Help(proc.stdout + proc.stderr)

    def get_many(self, paths: list[tuple[str, ...]]) -> list[Help]:
        missing = sorted({p for p in paths if p not in self._cache})
        with ThreadPoolExecutor(max_workers=6) as pool:
            for path, found in zip(missing, pool.map(self._fetch, missing)):
                self._cache[path] = found
        return [self._cache[p] for p in paths]

    def get(self, path: tuple[str, ...]) -> Help:
        return self.get_many([path])[0]


def check_command(command: str, helps: HelpCache) -> list[str]:
    """What is wrong with a `prefect ...` command, judged by real Prefect's --help."""
    words = shlex.split(command, comments=True)
    assert words[0] == "prefect", command
    path: tuple[str, ...] = ()
    rest = words[1:]
    # Walk down the subcommands for as long as the words name one.
    while rest and not rest[0].startswith("-"):
        here = helps.get(path)
        if rest[0] in here.commands:
            path += (rest.pop(0),)
            continue
        if not here.takes_arguments:
            shown = " ".join(("prefect", *path))
            known = ", ".join(sorted(here.commands)) or "none"
            return [f"'{shown}' has no command '{rest[0]}' (its commands: {known})"]
        break
    here = helps.get(path)
    if here.commands and not here.takes_arguments and not path:
        return ["'prefect' needs a command"]
    problems = []
    for word in rest:
        if word.startswith("-") and word != "-":
            option = word.split("=", 1)[0]
            if option not in here.options:
                problems.append(f"'prefect {' '.join(path)}' has no option '{option}'")
    return problems
