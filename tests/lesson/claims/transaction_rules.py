"""Page 8's rules about transactions, each printed as `CLAIM name: outcome` (or `ORDER ...` lines) for the test to read.

The script runs twice on the same result storage (a second process, as a rerun
at home is): what the first run committed under a key, the second finds.
"""

import os
import sys

from prefect import Task, flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.transactions import CommitMode, transaction

sys.stdout.reconfigure(line_buffering=True)
# Written at the end of the first run, beside the results: the second run knows it is one.
MARKER = os.path.join(os.environ.get("PREFECT_LOCAL_STORAGE_PATH", "."), "claims-transaction-rules.marker")
RERUN = os.path.exists(MARKER)


def claim(name, outcome):
    print(f"CLAIM {name}: {outcome}")


def say(what):
    def hook(txn):
        print(f"ORDER {what}")

    hook.__name__ = what.replace(" ", "_")
    return hook


# -- the hooks' options ---------------------------------------------------------------------------

try:
    task(on_rollback=[say("never")])
    claim("@task(on_rollback=...)", "accepted")
except TypeError as exc:
    claim("@task(on_rollback=...)", f"TypeError: {exc}")


# -- the order of a rollback --------------------------------------------------------------------


def _first():
    return 1


def _second():
    return 2


first = Task(_first, name="first", on_rollback=[say("first: hook given to Task()")])
first.on_rollback(say("first: hook added by the decorator"))
second = Task(_second, name="second", on_rollback=[say("second: its hook")])


@task
def fails():
    print("ORDER the failing task runs")
    raise ValueError("fails")


@flow
def rolls_back():
    with transaction():
        first()
        second()
        fails()


# -- a rollback hook that raises ----------------------------------------------------------------


@task
def staged():
    return 1


@staged.on_rollback
def registered_first(txn):
    print("ORDER the hook registered before the broken one")  # it would run after it: it never runs


@staged.on_rollback
def broken(txn):
    raise RuntimeError("the hook failed")


@flow
def broken_hook():
    with transaction():
        staged()
        fails()


# -- keys -------------------------------------------------------------------------------------------


@task
def work(label):
    return label


@flow
def keyed_without_early_return():
    with transaction(key="claims-keyed") as txn:
        committed = txn.is_committed()
        state = work("keyed", return_state=True)
    return committed, state.name


@flow
def keyed_that_fails():
    with transaction(key="claims-fails"):
        raise ValueError("the block fails")


@flow
def overwriting():
    with transaction(key="claims-keyed", overwrite=True) as txn:
        return txn.is_committed()


# -- commit modes ------------------------------------------------------------------------------------


@flow
def eager():
    with transaction(commit_mode=CommitMode.EAGER):
        work.with_options(task_run_name="eager-work")("eager")
        fails()


# -- cache policies inside a transaction ----------------------------------------------------------


@task(cache_policy=INPUTS + TASK_SOURCE)
def cached_step(day):
    return day


@task(cache_policy=INPUTS + TASK_SOURCE)
def cached_check(day, fail):
    if fail:
        raise ValueError("the check fails")
    return day


@flow
def cached_in_a_transaction(fail):
    with transaction():
        step = cached_step("claims-day", return_state=True)
        check = cached_check("claims-day", fail, return_state=True)
    return f"{step.name}, {check.name}"


if __name__ == "__main__":
    state = rolls_back(return_state=True)
    claim("rolls_back", state.type.value)
    state = broken_hook(return_state=True)
    claim("broken_hook", state.type.value)
    committed, ran = keyed_without_early_return()
    claim("a key, no early return", f"committed at start {committed}, the task ended {ran}")
    keyed_that_fails(return_state=True)
    with transaction(key="claims-fails", commit_mode=CommitMode.OFF) as txn:  # OFF: this look writes nothing
        claim("a key whose block failed, later", f"committed at start {txn.is_committed()}")
    claim("overwrite=True", f"committed at start {overwriting()}")
    eager(return_state=True)
    if not RERUN:
        cached_in_a_transaction(True, return_state=True)
        claim("cached steps, after a failure", cached_in_a_transaction(False))
        open(MARKER, "w").close()
    else:
        claim("cached steps, in a rerun", cached_in_a_transaction(False))
