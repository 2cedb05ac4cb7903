"""Reading the lesson pages, and running real Prefect, for the lesson's tests.

Nothing here reads ../shared: the pages, the demo files and the installed
Prefect are the only sources.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tests.harness.real_prefect import prefect_cli

ROOT = Path(__file__).resolve().parents[2]
LESSON_DIR = ROOT / "lesson"
DEMO_DIR = ROOT / "demo"

PREFECT_VERSION = "3.9.1"  # what `make test` installs
DIRECTIVES = ("runnable", "exercise", "prefect-code", "file")
PYTHON_LANGS = {"python", "py", "python3", "pycon"}
SHELL_LANGS = {"bash", "sh", "shell", "console", "zsh"}


# -- pages ------------------------------------------------------------------------------


@dataclass
class Fence:
    info: str
    body: str
    line: int  # 1-based line of the opening fence

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def directive(self) -> str | None:
        match = re.match(r"^\{([a-z-]+)\}", self.info)
        return match[1] if match else None

    @property
    def argument(self) -> str:
        parts = self.info.split()
        return parts[1] if len(parts) > 1 else ""

    def options(self, key: str) -> list[str]:
        return [m[1].strip() for m in re.finditer(rf"^:{re.escape(key)}:(.*)$", self.body, re.M)]


@dataclass
class Page:
    path: Path
    meta: dict
    body: str
    fences: list[Fence] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def read_fences(text: str) -> list[Fence]:
    """CommonMark fenced code blocks: their info string, body and line."""
    fences: list[Fence] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match or (match[2][0] == "`" and "`" in match[3]):
            i += 1
            continue
        marker, info, start = match[2], match[3].strip(), i
        body: list[str] = []
        i += 1
        while i < len(lines):
            close = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", lines[i])
            if close and close[1][0] == marker[0] and len(close[1]) >= len(marker):
                break
            body.append(lines[i])
            i += 1
        fences.append(Fence(info, "\n".join(body), start + 1))
        i += 1
    return fences


def read_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise AssertionError(f"{path.name}: no YAML front matter")
    end = text.index("\n---\n", 4)
    meta = yaml.safe_load(text[4:end])
    return Page(path, meta, text, read_fences(text))


def lesson_pages() -> list[Page]:
    return [read_page(p) for p in sorted(LESSON_DIR.glob("*.md"))]


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


def real_prefect_skip_reason() -> str | None:
    """Why the real-Prefect tests cannot run here, or None when they can."""
    if importlib.util.find_spec("prefect") is None:
        return (
            f"real Prefect is not installed for {sys.executable}; `make test` installs "
            f"prefect=={PREFECT_VERSION} (with fastapi==0.150.0 and requests)"
        )
    return None


def prefect_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for real Prefect: its own home, no telemetry, the temporary server.

    Not tests/harness's `prefect_env`: that one blanks PREFECT_UI_URL, and the lesson's
    commands must print the "View at" links the page shows."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",  # help panels wide enough that no option name wraps
        NO_COLOR="1",
        # The temporary server's start-up limit is 20 s; a busy CI machine can need more.
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return env


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
