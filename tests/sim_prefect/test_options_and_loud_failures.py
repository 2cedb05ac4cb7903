"""Every option is written down once, and every Prefect feature that is not imitated says so when used."""

from __future__ import annotations

import ast
import inspect
import pydoc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sim_prefect
from sim_prefect.store import select_runs
from sim_prefect import flow, task
from sim_prefect.aliases import NOT_IMITATED_MODULES
from sim_prefect.exceptions import NotImitatedError
from sim_prefect.flows import FLOW_OPTIONS
from sim_prefect.options import NotSet, Option, OptionTable
from sim_prefect.tasks import TASK_OPTIONS

REPO = Path(__file__).resolve().parents[2]


def _written_signature(path: Path, name: str) -> dict[str, str]:
    """The keyword-only parameters of the decorator written for type checkers (`name`, or
    `Class.name`), with their defaults as written."""
    tree: ast.AST = ast.parse(path.read_text(encoding="utf-8"))
    if "." in name:
        owner, name = name.split(".")
        tree = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == owner)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name and node.args.kwonlyargs:
            return {a.arg: ast.unparse(d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None}
    raise AssertionError(f"no written signature for {name} in {path}")


def _table_defaults(table: OptionTable) -> dict[str, str]:
    return {key: ("NotSet" if spec.default is NotSet else repr(spec.default)) for key, spec in table.takes("decorator")}


@pytest.mark.parametrize(
    ("module", "name", "table"),
    [("tasks.py", "task", TASK_OPTIONS), ("flows.py", "FlowDecorator.__call__", FLOW_OPTIONS)],
)
def test_the_signature_written_for_type_checkers_is_the_options_table(module: str, name: str, table: OptionTable) -> None:
    assert _written_signature(REPO / "sim_prefect" / module, name) == _table_defaults(table)


def _keyword_defaults(fn: object) -> dict[str, object]:
    return {
        name: p.default
        for name, p in inspect.signature(fn).parameters.items()  # type: ignore[arg-type]
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_a_new_option_is_one_line_in_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TASK_OPTIONS, "dummy_option", Option(7, keep="falsy"))  # the one line

    assert _keyword_defaults(task)["dummy_option"] == 7  # the decorator's signature (help() reads it too)
    assert _keyword_defaults(sim_prefect.Task.with_options)["dummy_option"] == 7
    assert "dummy_option=7" in pydoc.render_doc(task)

    @task(dummy_option=3)
    def t() -> None: ...

    assert t.dummy_option == 3 and t.options["dummy_option"] == 3  # the decorator takes it, the task keeps it
    assert t.with_options(dummy_option=5).dummy_option == 5
    assert t.with_options(dummy_option=0).dummy_option == 3  # and with_options keeps it as its table row says
    assert task(lambda: None).dummy_option == 7  # the default
    with pytest.raises(TypeError, match=r"^task\(\) got an unexpected keyword argument 'dumy_option'$"):
        task(dumy_option=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Task.with_options\(\) got an unexpected keyword argument 'dumy_option'$"):
        t.with_options(dumy_option=3)

    monkeypatch.undo()
    assert "dummy_option" not in _keyword_defaults(task)  # and gone again with the line


def test_unknown_options_fail_in_pythons_own_words() -> None:
    with pytest.raises(TypeError, match=r"^task\(\) got an unexpected keyword argument 'retry'$"):
        task(retry=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^FlowDecorator.__call__\(\) got an unexpected keyword argument 'cache_policy'$"):
        flow(cache_policy=None)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Task.with_options\(\) got an unexpected keyword argument 'version'$"):
        task(lambda: None).with_options(version="2")


def test_with_options_keeps_what_prefect_keeps(sim) -> None:
    @task(retries=3, retry_delay_seconds=[1, 2], name="named", tags=["a"], on_failure=[print])
    def t() -> None: ...

    other = t.with_options(name="", retries=NotSet, timeout_seconds=None, on_failure=[])
    assert (other.name, other.retries, other.retry_delay_seconds, other.tags) == ("named", 3, [1, 2], {"a"})
    assert other.on_failure_hooks == [print] and other.on_failure_hooks is not t.on_failure_hooks
    assert t.with_options(retries=0).retries == 0


@pytest.mark.parametrize("module", sorted(NOT_IMITATED_MODULES))
def test_a_prefect_module_that_is_not_imitated_fails_naming_the_feature(module: str) -> None:
    script = f"import sim_prefect; sim_prefect.install_as_prefect()\ntry:\n import {module}\nexcept ModuleNotFoundError as e:\n print(e)"
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert NOT_IMITATED_MODULES[module] in out and "PORT.yaml" in out


def test_an_unknown_prefect_module_does_not_reach_sim_prefects_own() -> None:
    script = "import sim_prefect; sim_prefect.install_as_prefect()\ntry:\n import prefect.engine\nexcept ModuleNotFoundError as e:\n print(e)"
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "No module named 'prefect.engine'" in out


def _plain() -> int:
    return 1


@pytest.mark.parametrize(
    "build",
    [
        lambda: flow(_plain).from_source("https://github.com/org/repo.git", "flows.py:f"),
        lambda: flow(_plain).deploy(name="x", work_pool_name="pool"),
        lambda: task(_plain).delay(),
        lambda: task(_plain).apply_async(),
        lambda: task(result_storage="local-file-system/my-storage")(_plain),
        lambda: task(result_serializer="compressed/pickle")(_plain),
        lambda: task(asset_deps=["s3://bucket/x"])(_plain),
        lambda: flow(task_runner=object())(_plain),
        lambda: task(lambda: (yield 1)),
    ],
    ids=["from_source", "deploy", "delay", "apply_async", "storage-block", "serializer", "assets", "task-runner",
         "generator-task"],
)
def test_features_that_are_not_imitated_fail_loudly(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotImitatedError) as caught:
        build()
    assert "cannot run on sim_prefect" in str(caught.value)


def test_the_process_pool_task_runner_is_refused() -> None:
    from sim_prefect.task_runners import ProcessPoolTaskRunner

    with pytest.raises(NotImitatedError, match="ProcessPoolTaskRunner"):
        ProcessPoolTaskRunner()


def test_port_yaml_lists_every_not_imitated_module() -> None:
    import yaml

    port = yaml.safe_load((REPO / "sim_prefect" / "PORT.yaml").read_text())
    assert sorted(port["refused_modules"]) == sorted(NOT_IMITATED_MODULES)


def test_max_workers_limits_submitted_runs_under_way(sim) -> None:
    """Five runs that each wait a 1-second retry: at most two under way at once takes three rounds."""
    from sim_prefect.task_runners import ThreadPoolTaskRunner

    tried: set[int] = set()

    @task(retries=1, retry_delay_seconds=1)
    def step(n: int) -> int:
        if n not in tried:
            tried.add(n)
            raise ConnectionError("try again")
        return n

    def took(max_workers: int | None) -> float:
        tried.clear()

        @flow(task_runner=ThreadPoolTaskRunner(max_workers=max_workers))
        def fan_out() -> list[int]:
            return step.map(range(5)).result()

        state = fan_out(return_state=True)
        assert state.result() == [0, 1, 2, 3, 4]
        run = select_runs(sim_prefect.state_log(), "flow")[-1]
        return (run.ended - run.started).total_seconds()  # type: ignore[operator]

    assert 1 <= took(None) < 1.5
    assert 3 <= took(2) < 3.5


def test_clock_loops_come_and_go_with_the_mode() -> None:
    script = textwrap.dedent(
        """
        import asyncio, time
        import sim_prefect
        sim_prefect.configure("fast")
        start = time.perf_counter()
        asyncio.run(asyncio.sleep(30))
        print(type(asyncio.new_event_loop()).__name__, round(time.perf_counter() - start) < 5)
        sim_prefect.configure("real")
        print(type(asyncio.new_event_loop()).__name__)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["SimEventLoop", "True", "_UnixSelectorEventLoop"]


def test_the_default_policy_s_short_way_gives_the_same_keys_as_the_policy_itself() -> None:
    """`default_key` is DEFAULT.compute_key made quicker; the two must agree, errors included."""
    import threading

    from sim_prefect.cache_policies import DEFAULT, default_key
    from sim_prefect.context import TaskRunContext
    from sim_prefect.task_engine import TaskRun

    @sim_prefect.task
    def one(x: object = None) -> object:
        return x

    keys: list[tuple[object, object]] = []

    @sim_prefect.flow
    def compare() -> None:
        for inputs in ({"x": 5}, {"x": 'a "quoted" é'}, {"x": [1, {"b": None}]}, {}, {"x": threading.Lock()}):
            run = TaskRun(one, dict(inputs))
            run.set_state(sim_prefect.states.Completed())  # nothing to wait for at the flow's end
            outcomes = []
            for compute in (
                lambda: default_key(one, run.flow_run_id or run.id, inputs),
                lambda: DEFAULT.compute_key(task_ctx=TaskRunContext.of(run), inputs=inputs, flow_parameters={}),
            ):
                try:
                    outcomes.append(compute())
                except Exception as exc:  # the unhashable lock: the same error both ways
                    outcomes.append(f"{type(exc).__name__}: {exc}")
            keys.append((outcomes[0], outcomes[1]))

    compare()
    assert len(keys) == 5 and all(short == long for short, long in keys), keys
    assert str(keys[-1][0]).startswith("ValueError: Unable to create hash")


def test_a_plain_task_skips_its_key_only_when_nothing_could_observe_it(sim) -> None:
    """A plain task's DEFAULT key is skipped when the store is empty and nothing will be stored
    (the common case, kept fast); a record its persisting twin stored is still found, and an
    argument that cannot be hashed still logs Prefect's error (both checked on Prefect 3.9.1)."""
    import threading

    @sim_prefect.task
    def double(x: int) -> int:
        return 2 * x

    stored = double.with_options(persist_result=True)

    @sim_prefect.task
    def locked(lock: object, x: int) -> int:
        return x

    @sim_prefect.flow
    def twins() -> tuple[str, ...]:
        plain_first = double(2, return_state=True)
        c = locked(threading.Lock(), 1, return_state=True)  # while the store is still empty
        a, b = stored(3, return_state=True), double(3, return_state=True)
        return plain_first.name, c.name, a.name, b.name

    assert twins() == ("Completed", "Completed", "Completed", "Cached")
    assert "Error encountered when computing cache key - result will not be persisted." in sim.messages()


def test_a_default_key_never_finds_another_process_s_record() -> None:
    """The DEFAULT key holds the flow run's id, so a record stored by an earlier process is never
    a hit, even when a deterministic session draws the same ids again (as the page's Runs do)."""
    from sim_prefect.results import MemoryStore

    @sim_prefect.task(persist_result=True)
    def kept(x: int) -> int:
        return x

    @sim_prefect.flow
    def once() -> str:
        return kept(1, return_state=True).name

    records: dict[str, str] = {}
    names = []
    for _ in range(2):  # two Runs in the page: the second starts with the first one's records
        sim_prefect.configure("deterministic", terminal=False, results=MemoryStore(records, on_save=records.__setitem__))
        names.append(once())
    sim_prefect.configure("deterministic", terminal=False)
    assert len(records) == 1 and names == ["Completed", "Completed"]
