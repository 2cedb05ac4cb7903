"""Rollbacks and commits, after Prefect's how-to guide "Write transactional workflows".

Checks: the guide's first example (a file written by one task, deleted by its
on_rollback hook when the next task fails, before that failure is logged) and
its on_commit hook; the guide's "Access data within transactions" example
(txn.set in the flow, txn.get in the hook); hooks given to Task(...) and added
with the decorators, run last-registered-first on rollback; `@task(on_commit=...)`
refused as by Prefect; RolledBack in the state history; a rollback hook that
raises (the later hooks and RolledBack skipped, the error logged with its
traceback).
"""

import os
import sys
import tempfile

from prefect import Task, flow, task
from prefect.transactions import transaction

sys.stdout.reconfigure(line_buffering=True)
os.chdir(tempfile.mkdtemp())  # the files the tasks write go in a folder of this run's own


# -- the guide's first example, with its on_commit hook ----------------------------------------

@task
def write_file(contents: str):
    "Writes to a file."
    with open("side-effect.txt", "w") as f:
        f.write(contents)


@write_file.on_rollback
def del_file(transaction):
    "Deletes file."
    os.unlink("side-effect.txt")


@write_file.on_commit
def confirmation(transaction):
    print("committing a record now using the task's cache key!")


@task
def quality_test():
    "Checks contents of file."
    with open("side-effect.txt", "r") as f:
        data = f.readlines()

    if len(data) < 2:
        raise ValueError("Not enough data!")


@flow
def pipeline(contents: str):
    with transaction():
        write_file(contents)
        quality_test()


# -- "Access data within transactions", with hooks given to Task(...) ---------------------------

def log_commit(txn):
    print(f"on_commit hook: key is {len(txn.key)} hex digits, filename={txn.get('filename')!r}")


def log_rollback(txn):
    print(f"on_rollback hook: filename={txn.get('filename')!r}")


def _write_named_file(filename: str, contents: str):
    with open(filename, "w") as f:
        f.write(contents)


write_named_file = Task(_write_named_file, name="write_named_file", on_commit=[log_commit], on_rollback=[log_rollback])


@write_named_file.on_rollback
def del_named_file(txn):
    "Deletes file."
    os.unlink(txn.get("filename"))


@task
def check_named_file(filename):
    with open(filename, "r") as f:
        data = f.readlines()

    if len(data) < 2:
        raise ValueError("Not enough data!")


@flow(log_prints=True)
def named_pipeline(filename: str, contents: str):
    with transaction() as txn:
        txn.set("filename", filename)
        write_named_file(filename, contents)
        check_named_file(filename)


# -- a rollback hook that raises ------------------------------------------------------------------

@task(cache_key_fn=lambda context, parameters: "the-step")  # a key that is the same on every run
def step():
    return 1


@step.on_rollback
def never_reached(txn):
    print("this hook is registered first, so it would run last")


@step.on_rollback
def bad_hook(txn):
    raise RuntimeError("hook exploded")


@flow
def bad_hook_flow():
    with transaction():
        step()
        raise ValueError("boom")


if __name__ == "__main__":
    try:
        task(on_commit=[log_commit])
    except TypeError as exc:
        print("TypeError:", exc)
    print("=== the guide: bad data rolls back")
    state = pipeline(contents="hello world", return_state=True)
    print("flow:", state.type.value, "| file exists:", os.path.exists("side-effect.txt"))
    print("=== the guide: good data commits")
    state = pipeline(contents="hello\nworld\n", return_state=True)
    print("flow:", state.type.value, "| file exists:", os.path.exists("side-effect.txt"))
    print("=== data within the transaction: fails")
    state = named_pipeline("named.txt", "one line", return_state=True)
    print("flow:", state.type.value, "| file exists:", os.path.exists("named.txt"))
    print("=== data within the transaction: passes")
    state = named_pipeline("named.txt", "two\nlines\n", return_state=True)
    print("flow:", state.type.value, "| file exists:", os.path.exists("named.txt"))
    print("=== a rollback hook that raises")
    state = bad_hook_flow(return_state=True)
    print("flow:", state.type.value)
