"""Transactions: task runs that commit or roll back together, keys, hooks, isolation and locks."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timezone
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sim_prefect
from sim_prefect import Task, flow, task
from sim_prefect import _msgs
from sim_prefect.cache_policies import INPUTS
from sim_prefect.exceptions import ConfigurationError, NotImitatedError
from sim_prefect.locking.memory import MemoryLockManager
from sim_prefect.results import DirectoryStore, ResultStore
from sim_prefect.scheduler import Deadlock
from sim_prefect.session import session
from sim_prefect.store import select_runs
from sim_prefect.transactions import (
    AsyncTransaction,
    CommitMode,
    IsolationLevel,
    Transaction,
    TransactionState,
    atransaction,
    get_transaction,
    transaction,
)

REPO = Path(__file__).resolve().parents[2]


def _states(owner: str) -> list[str]:
    return [s.name for s in select_runs(sim_prefect.state_log(), "task", owner)[-1].states]


def _said(out: list[str], what: str) -> Any:
    def hook(txn: Any) -> None:
        out.append(f"{what}:{txn.state.name}")

    hook.__name__ = what
    return hook


# -- hooks and how they are given --------------------------------------------------------------


def test_the_decorator_refuses_transaction_hooks_in_pythons_words() -> None:
    with pytest.raises(TypeError, match=r"^task\(\) got an unexpected keyword argument 'on_commit'$"):
        task(on_commit=[print])
    with pytest.raises(TypeError, match="unexpected keyword argument 'on_rollback'"):
        task(on_rollback=[print])


def test_hooks_come_from_the_constructor_and_the_decorators_and_survive_with_options() -> None:
    def first(txn: Any) -> None: ...

    def second(txn: Any) -> None: ...

    t = Task(lambda: 1, on_commit=[first], on_rollback=[first])
    assert t.on_rollback(second) is second and t.on_commit(second) is second
    assert t.on_commit_hooks == [first, second] and t.on_rollback_hooks == [first, second]
    copy = t.with_options(name="copy")
    assert copy.on_commit_hooks == [first, second] and copy.on_commit_hooks is not t.on_commit_hooks


def test_a_failing_task_rolls_back_the_staged_ones_before_its_failure_is_logged(sim) -> None:
    out: list[str] = []
    writer = Task(lambda: "written", name="writer", on_rollback=[_said(out, "first"), _said(out, "second")])
    writer.on_commit(_said(out, "never"))

    @task
    def check() -> None:
        raise ValueError("bad")

    @flow
    def pipeline() -> None:
        with transaction():
            writer()
            check()

    assert pipeline(return_state=True).is_failed()
    assert out == ["second:STAGED", "first:STAGED"]  # the last registered first
    messages = sim.messages()
    rolled = messages.index("Running rollback hook 'second'")
    assert messages[rolled:rolled + 4] == [
        "Running rollback hook 'second'", "Rollback hook 'second' finished running successfully",
        "Running rollback hook 'first'", "Rollback hook 'first' finished running successfully",
    ]
    assert rolled < messages.index("Task run failed with exception: ValueError('bad')")
    assert [log.run_name for log in sim.logs if "rollback hook" in log.message.lower()] == [sim.logs[1].run_name] * 4
    assert _states("writer") == ["Pending", "Running", "Completed", "RolledBack"]
    record = select_runs(sim_prefect.state_log(), "task", "writer")[-1]
    assert record.states[-1].message == _msgs.ROLLED_BACK and record.states[-1].is_completed()


def test_commit_hooks_run_when_the_outermost_transaction_ends_or_at_once_when_eager(sim) -> None:
    out: list[str] = []
    step = Task(lambda: 1, name="step", on_commit=[_said(out, "committed")])

    @flow
    def modes() -> list[str]:
        states = []
        for mode in (CommitMode.LAZY, CommitMode.EAGER, CommitMode.OFF):
            with transaction(commit_mode=mode) as txn:
                step()
                out.append(f"{mode.name} block ends")
            states.append(txn.state.name)
        return states

    assert modes() == ["COMMITTED", "COMMITTED", "ROLLED_BACK"]
    assert out == ["LAZY block ends", "committed:STAGED", "committed:STAGED", "EAGER block ends", "OFF block ends"]
    messages = sim.messages()
    eager = [i for i, m in enumerate(messages) if m == "Running commit hook 'committed'"][1]
    assert messages[eager + 2] == "Finished in state Completed()"  # EAGER: inside the task, before its end


def test_a_task_outside_any_transaction_commits_on_its_own_before_its_end(sim) -> None:
    out: list[str] = []
    step = Task(lambda: 1, name="step", on_commit=[_said(out, "committed")])

    @flow
    def alone() -> None:
        step()

    alone()
    assert out == ["committed:STAGED"]
    assert sim.messages()[-3:] == [
        "Commit hook 'committed' finished running successfully", "Finished in state Completed()",
        "Finished in state Completed()",
    ]


def test_a_rollback_hook_that_raises_stops_the_rest_and_the_rolled_back_record(sim) -> None:
    out: list[str] = []

    @task
    def step() -> int:
        return 1

    step.on_rollback(_said(out, "never"))

    @step.on_rollback
    def bad(txn: Any) -> None:
        raise RuntimeError("hook exploded")

    @flow
    def f() -> None:
        with transaction():
            step()
            raise ValueError("boom")

    assert f(return_state=True).is_failed()
    assert out == []
    errors = [log for log in sim.logs if log.level == "ERROR" and log.run_kind == "task"]
    assert errors[0].message == "An error was encountered while running rollback hook 'bad'"
    assert errors[1].message.startswith("An error was encountered while rolling back transaction '")
    assert errors[1].traceback is not None and "During handling of the above exception" in errors[1].traceback
    assert errors[1].traceback.endswith("RuntimeError: hook exploded")
    assert _states("step") == ["Pending", "Running", "Completed"]


# -- values, nesting and the active transaction -------------------------------------------------


def test_a_child_reads_its_parents_values_and_not_the_other_way_round(sim) -> None:
    with transaction() as parent:
        assert get_transaction() is parent and parent.commit_mode == CommitMode.LAZY
        parent.set("color", ["blue"])
        with transaction(commit_mode=CommitMode.EAGER) as child:
            assert child.get("color") == ["blue"] and child.get("missing", 7) == 7
            child.get("color").append("red")  # a copy
            assert child.get("color") == ["blue"]
            child.set("size", 3)
            assert child.isolation_level == IsolationLevel.READ_COMMITTED
        assert child.state == TransactionState.COMMITTED and child in parent.children
        with pytest.raises(ValueError, match="^Could not retrieve value for unknown key: size$"):
            parent.get("size")
    assert get_transaction() is None and parent.is_committed()


def test_inside_a_task_get_transaction_gives_its_own_keyed_by_its_cache_key(sim) -> None:
    seen: list[Any] = []

    @task
    def look() -> None:
        txn = get_transaction()
        seen.append((type(txn), txn.key, txn.state, txn.get("who", None)))

    @flow
    def f() -> None:
        look()  # no transaction around it: made only when asked for
        with transaction() as txn:
            txn.set("who", "the flow")
            look()

    f()
    (kind, key, state, who), (_, key2, _, who2) = seen
    assert kind is Transaction and len(key) == 32 and key == key2 and state == TransactionState.ACTIVE
    assert (who, who2) == (None, "the flow")


def test_a_task_run_that_does_not_need_its_transaction_does_not_make_one(sim, monkeypatch) -> None:
    made: list[Any] = []
    real = sim_prefect.task_engine.TaskRun.make_transaction

    def counting(self: Any, cache: Any) -> Any:
        made.append(self.task.name)
        return real(self, cache)

    monkeypatch.setattr(sim_prefect.task_engine.TaskRun, "make_transaction", counting)

    @task
    def plain(x: int) -> int:
        return x

    @flow
    def f() -> None:
        plain(1)
        with transaction():
            plain(2)

    f()
    assert made == ["plain"]  # only the one inside the transaction


def test_the_enums_print_as_prefects() -> None:
    assert repr(IsolationLevel.SERIALIZABLE) == "IsolationLevel.SERIALIZABLE"
    assert [m.value for m in CommitMode] == ["EAGER", "LAZY", "OFF"]
    assert list(TransactionState)[-1] == "ROLLED_BACK"


def test_async_transactions_refuse_with_and_work_with_async_with(sim) -> None:
    with pytest.raises(NotImplementedError, match="does not support the `with` statement"):
        with AsyncTransaction():
            pass

    async def main() -> str:
        async with atransaction(key="async-key") as txn:
            assert get_transaction() is txn
        return txn.state.name

    assert asyncio.run(main()) == "COMMITTED"
    assert ResultStore().exists("async-key")


# -- keys and records ---------------------------------------------------------------------------


def test_a_keyed_transaction_writes_its_record_on_commit_and_not_on_rollback(sim) -> None:
    with transaction(key="kept") as txn:
        assert not txn.is_committed() and type(txn.store) is ResultStore
    with pytest.raises(RuntimeError):
        with transaction(key="dropped"):
            raise RuntimeError("no record")
    store = ResultStore()
    assert store.exists("kept") and not store.exists("dropped")
    assert store.read("kept").result is None
    with transaction(key="kept") as again:
        assert again.is_committed()
    with transaction(key="kept", overwrite=True) as overwritten:
        assert overwritten.state == TransactionState.ACTIVE


def test_a_rerun_in_another_process_finds_the_committed_key(tmp_path: Path) -> None:
    script = (
        "import sim_prefect\n"
        "sim_prefect.install_as_prefect()\n"
        "from prefect import flow\n"
        "from prefect.transactions import transaction\n"
        "@flow\n"
        "def once():\n"
        "    with transaction(key='download-and-write-data') as txn:\n"
        "        return txn.is_committed()\n"
        "print(once())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_LOCAL_STORAGE_PATH"}
    env.update(SIM_PREFECT_MODE="fast", SIM_PREFECT_HOME=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]  # fmt: skip
    assert [r.stdout.strip() for r in runs] == ["False", "True"]
    assert (tmp_path / "storage" / "download-and-write-data").is_file()


def test_a_later_run_in_the_page_finds_the_committed_key() -> None:
    from playground.runner import run

    code = (
        "from prefect import flow\n"
        "from prefect.transactions import transaction\n"
        "@flow(log_prints=True)\n"
        "def pipeline():\n"
        "    with transaction(key='download-and-write-data') as txn:\n"
        "        if txn.is_committed():\n"
        "            print('Data file has already been written. Exiting early.')\n"
        "            return\n"
        "        print('writing')\n"
        "pipeline()\n"
    )
    batches: list[str] = []
    first = run(code, post=batches.append)
    records = {m["key"]: m["record"] for b in batches for m in json.loads(b) if m["type"] == "result"}
    assert "writing" in first.output and list(records) == ["download-and-write-data"]
    second = run(code, results=records)
    assert "Exiting early." in second.output and "writing" not in second.output


def test_a_tasks_record_waits_for_the_transaction_around_it(sim) -> None:
    ran: list[int] = []

    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        ran.append(x)
        return 2 * x

    @task
    def fail() -> None:
        raise ValueError("no")

    @flow
    def f(fails: bool) -> None:
        with transaction():
            double(1)
            if fails:
                fail()

    f(True, return_state=True)
    f(False)
    f(False)
    assert ran == [1, 1]  # rolled back the first time: nothing stored; cached the third
    assert _states("double") == ["Pending", "Running", "Cached"]


def test_the_serialization_warning_comes_at_commit_and_rolls_the_task_back(sim) -> None:
    import threading

    @task(persist_result=True, cache_key_fn=lambda context, parameters: "a-lock")
    def unstorable() -> Any:
        return threading.Lock()

    @flow
    def f() -> None:
        with transaction():
            unstorable()

    f()
    warning = next(log for log in sim.logs if log.level == "WARNING")
    assert warning.message.startswith("Encountered an error while serializing result for transaction 'a-lock'")
    assert sim.messages().index("Finished in state Completed()") < sim.logs.index(warning)
    assert _states("unstorable")[-1] == "RolledBack"


# -- isolation and locks --------------------------------------------------------------------------


def test_serializable_without_a_lock_manager_fails_with_prefects_configuration_error(sim) -> None:
    with pytest.raises(ConfigurationError, match="^Isolation level SERIALIZABLE is not supported"):
        with transaction(key="k", isolation_level=IsolationLevel.SERIALIZABLE):
            pass
    with transaction(isolation_level=IsolationLevel.SERIALIZABLE):  # no key: nothing to lock
        pass

    @task(cache_policy=INPUTS.configure(isolation_level=IsolationLevel.SERIALIZABLE))
    def needs_a_lock(x: int) -> int:
        return x

    @flow
    def f() -> None:
        needs_a_lock(1, return_state=True)

    f()
    failed = next(log for log in sim.logs if log.level == "ERROR")
    assert failed.message.startswith("Task run failed with exception: ConfigurationError(")
    assert failed.traceback is not None and failed.traceback.startswith("Traceback (most recent call last):")
    assert _states("needs_a_lock") == ["Pending", "Running", "Failed"]


def test_two_submitted_serializable_transactions_take_turns_and_the_second_finds_the_record(sim) -> None:
    import time

    outcomes: list[str] = []

    @task
    def write_once(name: str) -> None:
        store = ResultStore(lock_manager=MemoryLockManager())
        with transaction(key="race", isolation_level=IsolationLevel.SERIALIZABLE, store=store) as txn:
            if txn.is_committed():
                outcomes.append(f"{name} skipped at {session().clock.now() - start:.1f}")
                return
            time.sleep(2)
            outcomes.append(f"{name} wrote")

    @flow
    def race() -> None:
        futures = [write_once.submit("a"), write_once.submit("b")]
        for future in futures:
            future.result()

    start = session().clock.now()
    race()
    assert outcomes == ["a wrote", "b skipped at 2.0"]  # b waited for a's commit, no longer
    assert not MemoryLockManager().is_locked("race")


def test_the_memory_lock_manager_is_one_and_its_timeouts_run_on_the_clock(sim) -> None:
    locks = MemoryLockManager()
    assert MemoryLockManager() is locks
    assert locks.acquire_lock("k", "me", hold_timeout=5)
    assert locks.acquire_lock("k", "me") and locks.is_lock_holder("k", "me")
    before = session().clock.now()
    assert not locks.acquire_lock("k", "you", acquire_timeout=1)
    assert session().clock.now() - before == pytest.approx(1)
    assert locks.acquire_lock("k", "you")  # waits until my hold lapses
    assert session().clock.now() - before == pytest.approx(5)
    with pytest.raises(ValueError, match="^No lock held by me for transaction with key k$"):
        locks.release_lock("k", "me")
    locks.release_lock("k", "you")
    assert not locks.is_locked("k") and locks.wait_for_lock("k")


def test_a_wait_for_a_lock_nothing_can_release_raises_instead_of_hanging(sim) -> None:
    store = ResultStore(lock_manager=MemoryLockManager())
    with pytest.raises(Deadlock, match="the lock on 'same-key'"):
        with transaction(key="same-key", isolation_level=IsolationLevel.SERIALIZABLE, store=store):
            with Transaction(key="same-key", isolation_level=IsolationLevel.SERIALIZABLE, store=store):
                pass
    assert not MemoryLockManager().is_locked("same-key")


# -- the result store's public face ----------------------------------------------------------------


def test_the_result_store_writes_and_reads_records_in_the_sessions_store(sim) -> None:
    store = ResultStore()
    store.write({"answer": 42}, key="my-result")
    assert store.exists("my-result") and store.read("my-result").result == {"answer": 42}
    assert session().results.find("my-result", lambda: datetime.now(timezone.utc)) is not None
    with pytest.raises(ValueError, match="does not exist"):
        store.read("nothing-here")
    with pytest.raises(ConfigurationError, match="not configured with a lock manager"):
        store.acquire_lock("my-result")


def test_what_the_result_store_leaves_out_fails_naming_it(tmp_path: Path) -> None:
    with pytest.raises(NotImitatedError, match="storage blocks"):
        ResultStore(result_storage=tmp_path)
    with pytest.raises(NotImitatedError, match="get_result_store"):
        from sim_prefect.results import get_result_store  # type: ignore[attr-defined]  # noqa: F401
    with pytest.raises(AttributeError):
        sim_prefect.results.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_a_directory_store_keeps_transaction_records_as_files(tmp_path: Path) -> None:
    sim_prefect.configure("deterministic", terminal=False, results=DirectoryStore(tmp_path))
    try:
        with transaction(key="on-disk"):
            pass
        document = json.loads((tmp_path / "on-disk").read_text())
        assert document["metadata"]["storage_key"] == str(tmp_path.absolute() / "on-disk")
    finally:
        sim_prefect.configure("deterministic", terminal=False)


# -- names, modules, determinism ---------------------------------------------------------------------


def test_prefects_names_for_transactions_import_and_filesystem_locks_are_refused() -> None:
    script = (
        "import sim_prefect; prefect = sim_prefect.install_as_prefect()\n"
        "from prefect import Transaction\n"
        "from prefect.transactions import Transaction as T, transaction\n"
        "from prefect.locking.memory import MemoryLockManager\n"
        "from prefect.locking.protocol import LockManager\n"
        "from prefect.results import ResultStore\n"
        "print(Transaction is T, isinstance(MemoryLockManager(), LockManager), ResultStore.__module__)\n"
        "try:\n import prefect.locking.filesystem\nexcept ModuleNotFoundError as e:\n print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    first, second = out.splitlines()
    assert first == "True True prefect.results"
    assert "file-system locks (FileSystemLockManager)" in second and "PORT.yaml" in second


def test_transactions_draw_nothing_from_the_seeded_names(sim) -> None:
    @task
    def step() -> int:
        return 1

    @flow
    def plain() -> None:
        step()

    @flow
    def transactional() -> None:
        with transaction(key="no-draws") as txn:
            step()
            txn.set("x", 1)

    def names(f: Any) -> list[str]:
        sim_prefect.configure("deterministic", terminal=False)
        f()
        f()
        return [r.name for r in sim_prefect.state_log()]

    assert names(plain) == names(transactional)


def test_a_task_called_inside_a_plain_task_rolls_back_when_the_outer_one_fails(sim) -> None:
    out: list[str] = []
    inner = Task(lambda: 1, name="inner", on_rollback=[_said(out, "undo inner")])

    @task
    def outer() -> None:
        inner()
        raise ValueError("outer fails")

    @flow
    def f() -> None:
        outer(return_state=True)

    f()
    assert out == ["undo inner:STAGED"]
    assert _states("inner")[-1] == "RolledBack" and _states("outer")[-1] == "Failed"


def test_a_lock_held_in_a_thread_of_the_learners_own_is_waited_for_as_a_thread_waits(sim) -> None:
    """The docs' examples race two threading.Threads (at home): the other thread goes on by itself."""
    import threading

    from sim_prefect.learner_clock import ORIGINAL

    locks = MemoryLockManager()
    taken, order = threading.Event(), []

    def hold() -> None:
        locks.acquire_lock("threads", "thread")
        taken.set()
        ORIGINAL["sleep"](0.2)
        order.append("thread releases")
        locks.release_lock("threads", "thread")

    other = threading.Thread(target=hold)
    other.start()
    taken.wait()
    assert locks.acquire_lock("threads", "main")
    order.append("main acquires")
    other.join()
    locks.release_lock("threads", "main")
    assert order == ["thread releases", "main acquires"]
