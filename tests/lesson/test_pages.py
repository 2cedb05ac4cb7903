"""The lesson pages, read as Markdown: front matter, fences, the files they name, links.

The pages are read by lessonbuild's own reader (tests/lesson/lesson_helpers.py),
so the build checks much of this too; these tests say it in the lesson's terms
and run without building the site.
"""

from __future__ import annotations

import ast
import difflib
import re
import subprocess
import sys

import pytest

from lessonbuild.demos import Demo, run_in_terminal, terminal_env
from lessonbuild.directives import DIRECTIVES, PYTHON_LANGS
from lessonbuild.errors import BuildError
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, ROOT, Page, as_real_prefect, lesson_pages, parse_page

PAGES = lesson_pages()
EXPECTED_PAGES = [
    "01-prefect-concepts.md",
    "02-prefect-in-practice.md",
    "03-lab-dag-pipeline.md",
    "04-caching-and-results.md",
    "05-when-runs-fail.md",
    "06-deployments-and-schedules.md",
    "07-testing-flows.md",
    "08-transactions-limits-and-people.md",
    "09-scaling-out.md",
]
STDLIB = set(sys.stdlib_module_names)


def _ids(pages: list[Page]) -> list[str]:
    return [p.name for p in pages]


def test_the_pages_exist_in_order() -> None:
    """The nine pages (issue 17's pages 6 to 9 after the first five), each file named by its order."""
    assert [p.name for p in PAGES] == EXPECTED_PAGES
    assert [p.meta["order"] for p in PAGES] == list(range(1, 10))
    assert all(p.name.startswith(f"{p.meta['order']:02d}-") for p in PAGES), [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_front_matter_has_title_order_summary_and_objectives(page: Page) -> None:
    meta = page.meta
    assert isinstance(meta.get("title"), str) and meta["title"].strip()
    assert isinstance(meta.get("order"), int)
    assert isinstance(meta.get("summary"), str) and meta["summary"].strip()
    objectives = meta.get("objectives")
    assert isinstance(objectives, list) and objectives, "objectives must be a non-empty list"
    assert all(isinstance(o, str) and o.strip() for o in objectives)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_python_block_is_runnable_exercise_or_prefect_code(page: Page) -> None:
    bare = [f"line {f.line}: ```{f.lang}" for f in page.fences if f.lang.lower() in PYTHON_LANGS]
    assert not bare, f"{page.name}: a Python block must be {{runnable}}, {{exercise}} or {{prefect-code}}: {bare}"
    directives = [f.directive for f in page.fences if f.directive]
    assert directives and set(directives) <= set(DIRECTIVES), f"{page.name}: {directives}"


def test_the_reader_is_the_builds_and_refuses_a_bare_python_block() -> None:
    """The checks above are only as good as the reader: show it a good page and a bad one."""
    front = "---\ntitle: T\norder: 1\n---\n"
    page = parse_page(front + "Text with `prefect version`\n\n~~~~{runnable} a.py\n:title: A\n~~~~\n\n```bash\nls\n```\n", LESSON_DIR / "x.md")
    assert page.meta == {"title": "T", "order": 1}
    assert [(f.directive or f.lang, f.argument, f.line) for f in page.fences] == [("runnable", "a.py", 7), ("bash", "", 11)]
    assert page.fences[0].options("title") == ["A"]
    assert page.code_spans == [(5, "prefect version")]
    with pytest.raises(BuildError, match=r"^lesson/x.md:7: a bare ```python block is not tested"):
        parse_page(front + "Text\n\n```python\nprint(1)\n```\n", LESSON_DIR / "x.md")
    with pytest.raises(BuildError, match=r"^lesson/x.md:5: unknown directive '\{runable\}'"):
        parse_page(front + "```{runable} a.py\n```\n", LESSON_DIR / "x.md")


def _directive_files(page: Page) -> list[tuple[int, str, str]]:
    """(line, directive, path in demo/) for every file a directive names."""
    found = []
    for fence in page.fences:
        if fence.directive:
            found.append((fence.line, fence.directive, fence.argument))
            for key in ("check", "solution"):
                found += [(fence.line, f"{fence.directive} :{key}:", v) for v in fence.options(key)]
    return found


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_named_file_exists_in_demo(page: Page) -> None:
    missing = [f"line {line} {{{kind}}} {name}" for line, kind, name in _directive_files(page) if not (DEMO_DIR / name).is_file()]
    assert not missing, f"{page.name}: files not found in demo/: {missing}"


def _sim_demos() -> list[str]:
    """Every demo file a page runs in the browser: runnables, exercise starters and solutions."""
    names = []
    for page in PAGES:
        for fence in page.fences:
            if fence.directive in ("runnable", "exercise"):
                names.append(fence.argument)
                names += fence.options("solution")
    return sorted(set(names))


def _demo(name: str) -> Demo:
    return Demo(DEMO_DIR / name)


def _prefect_code() -> list[str]:
    return sorted({f.argument for p in PAGES for f in p.fences if f.directive == "prefect-code"})


@pytest.mark.parametrize("name", _sim_demos())
def test_sim_demo_is_self_contained_and_ends_with_the_state_log(name: str) -> None:
    source = (DEMO_DIR / name).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    beside = {path.stem for path in _demo(name).beside().values()}  # the lesson's modules it imports
    allowed = {"sim_prefect", "__future__", *beside} | ({"pytest"} if _demo(name).is_test_module else set())
    outside = imported - STDLIB - allowed
    assert not outside, f"demo/{name} imports {sorted(outside)}; demos use sim_prefect and the standard library only"
    if _demo(name).is_test_module:
        return  # a test module is run by pytest (test_demos_*), not as a script with a state log
    last = tree.body[-1]
    assert isinstance(last, ast.If) and "__name__" in ast.unparse(last.test), f"demo/{name} must end with an `if __name__ == \"__main__\":` block"
    assert "print_state_log()" in ast.unparse(last), f"demo/{name}'s main block must call print_state_log()"


@pytest.mark.parametrize("name", [n for n in _sim_demos() if not _demo(n).is_test_module])  # those run with pytest
def test_sim_demo_runs_quickly_in_deterministic_mode(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, name], cwd=DEMO_DIR, env=terminal_env(ROOT), capture_output=True, text=True, timeout=20, check=False
    )
    assert proc.returncode == 0, f"demo/{name} failed:\n{proc.stdout}\n{proc.stderr}"
    assert "State log (" in proc.stdout or "State log: no runs yet." in proc.stdout, f"demo/{name} printed no state log"


@pytest.mark.parametrize("name", _prefect_code())
def test_prefect_code_imports_prefect_not_the_simulator(name: str) -> None:
    assert name.startswith("real/"), f"{{prefect-code}} files live in demo/real/: {name}"
    source = (DEMO_DIR / name).read_text(encoding="utf-8")
    assert "sim_prefect" not in source
    assert re.search(r"^from prefect(\.[\w.]+)? import ", source, re.M) or "from pipeline_requests import" in source


@pytest.mark.parametrize("name", _prefect_code())
def test_prefect_code_is_run_on_real_prefect_by_a_test(name: str) -> None:
    """Each {prefect-code} file is named by the real-Prefect driver, by a claim that runs on both legs, or by
    a page's own real-Prefect test (page 9's Dask lab: test_scaling_out.py)."""
    here = ROOT / "tests" / "lesson"
    runners = "".join((here / f).read_text(encoding="utf-8") for f in ("test_real_prefect.py", "test_claims.py", "test_scaling_out.py", "test_testing_page.py"))
    stem = name.removeprefix("real/").removesuffix(".py")
    assert re.search(rf"\b{re.escape(stem)}(\.py\b|\b)", runners), f"no test runs demo/{name} on real Prefect"


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_links_between_pages_point_at_existing_pages_and_headings(page: Page) -> None:
    anchors = {p.name: p.anchors for p in PAGES}
    for link in page.links:
        target = link.written
        if "://" in target or target.startswith("mailto:"):
            continue
        file, _, anchor = target.partition("#")
        where = f"{page.name}:{link.line}: link to {target}"
        if file and not file.endswith(".md"):
            assert (LESSON_DIR / file).is_file(), f"{where}: no such file beside the lessons"
            continue
        other = file or page.name
        assert other in anchors, f"{where} points at no lesson page"
        if anchor:
            assert anchor in anchors[other], f"{where}: no heading '#{anchor}' in {other} (has {sorted(anchors[other])})"


# -- the brief's known factual errors must not come back -------------------------------


def _code_text() -> str:
    return "\n".join(f.body for p in PAGES for f in p.fences)


def test_no_page_shows_the_prefect_2_command_flow_run_create() -> None:
    assert "flow-run create" not in _code_text()


def test_no_page_numbers_task_runs_like_prefect_2() -> None:
    for page in PAGES:
        assert not re.search(r"\b(fetch_data|process_data)-\d\b", page.body), page.name


def test_no_page_promises_a_view_at_line_from_the_temporary_server() -> None:
    """`View at` appears only with a dedicated server's UI; every mention must say so or deny it."""
    for page in PAGES:
        for paragraph in re.split(r"\n\s*\n", page.body):
            if "View at" in paragraph:
                assert re.search(r"\bno\b|\bnot\b|\bnever\b|\bonly\b|dedicated|the UI", paragraph), (
                    f"{page.name}: {paragraph.strip()[:200]}"
                )


# -- what the pages quote from the demos' output must be what the demos print ------------

QUOTED = {
    ("01-prefect-concepts.md", "hello_flow.py"): [
        "say-hello",
        "olive-ocelot",
        "make_greeting-7c6",
    ],
    ("01-prefect-concepts.md", "states_tour.py"): [
        "SCHEDULED",
        "AwaitingRetry",
        "Retrying",
        "ValueError",
        "ERROR",
    ],
    ("02-prefect-in-practice.md", "pipeline.py"): [
        "for flow 'example-pipeline'",
        "Fetching data from https://api.example.com/data",
        "Task run failed with exception: ConnectionError('Failed to connect to ",
        "Retry 1/2 will start 10 second(s) from now",
        "Fetched 5 records",
        "Finished in state Completed()",
        "Kept 3 of 5 records (value >= 20)",
        "Returned 3 records: ",
        "fetch_data-7c6",
        "process_data-4da",
        "Pending -> Running -> AwaitingRetry -> Retrying -> Completed",
    ],
    ("02-prefect-in-practice.md", "concurrency.py"): ["one-by-one", "all-at-once", "mapped"],
    ("03-lab-dag-pipeline.md", "lab_pipeline.py"): ["WARNING", "Retry 1/2 will start 5 second(s) from now"],
    ("01-prefect-concepts.md", "final_states.py"): ["Failed('1/1 states failed.')"],
    ("04-caching-and-results.md", "cache_inputs.py"): [
        "Finished in state Cached(type=COMPLETED)",
        "Asking the weather service",
        "Pending -> Running -> Cached",
    ],
    ("04-caching-and-results.md", "cache_keys.py"): ["forecast_by_city", "Cached"],
    ("05-when-runs-fail.md", "partial_failures.py"): [
        "returns-the-futures",
        "Failed('1/3 states failed.')",
        "waits-and-reports",
        "summarizes-anyway",
        "NotReady",
        "Upstream task run '",
        "did not reach a 'COMPLETED' state.",
    ],
    ("05-when-runs-fail.md", "notify_hooks.py"): [
        "Retry 1/1 will start immediately",
        "TaskRunTimeoutError",
        "nightly-sales",
        "nightly-refunds",
        "TimedOut",
        "Finished in state",
        "Running hook 'all_good' in response to entering state 'Completed'",
        "Hook 'all_good' finished running successfully",
    ],
}


def _run_demo(name: str) -> str:
    return run_in_terminal(Demo(DEMO_DIR / name), ROOT)


@pytest.mark.parametrize(("page", "demo"), list(QUOTED), ids=[f"{p}-{d}" for p, d in QUOTED])
def test_the_page_quotes_what_the_demo_prints(page: str, demo: str) -> None:
    text = (LESSON_DIR / page).read_text(encoding="utf-8")
    output = _run_demo(demo)
    for quote in QUOTED[(page, demo)]:
        assert quote in output, f"demo/{demo} no longer prints {quote!r}; update {page}"
        assert quote in text, f"{page} should quote {quote!r} from demo/{demo}"


def test_concurrency_durations_are_as_page_2_says() -> None:
    """Page 2: one-by-one takes about 6 s; all-at-once and mapped about 2 s."""
    output = _run_demo("concurrency.py")
    rows = re.findall(r"^  flow run '[\w-]+' +\S+ +([\d.]+)s", output, re.M)
    assert [round(float(t)) for t in rows] == [6, 2, 2], output


# demo/real/ files named like a demo but written as another program, and why.
NOT_COPIES = {
    "concurrency.py": "real threads and sleeps, where the demo's busy sources retry on sim_prefect's clock",
    # How to run it at home, and Prefect's own home of disable_run_logger; test_testing_page.py holds its tests
    # to the page's word for word.
    "test_orders.py": "the page's tests with a docstring and prefect.logging's import",
}
REAL_COPIES = sorted(
    p.name for p in (DEMO_DIR / "real").glob("*.py") if (DEMO_DIR / p.name).is_file() and p.name not in NOT_COPIES
)


def test_the_real_copies_are_found() -> None:
    assert {"cache_inputs.py", "notify_hooks.py"} <= set(REAL_COPIES)
    assert all((DEMO_DIR / "real" / name).is_file() and (DEMO_DIR / name).is_file() for name in NOT_COPIES)


@pytest.mark.parametrize("name", REAL_COPIES)
def test_a_real_prefect_copy_is_its_demo_with_prefects_imports(name: str) -> None:
    """Pages 4 and 5 show the same example twice: in the page, and for real Prefect. The real copy
    is the demo with only the lines `as_real_prefect` changes (the imports, print_state_log())."""
    demo = (DEMO_DIR / name).read_text(encoding="utf-8")
    real = (DEMO_DIR / "real" / name).read_text(encoding="utf-8")
    made = as_real_prefect(demo)
    assert made != demo
    assert real == made, "".join(difflib.unified_diff(made.splitlines(True), real.splitlines(True), "as_real_prefect(demo)", f"demo/real/{name}"))
