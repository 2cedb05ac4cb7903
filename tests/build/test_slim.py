"""The page's Python is slimmed: docstrings and comments out, code and line numbers as they were."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest

from lessonbuild import assets
from lessonbuild.slim import slim

ROOT = Path(__file__).resolve().parents[2]

SOURCE = '''"""A module docstring
over two lines."""

import math  # a comment after code


class Shape:
    """A class docstring."""

    # a comment on its own line
    def area(self) -> float:
        """A method docstring."""
        return math.pi  # pi


def only_a_docstring():
    """Nothing else."""
'''


def test_docstrings_and_comments_go_and_every_line_stays_in_place() -> None:
    slimmed = slim(SOURCE)
    assert slimmed.count("\\n") == SOURCE.count("\\n")
    assert "A module" not in slimmed and "docstring." not in slimmed and "Nothing else" not in slimmed
    assert "comment" not in slimmed and "#" not in slimmed
    for number, line in enumerate(SOURCE.splitlines(), 1):
        if "return math.pi" in line or "def area" in line or "import math" in line:
            assert slimmed.splitlines()[number - 1].strip() == line.split("#")[0].strip()
    namespace: dict = {}
    exec(compile(slimmed, "shape.py", "exec"), namespace)
    assert namespace["Shape"]().area() == pytest.approx(3.14159, abs=1e-5)
    assert namespace["only_a_docstring"]() is None


def test_a_string_that_is_not_a_docstring_and_a_hash_in_a_string_are_kept() -> None:
    source = 'x = 1\n"""Not a docstring: an expression after code."""\nurl = "http://example.com/#anchor"\n'
    assert slim(source) == source


def test_the_zip_holds_slimmed_sources_that_compile_to_the_same_code() -> None:
    with zipfile.ZipFile(io.BytesIO(assets.python_zip(ROOT))) as zf:
        names = zf.namelist()
        assert names == [p.relative_to(ROOT).as_posix() for p in assets.python_files(ROOT)]
        for name in names:
            shipped = zf.read(name).decode()
            original = (ROOT / name).read_text(encoding="utf-8")
            assert shipped.count("\\n") == original.count("\\n"), name
            assert ast.dump(ast.parse(shipped)).count("FunctionDef") == ast.dump(ast.parse(original)).count("FunctionDef")
