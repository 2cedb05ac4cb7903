"""The run view under a Run's output, as Prefect's UI shows a flow run: the flow-run graph (task
runs as bars on the time axis, arrows from their inputs, subflows nested, Prefect's state colours),
its table alternative, and the tabs Logs, Task Runs, Artifacts and Parameters, each with the values
the lesson's pipeline gives (demo/pipeline.py: fetch_data retried, then Completed; process_data
took fetch_data's records). All drawn from the session's store, by keyboard as well as by pointer,
at 360 px and in dark mode.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.page_helpers import SNIPPET, arm_finished, run, run_code, set_code, wait_finished
from tests.browser.test_page_a11y import FRAME, axe_violations
from tests.browser.test_page_timeline_final import STUCK

pytestmark = pytest.mark.browser
VIEW = f"{SNIPPET} [data-run-view]"

OVERLAP = '''import time

from prefect import flow, task


@task
def nap(i: int) -> int:
    time.sleep(1)
    return i


@flow(name="naps")
def naps() -> list[int]:
    return [future.result() for future in nap.map([1, 2, 3])]


naps()
'''

SUBFLOW = '''from prefect import flow, task


@task
def shout(word: str) -> str:
    return word.upper()


@task
def twice(word: str) -> str:
    return word * 2


@flow(name="child-flow")
def child(word: str = "hi") -> str:
    return shout(twice(word))


@flow(name="parent-flow")
def parent() -> str:
    shout("a")
    return child("b")


parent()
'''

LEVELS = '''from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact


@task
def check(x: int) -> int:
    logger = get_run_logger()
    logger.warning("x is getting large: %s", x)
    logger.error("x is far too large: %s", x)
    return x


@flow(name="levels")
def levels(x: int = 3, note: str = "<img src=x onerror=alert(1)>") -> int:
    get_run_logger().info("starting with %s", note)
    create_markdown_artifact(key="summary", markdown="# Report\\n\\n**All good**, see [docs](https://docs.prefect.io).")
    create_table_artifact(key="rows", table=[{"name": "a", "value": 1}])
    return check(x)


levels()
'''


def view_ready(page, snippet: str = SNIPPET) -> None:
    """Wait until the Run's view is drawn (it is hidden from the start of a Run until it is)."""
    page.wait_for_selector(f"{snippet} [data-run-view]:not([hidden]) svg .rv-node, {snippet} [data-run-view]:not([hidden]) .rv-empty:not([hidden])", timeout=20_000)


def nodes(page, snippet: str = SNIPPET) -> list[dict]:
    return page.eval_on_selector_all(
        f"{snippet} [data-run-view] .rv-node",
        """els => els.map((g) => { const bar = g.querySelector('.rv-bar'); return {
          name: g.dataset.runName, state: g.dataset.state, row: +g.dataset.row, tabindex: g.getAttribute('tabindex'),
          x0: +bar.dataset.x0, x1: +bar.dataset.x1, y: +bar.getAttribute('y'), label: g.getAttribute('aria-label'),
          expanded: g.getAttribute('aria-expanded'), fill: getComputedStyle(bar).fill }; })""",
    )


def edges(page, snippet: str = SNIPPET) -> list[tuple[str, str, str]]:
    return [tuple(e) for e in page.eval_on_selector_all(
        f"{snippet} [data-run-view] .rv-edge", "els => els.map((e) => [e.dataset.from, e.dataset.to, e.dataset.input])")]


def tab(page, name: str, snippet: str = SNIPPET):  # type: ignore[no-untyped-def]
    return page.locator(f"{snippet} [data-run-view]").get_by_role("tab", name=name, exact=True)


def panel(page, snippet: str = SNIPPET):  # type: ignore[no-untyped-def]
    return page.locator(f"{snippet} [data-run-view] [role=tabpanel]:not([hidden])")


def run_pipeline(lesson) -> None:  # type: ignore[no-untyped-def]
    lesson.restore(SNIPPET)
    assert run(lesson.page)["ok"]
    view_ready(lesson.page)


def test_the_graph_shows_the_pipeline_s_task_runs_their_states_and_the_arrow_between_them(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    view = page.locator(VIEW)
    assert view.get_attribute("role") == "region" and view.get_attribute("aria-label") == "Run view of pipeline.py"
    title = view.locator(".rv-title").inner_text()
    assert re.fullmatch(r"example-pipeline › [a-z]+-[a-z]+ Completed", title), title
    assert view.locator(".rv-picker").is_hidden()  # one flow run: nothing to pick
    figure = view.get_by_role("figure", name="Flow run graph")
    assert figure.count() == 1 and figure.is_visible()
    bars = nodes(page)
    assert [re.sub(r"-\w+$", "", b["name"]) for b in bars] == ["fetch_data", "process_data"], bars
    assert [b["state"] for b in bars] == ["Completed", "Completed"]
    fetch, process = bars
    # fetch_data's bar runs from its first Running to its Completed, across the 10 s retry wait;
    # process_data starts after it ended, in a row of its own (fetch_data's label is in the way).
    assert fetch["x1"] - fetch["x0"] > 10 * (process["x1"] - process["x0"]), bars
    assert process["x0"] >= fetch["x1"] - 0.5 and process["row"] != fetch["row"]
    assert edges(page) == [(fetch["name"], process["name"], "records")]
    assert "inputs from " + fetch["name"] in process["label"]
    # Prefect's colour for Completed (ui-v2: state-completed-600 in its light graph).
    assert fetch["fill"] == "rgb(33, 157, 75)"
    assert view.locator(".rv-legend").inner_text().strip() == "Completed"
    assert on_both_hosts.errors == []


def test_the_table_alternative_lists_each_task_run_with_state_start_duration_and_upstream(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    view = page.locator(VIEW)
    view.locator(".rv-table-details").evaluate("e => { e.open = false; }")
    view.locator(".rv-table-details summary").click()
    rows = view.locator(".rv-table-details tbody tr")
    cells = [rows.nth(i).locator("th, td").all_inner_texts() for i in range(rows.count())]
    assert len(cells) == 2, cells
    (fetch_name, fetch_state, fetch_start, fetch_duration, fetch_up), (process_name, process_state, process_start, _, process_up) = cells
    assert fetch_name.startswith("fetch_data-") and process_name.startswith("process_data-")
    assert fetch_state == process_state == "Completed"
    assert re.fullmatch(r"\+0\.\d{3} s", fetch_start) and re.fullmatch(r"\+10\.\d{3} s", process_start), cells
    assert re.fullmatch(r"0\.\d\ds", fetch_duration), fetch_duration  # time spent Running, as Prefect counts it
    assert fetch_up == "—" and process_up == f"{fetch_name} (records)"
    assert view.locator(".rv-table-details caption").inner_text() == "The flow-run graph as a table"


def test_logs_tab_lists_the_flow_run_s_logs_with_its_task_runs_and_filters_them(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    logs_tab = tab(page, "Logs")
    assert logs_tab.get_attribute("aria-selected") == "true"  # Prefect's first tab
    assert [t.inner_text() for t in page.locator(VIEW).get_by_role("tab").all()] == ["Logs", "Task Runs", "Artifacts", "Parameters"]
    shown = panel(page)
    assert shown.get_attribute("aria-labelledby") == logs_tab.get_attribute("id")
    messages = shown.locator(".rv-log .rv-msg").all_inner_texts()
    assert messages[0].startswith("Beginning flow run '") and messages[0].endswith("' for flow 'example-pipeline'")
    assert messages.count("Fetching data from https://api.example.com/data") == 2
    assert any(m.startswith("Task run failed with exception: ConnectionError('Failed to connect") and "Retry 1/2" in m for m in messages)
    assert "Fetched 5 records" in messages and "Kept 3 of 5 records (value >= 20)" in messages
    assert messages[-1] == "Finished in state Completed()" and len(messages) == 9
    assert shown.locator(".rv-count").inner_text() == "9 of 9 log lines"
    # Each line says which task run logged it, as Prefect's UI does.
    fetched = shown.locator(".rv-log", has_text="Fetched 5 records")
    assert re.search(r"fetch_data-\w+", fetched.locator(".rv-meta").inner_text())
    # Every line is INFO: "Warning and above" leaves none; a search narrows the list.
    shown.get_by_label("Level").select_option(label="Warning and above")
    assert shown.locator(".rv-log").count() == 0
    assert shown.locator(".rv-count").inner_text() == "No logs match your filter criteria."
    shown.get_by_label("Level").select_option(label="Info and above")
    shown.get_by_label("Search").fill("fetched")
    assert shown.locator(".rv-log .rv-msg").all_inner_texts() == ["Fetched 5 records"]
    assert shown.locator(".rv-count").inner_text() == "1 of 9 log lines"
    shown.get_by_label("Search").fill("")
    shown.get_by_label("Level").select_option(label="All")
    assert shown.locator(".rv-log").count() == 9


def test_the_level_filter_keeps_a_level_and_the_ones_above_it(pipeline) -> None:
    page = pipeline.page
    assert run_code(page, LEVELS)["ok"]
    view_ready(page)
    shown = panel(page)
    levels = lambda: shown.locator(".rv-log").evaluate_all("els => els.map((e) => e.dataset.level)")  # noqa: E731
    assert sorted(set(levels())) == ["ERROR", "INFO", "WARNING"]
    shown.get_by_label("Level").select_option(label="Warning and above")
    assert levels() == ["WARNING", "ERROR"]
    shown.get_by_label("Level").select_option(label="Error and above")
    assert levels() == ["ERROR"]
    assert shown.locator(".rv-msg").all_inner_texts() == ["x is far too large: 3"]
    shown.get_by_label("Level").select_option(label="Critical only")
    assert levels() == []
    shown.get_by_label("Level").select_option(label="All")


def test_task_runs_tab_rows_open_each_run_s_state_history(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    tab(page, "Task Runs").click()
    rows = panel(page).locator("tbody tr")
    assert rows.count() == 2
    fetch = rows.nth(0).locator("th, td").all_inner_texts()
    assert fetch[0].startswith("fetch_data-") and fetch[1] == "Completed"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d", fetch[2]) and re.fullmatch(r"0\.\d\ds", fetch[3]), fetch
    rows.nth(0).locator("td").nth(1).click()  # anywhere on the row
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.get_by_text(f"State history of task run {fetch[0]}").is_visible()
    history = dialog.locator("tbody tr")
    states = [history.nth(i).locator("td").nth(0).inner_text() for i in range(history.count())]
    assert states == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    times = [history.nth(i).locator("td").nth(1).inner_text() for i in range(history.count())]
    assert all(re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3}\s+\+\d+\.\d{3} s", t) for t in times), times
    assert re.search(r"\+0\.\d{3} s$", times[2]) and re.search(r"\+10\.\d{3} s$", times[3])  # Retrying, after the 10 s delay
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == fetch[0]  # back on the row's button


def test_parameters_tab_shows_the_flow_run_s_parameters_as_json(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    tab(page, "Parameters").click()
    text = panel(page).locator("pre").inner_text()
    assert text == '{\n  "url": "https://api.example.com/data"\n}'
    tab(page, "Artifacts").click()
    assert panel(page).inner_text() == "This flow run has no artifacts."


def test_artifacts_and_parameters_of_learner_code_are_drawn_as_text(pipeline) -> None:
    page = pipeline.page
    assert run_code(page, LEVELS)["ok"]
    view_ready(page)
    tab(page, "Parameters").click()
    assert json.loads(panel(page).locator("pre").inner_text()) == {"x": 3, "note": "<img src=x onerror=alert(1)>"}
    tab(page, "Artifacts").click()
    cards = panel(page).locator(".artifact")
    assert cards.count() == 2
    assert cards.nth(0).locator("h1").inner_text() == "Report"
    assert cards.nth(0).locator("strong").inner_text() == "All good"
    assert cards.nth(0).locator("a").get_attribute("href") == "https://docs.prefect.io"
    assert cards.nth(1).locator("td").all_inner_texts() == ["a", "1"]
    assert page.locator(f"{VIEW} img").count() == 0 and pipeline.dialogs == []
    tab(page, "Logs").click()
    assert panel(page).get_by_text("starting with <img src=x onerror=alert(1)>").count() == 1


def test_the_graph_and_the_tabs_work_by_keyboard(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    bars = nodes(page)
    assert [b["tabindex"] for b in bars] == ["0", "-1"]  # one tab stop for the whole graph
    # Tab from the control before the graph (the table's summary comes after it).
    page.locator(f"{VIEW} .rv-graph-scroll .rv-node").first.focus()
    focused = lambda: page.evaluate("document.activeElement.dataset.runName || document.activeElement.textContent")  # noqa: E731
    assert focused() == bars[0]["name"]
    page.keyboard.press("ArrowRight")
    assert focused() == bars[1]["name"]
    page.keyboard.press("ArrowUp")
    assert focused() == bars[0]["name"]
    page.keyboard.press("End")
    assert focused() == bars[1]["name"]
    page.keyboard.press("Home")
    assert focused() == bars[0]["name"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert focused() == bars[0]["name"]  # the graph's tab stop is the bar last focused
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.get_by_text(f"State history of task run {bars[0]['name']}").is_visible()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert focused() == bars[0]["name"]
    # The tabs: arrows move the selection (WAI-ARIA tabs, selection follows focus).
    tab(page, "Logs").focus()
    page.keyboard.press("ArrowRight")
    assert tab(page, "Task Runs").get_attribute("aria-selected") == "true"
    assert focused() == "Task Runs" and panel(page).locator("tbody tr").count() == 2
    page.keyboard.press("End")
    assert tab(page, "Parameters").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowRight")
    assert tab(page, "Logs").get_attribute("aria-selected") == "true"
    assert [t.get_attribute("tabindex") for t in page.locator(VIEW).get_by_role("tab").all()] == ["0", "-1", "-1", "-1"]


def test_overlapping_task_runs_sit_side_by_side(on_both_hosts) -> None:
    page = on_both_hosts.page
    assert run_code(page, OVERLAP)["ok"]
    view_ready(page)
    bars = nodes(page)
    assert len(bars) == 3 and all(b["name"].startswith("nap-") for b in bars), bars
    for a in bars:
        for b in bars:
            assert a["x0"] < b["x1"] and b["x0"] < a["x1"], bars  # each overlaps every other in time
    assert len({b["row"] for b in bars}) == 3 and len({b["y"] for b in bars}) == 3  # so each has a row of its own
    assert all(b["state"] == "Completed" for b in bars)


def test_a_subflow_opens_onto_its_own_task_runs_and_can_be_picked(on_both_hosts) -> None:
    page = on_both_hosts.page
    assert run_code(page, SUBFLOW)["ok"]
    view_ready(page)
    view = page.locator(VIEW)
    picker = view.get_by_label("Flow run", exact=True)
    options = picker.locator("option").all_inner_texts()
    assert len(options) == 2 and options[0].startswith("parent-flow › ") and options[1].startswith("child-flow › "), options
    assert "subflow of" in options[1]
    bars = nodes(page)
    names = [re.sub(r"-\w+$", "", b["name"]) for b in bars]
    assert names == ["shout", "child-flow", "twice", "shout"], names  # the subflow's tracking task run, then its own
    tracker, twice, inner = bars[1], bars[2], bars[3]
    assert tracker["expanded"] == "true" and tracker["label"].startswith("Subflow run ")
    assert twice["row"] == tracker["row"] + 1 and twice["x0"] >= tracker["x0"] - 0.5 and inner["row"] > tracker["row"]
    assert page.locator(f"{VIEW} .rv-nest").count() == 1
    # Inside the subflow, shout took twice's result: an arrow between the nested bars.
    assert edges(page) == [(twice["name"], inner["name"], "word")]
    # Its state history can hide its task runs.
    page.locator(f"{VIEW} .rv-node[aria-expanded]").click()
    page.get_by_role("dialog").get_by_role("button", name="Hide its task runs in the graph").click()
    page.keyboard.press("Escape")
    assert [b["expanded"] for b in nodes(page)] == [None, "false"]
    # Picking the subflow shows its own graph.
    picker.select_option(index=1)
    assert [re.sub(r"-\w+$", "", b["name"]) for b in nodes(page)] == ["twice", "shout"]
    assert view.locator(".rv-title").inner_text().startswith("child-flow › ")
    tab(page, "Parameters").click()
    assert json.loads(panel(page).locator("pre").inner_text()) == {"word": "b"}


def test_a_stopped_run_has_no_run_view_and_a_check_has_its_own(on_both_hosts) -> None:
    page = on_both_hosts.page
    run_pipeline(on_both_hosts)
    set_code(page, SNIPPET, STUCK)
    arm_finished(page)
    page.click(f"{SNIPPET} [data-run]")
    page.wait_for_selector(f"{SNIPPET} rect.tl-seg[data-run-name^='stuck-']", timeout=30_000)
    assert page.locator(VIEW).is_hidden()  # the last Run's view went when this one started
    page.click(f"{SNIPPET} [data-stop]")
    assert wait_finished(page)["stopped"]
    page.wait_for_timeout(300)
    assert page.locator(VIEW).is_hidden()  # a stopped Run's worker is gone, and its store with it
    # A Check runs on a server of its own: its view shows its flow run, and the page's list does not.
    exercise = "[data-snippet$='--flaky_source']"
    listed = page.locator("[data-runs-count]").inner_text()
    result = run(page, exercise, "[data-check-button]")
    assert result["kind"] == "check"
    view_ready(page, exercise)
    title = page.locator(f"{exercise} [data-run-view] .rv-title").inner_text()
    assert title.startswith("sensor-report › "), title
    assert [re.sub(r"-\w+$", "", b["name"]) for b in nodes(page, exercise)][:1] == ["fetch_readings"]
    assert page.locator("[data-runs-count]").inner_text() == listed


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations_with_the_run_view_open(pipeline, scheme) -> None:
    page = pipeline.page
    page.emulate_media(color_scheme=scheme)
    try:
        assert run_code(page, LEVELS)["ok"]
        view_ready(page)
        page.locator(f"{VIEW} .rv-table-details").evaluate("e => { e.open = true; }")
        for name in ("Logs", "Task Runs", "Artifacts", "Parameters"):
            tab(page, name).click()
            violations = axe_violations(page)
            assert violations == [], (name, json.dumps(violations, indent=1))
        tab(page, "Task Runs").click()
        panel(page).locator("tbody tr").first.locator("button").click()
        page.get_by_role("dialog").wait_for()
        violations = axe_violations(page)
        assert violations == [], ("dialog", json.dumps(violations, indent=1))
        page.keyboard.press("Escape")
        tab(page, "Logs").click()
    finally:
        page.emulate_media(color_scheme="light")


def test_dark_mode_takes_prefect_s_dark_graph_colours(pipeline) -> None:
    page = pipeline.page
    run_pipeline(pipeline)
    page.emulate_media(color_scheme="dark")
    try:
        page.evaluate(FRAME)
        assert nodes(page)[0]["fill"] == "rgb(64, 114, 87)"  # ui-v2 .dark state-completed-300, its graph's shade
        badge = page.locator(f"{VIEW} .rv-title .rv-badge")
        colours = badge.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert colours == ["rgb(133, 214, 169)", "rgb(29, 52, 40)"]
    finally:
        page.emulate_media(color_scheme="light")


def test_at_360_px_the_graph_scrolls_inside_itself_not_the_page(pipeline) -> None:
    page = pipeline.page
    page.set_viewport_size({"width": 360, "height": 800})
    try:
        assert run_code(page, OVERLAP)["ok"]
        view_ready(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        scroller = page.locator(f"{VIEW} .rv-graph-scroll")
        box = scroller.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
        sizes = scroller.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]")
        assert sizes[2] == "auto" and sizes[0] >= sizes[1]
        # The last bar is reachable: focusing it scrolls the graph, not the page.
        page.locator(f"{VIEW} .rv-node").last.focus()
        assert page.evaluate("document.documentElement.scrollLeft") == 0
        for name in ("Logs", "Task Runs", "Artifacts", "Parameters"):
            tab_box = tab(page, name).bounding_box()
            assert tab_box and tab_box["x"] >= 0 and tab_box["x"] + tab_box["width"] <= 360, (name, tab_box)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_run_view(pipeline, artifacts, width, scheme) -> None:
    page = pipeline.page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    try:
        run_pipeline(pipeline)
        view = page.locator(VIEW)
        view.locator(".rv-table-details").evaluate("e => { e.open = true; }")
        tab(page, "Logs").click()
        height = int(view.bounding_box()["height"])
        page.set_viewport_size({"width": width, "height": height + 200})
        view.scroll_into_view_if_needed()
        page.evaluate(FRAME)
        view.screenshot(path=str(artifacts / f"run-view-{width}-{scheme}.png"))
        tab(page, "Task Runs").click()
        panel(page).locator("tbody tr").first.locator("button").click()
        page.get_by_role("dialog").wait_for()
        page.evaluate(FRAME)
        page.screenshot(path=str(artifacts / f"run-view-history-{width}-{scheme}.png"))
        page.keyboard.press("Escape")
        view.locator(".rv-table-details").evaluate("e => { e.open = false; }")
        tab(page, "Logs").click()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(color_scheme="light")


def test_a_view_keeps_what_its_reader_chose_when_another_snippet_runs(pipeline) -> None:
    """The page's store changes with every Run; a view whose runs did not change is left as it is."""
    page = pipeline.page
    run_pipeline(pipeline)
    shown = panel(page)
    shown.get_by_label("Search").fill("fetched")
    assert shown.locator(".rv-log").count() == 1
    other = "[data-snippet$='--concurrency']"
    assert run(page, other)["ok"]
    view_ready(page, other)
    assert shown.get_by_label("Search").input_value() == "fetched" and shown.locator(".rv-log").count() == 1
    # Its records are the new store's: a task run's history still opens.
    tab(page, "Task Runs").click()
    panel(page).locator("tbody tr").first.locator("button").click()
    page.get_by_role("dialog").wait_for()
    assert page.get_by_role("dialog").locator("tbody tr").count() == 5
    page.keyboard.press("Escape")
