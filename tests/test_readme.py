"""README's "What is where" names every module a newcomer may look for."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ["sim_prefect", "playground", "lessonbuild", "web"]  # and each module in them


def layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## What is where", 1)[1]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_layout_names_every_module() -> None:
    named = layout()
    missing = [
        f"{folder}/{path.name}"
        for folder in FOLDERS
        for path in sorted((ROOT / folder).iterdir())
        if (path.suffix in (".py", ".js") or path.is_dir()) and not path.name.startswith(("_", "."))
        and path.name not in named
    ]
    missing += [name for name in [*FOLDERS, "demo", "lesson", "templates", "tests", "bench"] if f"{name}/" not in named]
    assert missing == [], f"README's layout does not mention: {missing}"
