"""Global concurrency and rate limits (prefect.concurrency) and tag-based task concurrency limits.

The expected texts are real Prefect 3.9.1's (research/server/transcripts/gcl_python.out,
gcl_async.out, tag_limits.out, tag_limit_zero.out). Waiters get freed slots in turn, at
once (PORT.yaml: concurrency-slots-in-turn), so the times here are exact.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import sim_prefect
from sim_prefect import flow, task
from sim_prefect.client.orchestration import get_client
from sim_prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from sim_prefect.concurrency import asyncio as aconcurrency
from sim_prefect.concurrency.slots import AcquireConcurrencySlotTimeoutError, ConcurrencySlotAcquisitionError, book_of
from sim_prefect.concurrency.sync import concurrency, rate_limit
from sim_prefect.exceptions import NotImitatedError, ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError
from sim_prefect.formatting import format_record
from sim_prefect.futures import wait
from sim_prefect.models import ValidationError
from sim_prefect.run_events import LogEmitted
from sim_prefect.store import Store
from tests.sim_prefect.conftest import Recorder


def limit(name: str, size: int, decay: float = 0.0, active: bool = True) -> None:
    with get_client(sync_client=True) as client:
        client.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(name=name, limit=size, slot_decay_per_second=decay, active=active)
        )


def now() -> float:
    return sim_prefect.session().now()


@pytest.fixture
def timeline() -> Iterator[list[tuple[str, Any, float]]]:
    """(what, who, when) on the session's clock."""
    yield []


def internal_lines(sim: Recorder) -> list[str]:
    return [format_record(e).split(" | ", 1)[1] for e in sim.logs if e.thread is not None]


# -- the client ------------------------------------------------------------------------------


def test_the_clients_global_limit_methods(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        created = client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="database", limit=2))
        assert isinstance(created, uuid.UUID)
        with pytest.raises(ObjectAlreadyExists):
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="database", limit=2))
        read = client.read_global_concurrency_limit_by_name("database")
        assert list(type(read).model_fields) == [
            "id", "created", "updated", "active", "name", "limit", "active_slots", "slot_decay_per_second",
        ]  # fmt: skip
        assert (read.id, read.name, read.limit, read.active, read.active_slots, read.slot_decay_per_second) == (
            created, "database", 2, True, 0, 0.0,
        )  # fmt: skip
        with pytest.raises(ObjectNotFound):
            client.read_global_concurrency_limit_by_name("missing-limit")
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="api", limit=1, slot_decay_per_second=2))
        assert [gcl.name for gcl in client.read_global_concurrency_limits()] == ["api", "database"]
        client.update_global_concurrency_limit("database", GlobalConcurrencyLimitUpdate(active=False))
        assert client.read_global_concurrency_limit_by_name("database").active is False
        deleted = client.delete_global_concurrency_limit_by_name("database")
        assert (type(deleted).__name__, deleted.status_code) == ("PrefectResponse", 204)
        with pytest.raises(ObjectNotFound):
            client.delete_global_concurrency_limit_by_name("database")


def test_a_limits_name_and_size_are_checked() -> None:
    with pytest.raises(ValidationError) as raised:
        GlobalConcurrencyLimitCreate(name="bad/name", limit=-1)
    assert str(raised.value).splitlines()[:5] == [
        "2 validation errors for GlobalConcurrencyLimitCreate",
        "name",
        "  String should match pattern '^[^/%&><]+$' [type=string_pattern_mismatch, input_value='bad/name', "
        "input_type=str]",
        "    For further information visit https://errors.pydantic.dev/2.14/v/string_pattern_mismatch",
        "limit",
    ]
    assert repr(GlobalConcurrencyLimitCreate(name="x", limit=1)) == (
        "GlobalConcurrencyLimitCreate(name='x', limit=1, active=True, active_slots=0, slot_decay_per_second=0.0)"
    )


def test_the_clients_tag_limit_methods(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        created = client.create_concurrency_limit(tag="database", concurrency_limit=1)
        assert client.create_concurrency_limit(tag="database", concurrency_limit=3) == created  # a new size
        tag_limit = client.read_concurrency_limit_by_tag("database")
        assert list(type(tag_limit).model_fields) == ["id", "created", "updated", "tag", "concurrency_limit", "active_slots"]
        assert (tag_limit.tag, tag_limit.concurrency_limit, tag_limit.active_slots) == ("database", 3, [])
        backing = client.read_global_concurrency_limit_by_name("tag:database")  # a global limit since 3.4.19
        assert (backing.name, backing.limit, backing.active, backing.slot_decay_per_second) == ("tag:database", 3, True, 0.0)
        assert [(c.tag, c.concurrency_limit) for c in client.read_concurrency_limits(limit=10, offset=0)] == [("database", 3)]
        client.reset_concurrency_limit_by_tag("database")
        client.delete_concurrency_limit_by_tag("database")
        with pytest.raises(ObjectNotFound):
            client.read_concurrency_limit_by_tag("database")
        with pytest.raises(ObjectNotFound):
            client.delete_concurrency_limit_by_tag("database")


# -- concurrency() and rate_limit() ------------------------------------------------------------------


def test_waiting_tasks_overlap_on_the_clock(sim: Recorder, timeline: list[tuple[str, Any, float]]) -> None:
    """The guide's example: 4 tasks, a limit of 2, 1 s of work each: 2 s, not 4, and in turn."""
    limit("database", 2)

    @task
    def process_data(x: int, y: int) -> int:
        with concurrency("database", occupy=1):
            timeline.append(("start", x, now()))
            time.sleep(1)
            timeline.append(("end", x, now()))
            return x + y

    @flow
    def my_flow() -> list[int]:
        futures = [process_data.submit(x, y) for x, y in [(1, 2), (2, 3), (3, 4), (4, 5)]]
        wait(futures)
        return [f.result() for f in futures]

    start = now()
    assert my_flow() == [3, 5, 7, 9]
    assert [(what, who) for what, who, _ in timeline] == [
        ("start", 1), ("start", 2), ("end", 1), ("start", 3), ("end", 2), ("start", 4), ("end", 3), ("end", 4),
    ]  # fmt: skip
    starts = {who: round(when - start, 1) for what, who, when in timeline if what == "start"}
    assert starts == {1: 0.0, 2: 0.0, 3: 1.0, 4: 1.0}
    assert 2.0 <= now() - start < 2.1
    assert sim_prefect.session().store.limits["database"].active_slots == 0


def test_a_missing_limit_warns_where_the_code_runs_and_the_body_runs(sim: Recorder) -> None:
    ran = []

    @task
    def in_task() -> str:
        with concurrency("does-not-exist"):
            ran.append("task")
        return "ok"

    @flow
    def in_flow() -> str:
        with concurrency("does-not-exist", occupy=1):
            ran.append("flow")
        return in_task()

    assert in_flow() == "ok"
    with concurrency("does-not-exist"):
        ran.append("outside")
    rate_limit("does-not-exist")  # rate_limit warns only on a run's logger (as Prefect's does)
    assert ran == ["flow", "task", "outside"]
    warning = "Concurrency limits ['does-not-exist'] do not exist - skipping acquisition."
    assert [line for line in sim.lines() if "skipping" in line] == [
        f"WARNING | Flow run '{sim_prefect.state_log()[0].name}' - {warning}",
        f"WARNING | Task run '{sim_prefect.state_log()[1].name}' - {warning}",
        f"WARNING | prefect.concurrency - {warning}",
    ]
    assert "does-not-exist" not in sim_prefect.session().store.limits  # not created


def test_strict_raises_for_a_missing_limit(sim: Recorder) -> None:
    with pytest.raises(ConcurrencySlotAcquisitionError) as raised:
        with concurrency("does-not-exist", strict=True):
            pytest.fail("the body must not run")
    assert str(raised.value) == "Concurrency limits ['does-not-exist'] must be created before acquiring slots"
    assert raised.value.__cause__ is None
    assert type(raised.value).__module__ == "prefect.concurrency._asyncio"
    assert internal_lines(sim) == []  # the server answered: nothing failed


def test_more_slots_than_the_limit_are_refused(sim: Recorder) -> None:
    limit("database", 2)
    with pytest.raises(ConcurrencySlotAcquisitionError) as raised:
        with concurrency("database", occupy=3):
            pass
    assert str(raised.value) == (
        "Unable to acquire concurrency slots on ['database']: 422 Unprocessable Entity: Slots requested is greater "
        "than the limit"
    )
    cause = raised.value.__cause__
    assert isinstance(cause, PrefectHTTPStatusError) and str(cause).startswith("Client error '422 Unprocessable Entity'")
    assert internal_lines(sim) == [
        "ERROR   | GlobalEventLoopThread | prefect._internal.concurrency - Service "
        "'ConcurrencySlotAcquisitionWithLeaseService' failed to process item (3, 'concurrency', None, None, 300, "
        "False, None, <Future at 0x7f04a0000090 state=finished raised PrefectHTTPStatusError>)"
    ]


def test_a_wait_that_times_out(sim: Recorder) -> None:
    limit("no-decay", 1)
    with concurrency("no-decay"):
        before = now()
        with pytest.raises(AcquireConcurrencySlotTimeoutError) as raised:
            with concurrency("no-decay", timeout_seconds=1):
                pass
        assert round(now() - before, 3) == 1.0  # waited, on the clock
    assert str(raised.value) == "Attempt to acquire concurrency slots timed out after 1 second(s)"
    assert isinstance(raised.value, TimeoutError) and type(raised.value.__cause__) is TimeoutError
    assert internal_lines(sim)[0].endswith(
        "(1, 'concurrency', 1, None, 300, False, None, <Future at 0x7f04a0000090 state=finished raised TimeoutError>)"
    )
    assert sim_prefect.session().store.limits["no-decay"].active_slots == 0


def test_no_retries_gives_up_at_once_and_retries_are_not_imitated(sim: Recorder) -> None:
    limit("one", 1)
    with concurrency("one"):
        with pytest.raises(ConcurrencySlotAcquisitionError, match=r"\['one'\]: 423 Locked: Locked$"):
            with concurrency("one", max_retries=0):
                pass
        with pytest.raises(NotImitatedError, match="max_retries=2"):
            with concurrency("one", max_retries=2):
                pass


def test_a_lease_duration_outside_the_servers_bounds_is_refused(sim: Recorder) -> None:
    limit("one", 1)
    with pytest.raises(ConcurrencySlotAcquisitionError) as raised:
        with concurrency("one", lease_duration=30):
            pass
    assert str(raised.value).endswith("422 Unprocessable Entity: lease_duration: Input should be greater than or equal to 60")


def test_an_inactive_limit_never_blocks(sim: Recorder) -> None:
    limit("database", 2, active=False)
    with concurrency("database", occupy=5):
        with concurrency("database", occupy=5):
            pass
    assert sim_prefect.session().store.limits["database"].active_slots == 0


def test_rate_limits_need_decay_and_space_their_callers(sim: Recorder) -> None:
    limit("no-decay", 1)
    with pytest.raises(ConcurrencySlotAcquisitionError) as raised:
        rate_limit("no-decay")
    assert str(raised.value) == (
        "Unable to acquire concurrency slots on ['no-decay']: 422 Unprocessable Entity: Only concurrency limits "
        "with slot decay can be used for rate limiting. The following limits do not have a decay configured: "
        "'no-decay'"
    )
    assert "ConcurrencySlotAcquisitionService' failed to process item (1, 'rate_limit', None, None, <Future" in internal_lines(sim)[0]
    limit("rate-limited-api", 1, decay=2.0)
    start = now()
    times = []
    for _ in range(4):
        assert rate_limit("rate-limited-api") is None
        times.append(round(now() - start, 3))
    assert times == [0.0, 0.5, 1.0, 1.5]


def test_slots_decay_for_a_concurrency_block_too(sim: Recorder) -> None:
    limit("decaying", 2, decay=1.0)
    rate_limit("decaying", occupy=2)
    start = now()
    with concurrency("decaying", occupy=1):
        assert round(now() - start, 3) == 1.0


def test_a_larger_limit_lets_a_waiter_in(sim: Recorder) -> None:
    limit("grow", 1)
    got: list[float] = []

    @task
    def holder() -> None:
        with concurrency("grow"):
            time.sleep(5)

    @task
    def waiter() -> None:
        with concurrency("grow"):
            got.append(now())

    @task
    def grower() -> None:
        time.sleep(1)
        with get_client(sync_client=True) as client:
            client.update_global_concurrency_limit("grow", GlobalConcurrencyLimitUpdate(limit=2))

    @flow
    def three() -> None:
        wait([holder.submit(), waiter.submit(), grower.submit()])

    start = now()
    three()
    assert 1.0 <= got[0] - start < 1.1


def test_acquisitions_and_releases_are_events(sim: Recorder) -> None:
    limit("database", 2)
    with concurrency("database", occupy=1):
        pass
    acquired, released = sim_prefect.session().store.events
    record = sim_prefect.session().store.limits["database"]
    assert (acquired.event, released.event) == ("prefect.concurrency-limit.acquired", "prefect.concurrency-limit.released")
    assert acquired.resource == {
        "prefect.resource.id": f"prefect.concurrency-limit.{record.id}", "prefect.resource.name": "database",
        "slots-acquired": "1", "limit": "2",
    }  # fmt: skip
    assert released.follows == acquired.id


def test_a_new_process_finds_the_slots_free(sim: Recorder) -> None:
    limit("held", 1)
    with concurrency("held"):
        data = sim_prefect.session().store.to_dict()
    data["limits"][0]["active_slots"], data["limits"][0]["holders"] = 1, ["a-task-run"]
    later = Store.from_dict(data)  # the page's next Run: the process that held them is gone
    assert (later.limits["held"].active_slots, later.limits["held"].holders) == (0, [])


def test_the_async_context_manager_lets_other_coroutines_go_on(sim: Recorder, timeline: list[tuple[str, Any, float]]) -> None:
    limit("db", 1)

    @task
    async def work(i: int) -> int:
        async with aconcurrency.concurrency("db", occupy=1):
            timeline.append(("start", i, now()))
            await asyncio.sleep(1)
        return i

    @flow
    async def main() -> list[int]:
        return list(await asyncio.gather(*[work(i) for i in range(3)]))

    start = now()
    assert asyncio.run(main()) == [0, 1, 2]
    assert [(who, round(when - start)) for _, who, when in timeline] == [(0, 0), (1, 1), (2, 2)]


def test_async_rate_limit_outside_any_flow(sim: Recorder) -> None:
    limit("rate-limited-api", 1, decay=5.0)

    async def main() -> list[float]:
        start = now()
        times = []
        for _ in range(5):
            await aconcurrency.rate_limit("rate-limited-api")
            times.append(round(now() - start, 3))
        return times

    assert asyncio.run(main()) == [0.0, 0.2, 0.4, 0.6, 0.8]


def test_an_async_timeout(sim: Recorder) -> None:
    limit("database", 2)

    async def main() -> str:
        try:
            async with aconcurrency.concurrency("database", timeout_seconds=1, occupy=2):
                async with aconcurrency.concurrency("database", timeout_seconds=1):
                    return "no"
        except TimeoutError as e:
            return f"{type(e).__name__} {e}"

    assert asyncio.run(main()) == "AcquireConcurrencySlotTimeoutError Attempt to acquire concurrency slots timed out after 1 second(s)"


# -- tag-based task concurrency limits ------------------------------------------------------------


def test_a_tag_limit_runs_tagged_tasks_in_turn_silently(sim: Recorder, timeline: list[tuple[str, Any, float]]) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="database", concurrency_limit=1)
    holders: list[list[Any]] = []

    @task(tags=["database"])
    def query_database(i: int) -> str:
        timeline.append(("start", i, now()))
        with get_client(sync_client=True) as client:
            holders.append(client.read_concurrency_limit_by_tag("database").active_slots)
        time.sleep(3)
        return f"q{i}"

    @flow
    def data_pipeline() -> list[str]:
        return [f.result() for f in query_database.map(range(3))]

    start = now()
    assert data_pipeline() == ["q0", "q1", "q2"]
    assert [(who, round(when - start)) for _, who, when in timeline] == [(0, 0), (1, 3), (2, 6)]
    runs = sim_prefect.state_log()
    assert all(r.state_names == ["Pending", "Running", "Completed"] for r in runs)
    assert holders == [[uuid.UUID(r.run_id)] for r in runs[1:]]  # the task run that holds the slot
    assert [m for m in sim.messages() if not m.startswith(("Beginning", "Finished"))] == []  # no line while waiting


def test_a_task_needs_a_slot_of_each_of_its_tags(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="database", concurrency_limit=2)
        client.create_concurrency_limit(tag="analytics", concurrency_limit=1)
    starts: list[tuple[str, float]] = []

    @task(tags=["database", "analytics"])
    def complex_query(i: int) -> None:
        starts.append((f"both{i}", now()))
        time.sleep(1)

    @task(tags=["database"])
    def simple_query() -> None:
        starts.append(("db", now()))
        time.sleep(1)

    @flow
    def pipeline() -> None:
        wait([complex_query.submit(0), complex_query.submit(1), simple_query.submit()])

    start = now()
    pipeline()
    assert [(who, round(when - start)) for who, when in starts] == [("both0", 0), ("db", 0), ("both1", 1)]


def test_a_tag_limit_of_zero_leaves_the_task_pending_and_fails_the_flow(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="blocked", concurrency_limit=0)

    @task(tags=["blocked"])
    def never_runs() -> str:
        return "ran!"

    @flow
    def zero_flow() -> str:
        return never_runs()

    state = zero_flow(return_state=True)
    assert state.message == (
        "Flow run encountered an exception: ConcurrencySlotAcquisitionError: Unable to acquire concurrency slots on "
        "['tag:blocked']: 422 Unprocessable Entity: Slots requested is greater than the limit"
    )
    flow_run, task_run = sim_prefect.state_log()
    assert (flow_run.state_names, task_run.state_names) == (["Pending", "Running", "Failed"], ["Pending"])
    lines = sim.lines()
    assert lines[1].startswith("ERROR   | GlobalEventLoopThread | prefect._internal.concurrency - Service ")
    assert lines[1].endswith(", 60, False, ConcurrencyLeaseHolder(type='task_run', id=UUID("
                             f"'{task_run.run_id}')), <Future at 0x7f04a0000090 state=finished raised PrefectHTTPStatusError>)")
    assert lines[2].startswith(f"ERROR   | Task run '{task_run.name}' - Finished in state Pending()\n"
                               "Please wait for all submitted tasks to complete before exiting your flow")
    assert lines[2].endswith('    future.wait()\n\nexample_flow()\n')


def test_tagged_async_tasks_gathered_on_one_loop_take_turns(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="api", concurrency_limit=1)
    starts: list[float] = []

    @task(tags=["api"])
    async def call(i: int) -> int:
        starts.append(now())
        await asyncio.sleep(1)
        return i

    @flow
    async def main() -> list[int]:
        return list(await asyncio.gather(*[call(i) for i in range(3)]))

    start = now()
    assert asyncio.run(main()) == [0, 1, 2]
    assert [round(t - start) for t in starts] == [0, 1, 2]


def test_a_task_without_limits_on_its_tags_runs_at_once_and_a_crash_frees_its_slot(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="db", concurrency_limit=1)

    @task(tags=["free"])
    def free() -> int:
        return 1

    @task(tags=["db"])
    def crashes() -> None:
        raise KeyboardInterrupt

    @flow
    def run_free() -> int:
        return free()

    assert run_free() == 1
    with pytest.raises(KeyboardInterrupt):
        crashes()
    assert sim_prefect.session().store.limits["tag:db"].active_slots == 0


def test_a_sync_caller_gets_the_error_out_of_a_future_as_from_prefects_service(sim: Recorder) -> None:
    """Prefect's sync API hands a refusal over through a future: its traceback shows that frame (not the async API)."""

    def frames(error: BaseException) -> list[str]:
        import traceback

        return [f"{f.filename.rsplit('/', 3)[-3:]}:{f.name}" for f in traceback.extract_tb(error.__traceback__)]

    with pytest.raises(ConcurrencySlotAcquisitionError) as sync_error:
        with concurrency("does-not-exist", strict=True):
            pass
    assert any("concurrent', 'futures', '_base.py']:__get_result" in f for f in frames(sync_error.value))

    async def main() -> None:
        async with aconcurrency.concurrency("does-not-exist", strict=True):
            pass

    with pytest.raises(ConcurrencySlotAcquisitionError) as async_error:
        asyncio.run(main())
    assert not any("futures" in f for f in frames(async_error.value))


def test_a_coroutine_waiting_beside_others_gets_the_slot_a_submitted_run_frees_at_once(sim: Recorder) -> None:
    limit("db", 1)
    starts: list[float] = []

    @task
    def holder() -> None:
        with concurrency("db"):
            time.sleep(2.5)

    async def waiter() -> None:
        async with aconcurrency.concurrency("db"):
            starts.append(now())
            await asyncio.sleep(0.5)

    @flow
    async def main() -> None:
        future = holder.submit()
        await asyncio.sleep(0.1)
        await asyncio.gather(waiter(), waiter())  # two coroutines on the loop: they await, they do not block it
        future.wait()

    start = now()
    asyncio.run(main())
    assert [round(t - start, 1) for t in starts] == [2.5, 3.0]


def test_a_submitted_task_refused_its_slot_fails_its_futures_result(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="blocked", concurrency_limit=0)

    @task(tags=["blocked"])
    def never_runs() -> str:
        return "ran!"

    @flow
    def zero_flow() -> str:
        future = never_runs.submit()
        future.wait()  # it is done: it will never start
        assert future.state.name == "Pending"
        return future.result()

    state = zero_flow(return_state=True)
    assert state.message is not None and state.message.endswith("422 Unprocessable Entity: Slots requested is greater than the limit")
    assert sim_prefect.state_log()[1].state_names == ["Pending"]


def test_a_wait_given_up_leaves_the_line(sim: Recorder) -> None:
    limit("one", 1)
    with concurrency("one"):
        with pytest.raises(AcquireConcurrencySlotTimeoutError):
            with concurrency("one", timeout_seconds=0.5):
                pass

        async def impatient() -> None:
            await asyncio.wait_for(asyncio.gather(waiting(), asyncio.sleep(0.1)), 0.5)

        async def waiting() -> None:
            async with aconcurrency.concurrency("one"):
                pass

        with pytest.raises(TimeoutError):
            asyncio.run(impatient())  # cancelled while it waits
    assert book_of(sim_prefect.session().store).waiting == []
    assert sim_prefect.session().store.limits["one"].active_slots == 0
