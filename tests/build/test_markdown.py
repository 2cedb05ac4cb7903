"""The lesson dialect (`lessonbuild.markdown`): anchors, table of contents, links, boxes, highlighting."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from lessonbuild.errors import BuildError
from lessonbuild.markdown import Link, make_markdown, new_env
from tests.build.fixture_course import stub_render

FIXTURES = Path(__file__).parent / "fixtures"
CASES = read_fixture_file(FIXTURES / "markdown.md")


@pytest.mark.parametrize("line,title,text,expected", CASES, ids=[case[1] for case in CASES])
def test_markdown_fixture_renders(line: int, title: str, text: str, expected: str) -> None:
    html = make_markdown(stub_render).render(text, new_env("lesson/x.md"))
    assert html == expected, f"{FIXTURES / 'markdown.md'}:{line}: {title}"


def test_toc_lists_h2_and_h3_with_their_anchors_and_inline_html() -> None:
    env = new_env("lesson/x.md")
    make_markdown(stub_render).parse("# T\n\n## First\n\n### The `@task` *decorator*\n\n#### Deep\n\n## Second\n", env)
    assert env["toc"] == [
        {"id": "first", "html": "First", "text": "First", "level": "h2"},
        {"id": "the-task-decorator", "html": "The <code>@task</code> <em>decorator</em>", "text": "The @task decorator", "level": "h3"},
        {"id": "second", "html": "Second", "text": "Second", "level": "h2"},
    ]


def test_links_are_recorded_with_their_own_line_inside_a_paragraph() -> None:
    env = new_env("lesson/x.md")
    text = "---\ntitle: x\n---\n\nFirst line,\nsecond [a](a.md#x) line,\nthird ![img](img/d.svg).\n\n## H [b](b.html)\n"
    make_markdown(stub_render).parse(text, env)
    assert env["links"] == [Link("a.html#x", "a.md#x", 6), Link("img/d.svg", "img/d.svg", 7), Link("b.html", "b.html", 9)]


def test_a_fence_in_an_unknown_language_is_shown_plain_with_a_warning() -> None:
    env = new_env("lesson/x.md")
    html = make_markdown(stub_render).render("Text.\n\n```klingon\nQapla'\n```\n", env)
    assert html.endswith('<div class="highlight"><pre><code>Qapla&#39;\n</code></pre></div>\n')
    assert env["warnings"] == ["lesson/x.md:3: no highlighter for 'klingon'; the block is shown as plain text"]


def test_attributes_other_than_id_and_class_are_refused() -> None:
    with pytest.raises(BuildError) as caught:
        make_markdown(stub_render).render("Intro.\n\n{style=\"color: red\"}\n## Heading\n", new_env("lesson/x.md"))
    assert str(caught.value) == "lesson/x.md:3: only {#id} and {.class} attributes are allowed; got 'style'"


@pytest.mark.parametrize(
    "html,found",
    [
        ('<p style="color: red">x</p>', "style="),
        ("Click <button onclick=\"go()\">here</button>.", "onclick="),
        ("<script>alert(1)</script>", "<script"),
        ('<a href="javascript:void(0)">x</a>', "javascript:"),
    ],
)
def test_raw_html_the_csp_would_block_is_refused(html: str, found: str) -> None:
    with pytest.raises(BuildError) as caught:
        make_markdown(stub_render).render(f"Intro.\n\n{html}\n", new_env("lesson/x.md"))
    assert str(caught.value) == (
        f"lesson/x.md:3: raw HTML with '{found}' is blocked by the page's Content-Security-Policy; "
        "use Markdown, or {.class} with a rule in web/style.css"
    )


def test_harmless_raw_html_is_kept() -> None:
    html = make_markdown(stub_render).render("Press <kbd>Ctrl</kbd>+<kbd>Enter</kbd>.\n\n<details><summary>More</summary>\n\nText.\n\n</details>\n", new_env("x.md"))
    assert "<kbd>Ctrl</kbd>" in html and "<details><summary>More</summary>" in html
