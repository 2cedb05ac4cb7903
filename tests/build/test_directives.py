"""The runnable-block plugin on its own: Markdown in, HTML (or one error line) out.

The fixtures are plain text in mdit-py-plugins' format (title, ``.``, input,
``.``, expected, ``.``), read with markdown-it's `read_fixture_file`. The
plugin reads no files: a stub `render` shows what it would hand to the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file
from mdit_py_plugins.container import container_plugin

from lessonbuild.directives import Directive, directives_plugin, parse_directive
from lessonbuild.errors import BuildError
from tests.build.fixture_course import stub_render

FIXTURES = Path(__file__).parent / "fixtures"


def plugin_only() -> MarkdownIt:
    return MarkdownIt("commonmark").use(container_plugin, "tip").use(directives_plugin, render=stub_render)


def fixtures(name: str) -> Any:
    cases = read_fixture_file(FIXTURES / name)
    return pytest.mark.parametrize("line,title,text,expected", cases, ids=[case[1] for case in cases])


@fixtures("directives.md")
def test_directive_fixture_renders(line: int, title: str, text: str, expected: str) -> None:
    html = plugin_only().render(text, {"path": "lesson/x.md"})
    assert html == expected, f"{FIXTURES / 'directives.md'}:{line}: {title}"


@fixtures("directive_errors.md")
def test_directive_error_fixture_names_file_and_line(line: int, title: str, text: str, expected: str) -> None:
    with pytest.raises(BuildError) as caught:
        plugin_only().render(text, {"path": "lesson/x.md"})
    assert str(caught.value) == expected.strip(), f"{FIXTURES / 'directive_errors.md'}:{line}: {title}"


def test_directive_becomes_one_token_carrying_the_parsed_directive() -> None:
    tokens = plugin_only().parse("Intro.\n\n```{exercise} a.py\n:check: a.check.py\n:solution: a.solution.py\n```\n", {"path": "x.md"})
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close", "directive"]
    directive = tokens[-1].meta["directive"]
    assert directive == Directive("exercise", "a.py", 3, {"check": ["a.check.py"], "solution": ["a.solution.py"]})
    assert tokens[-1].map == [2, 6]


def test_directive_option_returns_the_last_value_or_the_default() -> None:
    directive = parse_directive("{exercise} a.py", ":check: c.py\n:solution: s.py\n:hint: one\n:hint: two\n", "x.md", 1)
    assert directive.option("hint") == "two"
    assert directive.options["hint"] == ["one", "two"]
    assert directive.option("title", "untitled") == "untitled"


def test_refused_languages_are_a_plugin_parameter() -> None:
    md = MarkdownIt("commonmark").use(directives_plugin, render=stub_render, refuse_langs=frozenset())
    assert md.render("```python\nx = 1\n```\n", {"path": "x.md"}) == '<pre><code class="language-python">x = 1\n</code></pre>\n'
