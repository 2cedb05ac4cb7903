"""Transactions when things go wrong, and with submitted, nested and async tasks.

Follows Prefect's how-to guide "Write transactional workflows" (a failure
anywhere in the transaction rolls back what was staged) into the cases it does
not spell out. Checks: a task that returns a Failed state (its rollback hooks,
the transaction around it rolled back); a task that fails once and is retried
(the failed attempt rolls the transaction back); a task called inside another
task that then fails (the inner one is rolled back with it); a result that
cannot be stored, found when the transaction commits; a commit hook that
raises (logged, and the task's transaction rolls back); submitted tasks in a
transaction; an async task's hooks, `async with atransaction()`, and `with`
refused for an AsyncTransaction; a task
with hooks outside any transaction of the flow's (it commits on its own).
"""

import asyncio
import sys
import threading

from prefect import Task, flow, task
from prefect.states import Failed
from prefect.transactions import AsyncTransaction, atransaction, get_transaction, transaction

sys.stdout.reconfigure(line_buffering=True)


def said(what):
    def hook(txn):
        print(f"{what} ({txn.state.name})")

    hook.__name__ = what.replace(" ", "_")
    return hook


def task_with_hooks(fn, **options):
    name = fn.__name__
    return Task(fn, on_commit=[said(f"commit {name}")], on_rollback=[said(f"rollback {name}")], **options)


def _staged():
    return "staged"


staged = task_with_hooks(_staged)


def _returns_failed():
    return Failed(message="returned a Failed state")


returns_failed = task_with_hooks(_returns_failed)


@flow(log_prints=True)
def a_returned_failed_state():
    with transaction() as txn:
        staged()
        state = returns_failed(return_state=True)
        print(f"returned: {state.type.value}; the transaction is {txn.state.name}")
        staged()
    print(f"after: {txn.state.name}")


attempts = []


def _flaky():
    attempts.append(1)
    if len(attempts) == 1:
        raise ValueError("first attempt fails")
    return "second attempt works"


flaky = task_with_hooks(_flaky, retries=1)


@flow(log_prints=True)
def a_retried_task():
    with transaction() as txn:
        staged()
        print("flaky:", flaky())
        print(f"the transaction is {txn.state.name}")
    print(f"after: {txn.state.name}")


def _inner():
    return "inner"


inner = task_with_hooks(_inner)


def _outer():
    inner()
    raise ValueError("outer fails after calling inner")


outer = task_with_hooks(_outer)


@flow(log_prints=True)
def a_task_inside_a_failing_task():
    outer(return_state=True)


def _unstorable():
    return threading.Lock()


unstorable = task_with_hooks(_unstorable, persist_result=True, cache_key_fn=lambda context, parameters: "unstorable")


@flow(log_prints=True)
def a_result_that_cannot_be_stored():
    with transaction() as txn:
        unstorable()
        staged()
        print("both finished; the transaction commits when the block ends")
    print(f"after: {txn.state.name}")


@task(cache_key_fn=lambda context, parameters: "bad-commit-hook-task")  # a key that is the same on every run
def with_a_bad_commit_hook():
    return 1


@with_a_bad_commit_hook.on_rollback
def undo(txn):
    print("undo runs after the commit hook failed")


@with_a_bad_commit_hook.on_commit
def bad_commit_hook(txn):
    raise RuntimeError("commit hook exploded")


@flow(log_prints=True)
def a_commit_hook_that_raises():
    with transaction(key="bad-commit-hook") as txn:
        with_a_bad_commit_hook()
    print(f"after: {txn.state.name}")


@flow(log_prints=True)
def submitted_tasks():
    with transaction() as txn:
        futures = [staged.submit(), staged.submit()]
        print("results:", [f.result() for f in futures])
    print(f"after: {txn.state.name}")


@flow(log_prints=True)
def alone():
    staged()
    print("get_transaction() in the flow:", get_transaction())


async def _async_staged():
    await asyncio.sleep(0.01)
    txn = get_transaction()
    print(f"inside the async task: {type(txn).__name__} {txn.state.name}")
    return "async"


async_staged = task_with_hooks(_async_staged)


@flow(log_prints=True)
async def async_flow():
    async with atransaction() as txn:
        print(f"atransaction: {type(txn).__name__} {txn.state.name}")
        await async_staged()
    print(f"after: {txn.state.name}")
    try:
        with AsyncTransaction():
            pass
    except NotImplementedError as exc:
        print(f"NotImplementedError: {exc}")


if __name__ == "__main__":
    for flow_fn in (a_returned_failed_state, a_retried_task, a_task_inside_a_failing_task,
                    a_result_that_cannot_be_stored, a_commit_hook_that_raises, submitted_tasks, alone):
        print(f"=== {flow_fn.name}")
        flow_fn(return_state=True)
    print("=== async_flow")
    asyncio.run(async_flow())
