"""What the project declares is what its code uses: pyproject's extras, package.json, and one Prefect version.

- The package's own dependencies are what sim_prefect and playground need: nothing
  beyond the standard library. lessonbuild's libraries are exactly the ``build``
  extra, which the ``test`` extra includes.
- Every npm package the page's JavaScript imports is a dependency in package.json
  (not only something another package happens to bring in).
- The Prefect release the suite checks against is written once, as
  ``sim_prefect.PREFECT_VERSION``: pyproject's pin and every "Prefect X.Y.Z" in the
  READMEs, the lessons, the scenarios' comments and PORT.yaml are held equal to it.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml
from lessonbuild import assets
from sim_prefect import PREFECT_VERSION

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_PARTY = {"sim_prefect", "playground", "lessonbuild", "tests", "bench", "__future__"}
# Imported by sim_prefect or playground although not in the standard library, and why that needs no dependency.
NOT_DEPENDENCIES = {
    "prefect": "playground/warm_up.py imports prefect, which sim_prefect serves in the page (aliases.py)",
    "pydantic": "sim_prefect/validation.py validates a learner's pydantic model, which exists only if pydantic does",
    "pyodide": "Pyodide's own module, there in the page's worker (and nowhere else)",
    "js": "Pyodide's bridge to JavaScript, there in the page's worker (and nowhere else)",
    # A test module's Run (playground/pytest_runner.py, pytest_plugin.py): the page brings pytest in pytest.zip,
    # which the build zips from the build extra's pinned pytest (lessonbuild/assets.py); at home, pip's.
    "pytest": "the page's test modules run with pytest, from pytest.zip",
    "_pytest": "pytest's own package, in the same pytest.zip",
}


def _project_name(requirement: str) -> str:
    """``Jinja2==3.1.6`` -> ``jinja2``; ``prefect-in-practice[build]`` -> ``prefect-in-practice``."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name[0]).lower()


def _extra(name: str) -> list[str]:
    return list(PYPROJECT["project"]["optional-dependencies"][name])


def _imports(folder: Path) -> dict[str, list[str]]:
    """Each top-level module imported by the Python files under `folder` (first party excluded) -> where."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                beside = (path.parent / f"{top}.py").is_file()  # a script's own sibling (tests/harness/runner.py's)
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY and not beside:
                    found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _distribution(module: str) -> str:
    """The project that installs `module` (``yaml`` -> ``pyyaml``)."""
    names = packages_distributions().get(module)
    return _project_name(names[0]) if names else _project_name(module)


def test_the_package_itself_needs_nothing() -> None:
    assert PYPROJECT["project"]["dependencies"] == []
    packaged = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {name.rstrip("*") for name in packaged} == {"sim_prefect", "playground", "lessonbuild"}


def test_sim_prefect_and_playground_import_only_the_standard_library() -> None:
    found = {**_imports(ROOT / "sim_prefect"), **_imports(ROOT / "playground")}
    assert set(found) <= set(NOT_DEPENDENCIES), {m: w for m, w in found.items() if m not in NOT_DEPENDENCIES}


def test_lessonbuild_imports_exactly_the_build_extra() -> None:
    imported = {_distribution(module) for module in _imports(ROOT / "lessonbuild")}
    # pytest.zip's projects are zipped from their installed files, not imported (assets.PYTEST_DISTRIBUTIONS).
    declared = {_project_name(r) for r in _extra("build")} - set(assets.PYTEST_DISTRIBUTIONS)
    assert imported == declared, f"imported but not declared: {imported - declared}; declared, unused: {declared - imported}"


def test_the_test_and_bench_extras_include_the_build_extra() -> None:
    for extra in ("test", "bench"):
        assert "prefect-in-practice[build]" in _extra(extra), extra


def test_tests_and_benchmarks_import_only_declared_projects() -> None:
    declared = {_project_name(r) for extra in ("build", "test", "bench") for r in _extra(extra)}
    for folder in ("tests", "bench"):
        found = _imports(ROOT / folder)
        undeclared = {module: where for module, where in found.items() if _distribution(module) not in declared}
        assert not undeclared, f"{folder}/ imports projects no extra declares: {undeclared}"


def test_every_pin_is_exact() -> None:
    for extra, requirements in PYPROJECT["project"]["optional-dependencies"].items():
        for requirement in requirements:
            assert "==" in requirement or requirement == "prefect-in-practice[build]", (extra, requirement)


def test_every_npm_package_the_page_imports_is_a_dependency() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    imported = set()
    for path in sorted((ROOT / "web").glob("*.js")):
        for spec in re.findall(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']""", path.read_text(encoding="utf-8"), re.M):
            spec = spec.split("node_modules/", 1)[1] if "node_modules/" in spec else spec
            if not spec.startswith("."):
                parts = spec.split("/")
                imported.add("/".join(parts[:2]) if spec.startswith("@") else parts[0])
    assert "style-mod" in imported and "@codemirror/view" in imported  # the scan finds both kinds of import
    assert imported <= set(package["dependencies"]), imported - set(package["dependencies"])
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name in imported:
        assert lock["packages"][f"node_modules/{name}"]["version"] == package["dependencies"][name], name


def test_pyproject_pins_prefect_at_sim_prefects_version() -> None:
    pins = [r for r in _extra("test") if _project_name(r) == "prefect"]
    assert pins == [f"prefect=={PREFECT_VERSION}"]


def test_every_mention_of_prefects_release_is_prefect_version() -> None:
    files = [
        ROOT / "README.md",
        ROOT / "tests" / "conformance" / "README.md",
        *sorted((ROOT / "lesson").glob("*.md")),
        *sorted((ROOT / "tests" / "conformance" / "scenarios").glob("*.py")),  # comments on what a release does
        *sorted((ROOT / "tests" / "lesson" / "claims").glob("*.py")),
    ]
    mentions = {
        f"{path.relative_to(ROOT)}: {match[0]}": match[1]
        for path in files
        for match in re.finditer(r"\bPrefect \(?(\d+\.\d+\.\d+)", path.read_text(encoding="utf-8"))
    }
    assert mentions, "the scan found no mention at all"
    assert {where: v for where, v in mentions.items() if v != PREFECT_VERSION} == {}
    port = yaml.safe_load((ROOT / "sim_prefect" / "PORT.yaml").read_text(encoding="utf-8"))
    assert port["upstream"]["version"] == PREFECT_VERSION
