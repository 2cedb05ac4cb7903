"""Commit modes, nesting and values, after Prefect's how-to guide "Write transactional workflows".

Checks: LAZY (commit hooks when the block ends, after the task's "Finished"
line), EAGER (inside the task, before it), OFF (rollback hooks at the end,
RolledBack); an inner EAGER transaction that commits before the outer one
ends; the defaults and what a child inherits; txn.set/get across nesting (a
child reads its parent's values, not the other way round); get_transaction()
inside a task (the task's own transaction, keyed by its cache key) and outside;
a transaction outside any flow, with and without a key; an exception inside
the block (rolled back, and it goes on); Transaction used directly; the enums.
"""

import sys

from prefect import Transaction, flow, task
from prefect.transactions import CommitMode, IsolationLevel, TransactionState, get_transaction, transaction

sys.stdout.reconfigure(line_buffering=True)


@task
def step(name):
    return name


@step.on_commit
def committed(txn):
    print(f"commit hook: the task's transaction is {txn.state.name}")


@step.on_rollback
def rolled_back(txn):
    print(f"rollback hook: the task's transaction is {txn.state.name}")


@flow(log_prints=True)
def modes():
    for mode in [CommitMode.LAZY, CommitMode.EAGER, CommitMode.OFF]:
        print(f"--- {mode.name}")
        with transaction(commit_mode=mode) as txn:
            step(mode.name)
            print(f"inside: state={txn.state.name}")
        print(f"after: state={txn.state.name}")
    print("--- nested: an inner EAGER transaction commits before the outer one ends")
    with transaction() as outer:
        with transaction(commit_mode=CommitMode.EAGER) as inner:
            step("inner")
        print(f"inner after its block: {inner.state.name}; outer still: {outer.state.name}")
    print(f"outer after: {outer.state.name}")


@task
def look_inside():
    txn = get_transaction()
    print(
        f"inside the task: {type(txn).__name__}, key of {len(txn.key)} hex digits, state={txn.state.name}, "
        f"commit_mode={txn.commit_mode!r}, sees color={txn.get('color')!r}"
    )
    return txn.key


@flow(log_prints=True)
def nesting():
    print("get_transaction() in the flow:", get_transaction())
    with transaction() as txn:
        print(
            f"outer: key={txn.key!r} state={txn.state.name} commit_mode={txn.commit_mode!r} "
            f"isolation={txn.isolation_level!r} store={txn.store!r} is get_transaction(): {get_transaction() is txn}"
        )
        txn.set("color", "blue")
        with transaction(key="child-key", commit_mode=CommitMode.OFF) as child:
            print(f"child: commit_mode={child.commit_mode!r} isolation={child.isolation_level!r} "
                  f"store={type(child.store).__name__} parent's color={child.get('color')!r} "
                  f"missing={child.get('missing', 'default')!r}")
            child.set("size", 3)
            value = child.get("color")
            value += "!"
            print(f"a changed copy: {value!r}; stored: {child.get('color')!r}")
        try:
            txn.get("size")
        except ValueError as exc:
            print("ValueError:", exc)
        key = look_inside()
        print("a second call has the same key (DEFAULT: inputs, code, flow run):", key == look_inside())
    print("get_transaction() after the block:", get_transaction())


if __name__ == "__main__":
    print("enums:", list(IsolationLevel), list(CommitMode), list(TransactionState))
    modes()
    nesting()
    print("=== outside any flow")
    print("get_transaction():", get_transaction())
    with transaction() as txn:
        print("no key: store =", txn.store, "| commit_mode =", txn.commit_mode, "| state =", txn.state.name)
    print("after:", txn.state.name)
    try:
        with transaction() as txn:
            raise RuntimeError("inside the block")
    except RuntimeError as exc:
        print("the exception goes on:", exc, "| state:", txn.state.name)
    with Transaction() as direct:
        print("Transaction(): store =", direct.store, "| commit_mode =", direct.commit_mode,
              "| is get_transaction():", get_transaction() is direct)
    print("after:", direct.state.name, direct.is_committed(), direct.is_rolled_back())
