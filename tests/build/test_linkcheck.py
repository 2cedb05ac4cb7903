"""The link check over a built site, on hand-written pages."""

from __future__ import annotations

from lessonbuild.linkcheck import Problem, check


def site(**pages: str) -> dict[str, bytes]:
    return {name.replace("__", "/").replace("_html", ".html"): html.encode() for name, html in pages.items()}


def test_links_to_pages_files_and_anchors_that_exist_pass() -> None:
    files = site(
        index_html='<a href="a.html#top">A</a> <a href="#intro" id="intro">here</a> <img src="img/x.svg">',
        a_html='<h2 id="top">Top</h2><a href="index.html">home</a><a href="./a.html">self</a>',
    )
    files["img/x.svg"] = b"<svg/>"
    assert check(files) == []


def test_missing_page_and_missing_anchor_are_both_reported() -> None:
    files = site(index_html='<a href="b.html">B</a><a href="a.html#bottom">A</a>', a_html='<h2 id="top">Top</h2>')
    assert check(files) == [
        Problem("index.html", "b.html", "no file 'b.html' in the site"),
        Problem("index.html", "a.html#bottom", "no heading or id 'bottom' in a.html"),
    ]


def test_anchor_on_the_same_page_must_exist() -> None:
    assert check(site(a_html='<a href="#nowhere">x</a>')) == [Problem("a.html", "#nowhere", "no heading or id 'nowhere' in a.html")]


def test_external_links_are_not_fetched() -> None:
    files = site(a_html='<a href="https://docs.prefect.io/x">x</a><a href="mailto:a@b.c">m</a><img src="data:image/png;base64,AA">')
    assert check(files) == []


def test_links_that_leave_the_site_or_start_at_the_root_are_refused() -> None:
    files = site(a_html='<a href="../demo/x.py">x</a><a href="/a.html">root</a>')
    assert [p.message for p in check(files)] == ["leaves the site (use a relative link inside it)"] * 2


def test_data_url_attributes_are_checked_and_a_folder_needs_files_under_it() -> None:
    files = site(index_html='<body data-worker-url="assets/w.js" data-pyodide="pyodide/"><a href="pyodide/">p</a></body>')
    assert check(files) == [Problem("index.html", "assets/w.js", "no file 'assets/w.js' in the site")] + [
        Problem("index.html", "pyodide/", "no folder 'pyodide/' in the site")
    ]
    assert check(files, also_present={"assets/w.js", "pyodide/pyodide.mjs"}) == []


def test_links_in_subfolders_resolve_relative_to_their_page() -> None:
    files = site(docs__a_html='<a href="../index.html#x">up</a><a href="b.html">b</a>', index_html='<p id="x"></p>', docs__b_html="")
    assert check(files) == []


def test_escaped_characters_in_links_and_ids_are_compared_decoded() -> None:
    files = site(a_html='<h2 id="état">É</h2><a href="#%C3%A9tat">x</a><a href="a.html?x=1&amp;y=2#état">y</a>')
    assert check(files) == []


def test_an_id_used_twice_on_a_page_is_reported() -> None:
    assert check(site(a_html='<h2 id="x">1</h2><p id="x">2</p>')) == [
        Problem("a.html", "", "the id 'x' is used 2 times on the page, so '#x' is ambiguous")
    ]


def test_links_inside_comments_scripts_and_textareas_are_not_links() -> None:
    files = site(
        a_html='<!-- <a href="gone.html"> --><textarea><a href="code.html" id="x"></textarea>'
        '<script type="application/json">{"href": "<a href=\\"json.html\\">"}</script><script src="s.js"></script>'
        "<p title='single &amp; quoted' id=y>text with href=\"not-a-tag.html\"</p><a href=#y>ok</a>"
    )
    assert check(files) == [Problem("a.html", "s.js", "no file 's.js' in the site")]
