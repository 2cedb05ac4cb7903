"""Where the build reads and writes: one small value, so tests can point it elsewhere.

The content folders (``lesson/``, ``demo/``, ``templates/``, ``web/``) and the
output (``_site/``) sit under `base`; the code the site ships (``sim_prefect/``,
``playground/``) and Pyodide (``node_modules/pyodide``) come from `code`. In the
real project both are the repository root; a test builds a fixture course in a
temporary folder with the real code and templates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    base: Path
    lesson_dir: Path
    demo_dir: Path
    template_dir: Path
    web_dir: Path
    site_dir: Path
    code: Path = ROOT

    @classmethod
    def at(cls, base: Path, *, code: Path = ROOT, **folders: Path) -> Project:
        """The standard layout under `base`; any folder can be overridden by keyword."""
        defaults = {
            "lesson_dir": base / "lesson",
            "demo_dir": base / "demo",
            "template_dir": base / "templates",
            "web_dir": base / "web",
            "site_dir": base / "_site",
        }
        return cls(base=base, code=code, **{**defaults, **folders})

    def with_site(self, site_dir: Path) -> Project:
        return replace(self, site_dir=site_dir)

    def rel(self, path: Path) -> str:
        """A path as errors show it: relative to the project, e.g. ``lesson/02-x.md``."""
        for anchor in (self.base, self.code):
            try:
                return path.relative_to(anchor).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    @property
    def pyodide_dir(self) -> Path:
        return self.code / "node_modules" / "pyodide"

    def watched(self) -> list[Path]:
        """What `--serve` watches: everything the site is built from."""
        return [
            self.lesson_dir,
            self.demo_dir,
            self.template_dir,
            self.web_dir,
            self.code / "sim_prefect",
            self.code / "playground",
        ]


DEFAULT = Project.at(ROOT)
