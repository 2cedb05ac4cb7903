"""Check for the nightly-load exercise.

It passes when the three runs of nightly_load did what a load that is safe to
rerun does: the first failed in its second step and rolled its first step
back (load_orders ended RolledBack, and its rows are gone); the second loaded
the day; the third skipped the work, with no task run that ran again (none
at all, or only Cached ones); and the warehouse that show_tables publishes
as a table artifact holds the day's orders once and its total once.
Warehouse and show_tables must be as the lesson gives them. It reads the
runs and the artifact the code made; of the output, only Prefect's own log
line for a rollback hook that raised.
"""

import ast
import json

DAY = "2026-03-02"
ORDERS = 3  # rows the day has


def _rolled_back(run) -> bool:
    return "RolledBack" in run.state_names


def _ran(run) -> bool:
    """Did this task run do its work (not skipped as Cached)?"""
    return run.state is not None and run.state.name != "Cached" and run.run_count > 0


def _uses(source: str, attribute: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.Attribute) and node.attr == attribute for node in ast.walk(tree))


def _tables(attempt):
    """The rows show_tables published, by table (None if it published none)."""
    for artifact in reversed(attempt.artifacts):
        if artifact.get("key") == "warehouse" and artifact.get("type") == "table":
            data = artifact.get("data")
            rows = json.loads(data) if isinstance(data, str) else data
            tables = {"orders": [], "daily_totals": []}
            for row in rows or []:
                if isinstance(row, dict) and row.get("table") in tables:
                    tables[row["table"]].append(row)
            return tables
    return None


def check(attempt):
    for name in ("Warehouse", "show_tables"):
        if not attempt.unchanged(name):
            raise AssertionError(
                f"{name} has changed. It stands for what you cannot change here (the database, and the look at it "
                "afterwards): put it back as it was (Reset, then Undo reset, shows both) and change nightly_load instead."
            )
    loads = [r for r in attempt.flows() if r.owner == "nightly-load"]
    if not loads:
        raise AssertionError(
            "nightly_load never ran. If the output ends in an error, the script stopped before its first call: "
            "fix that first. Keep the three calls at the bottom of the file."
        )
    if len(loads) < 3:
        raise AssertionError(
            f"nightly_load ran {len(loads)} time(s), not 3. Keep the three calls at the bottom of the file: the "
            "failed night, the rerun after it, and the rerun by mistake."
        )
    first, second, third = loads[:3]
    tables = _tables(attempt)
    if tables is None:
        raise AssertionError("show_tables published no table of the warehouse. Keep the show_tables() call after the three loads.")

    def steps(flow_run, owner):
        return [r for r in attempt.tasks(owner) if r.flow_run_id == flow_run.run_id]

    if first.state is None or not first.state.is_failed():
        raise AssertionError(
            "The first nightly_load did not fail. The backup must still lock daily_totals that night: keep "
            "warehouse.backup_running = False after the first call, and let the failure happen. The point is to "
            "make it safe, not to avoid it."
        )
    first_orders = steps(first, "load_orders")
    if not first_orders:
        raise AssertionError("The first nightly_load ran no load_orders. Keep both steps: load_orders, then load_total.")
    if not any(_rolled_back(r) for r in first_orders):
        if "EAGER" in attempt.source:
            raise AssertionError(
                f"'{first_orders[0].name}' ended {first_orders[0].state.name}, not RolledBack. With "
                "commit_mode=CommitMode.EAGER each step commits as soon as it ends, so load_orders was committed "
                "before load_total failed, and nothing was left to roll back. Keep the default, LAZY: everything "
                "commits when the outermost transaction ends."
            )
        if "An error was encountered while running rollback hook" in attempt.output:
            raise AssertionError(
                "A rollback hook of load_orders raised an error (see the log), so the rollback stopped there and "
                "load_orders was never marked RolledBack. Does the hook find the day? Store it with txn.set(...) in "
                "the flow, and read it with txn.get(...) in the hook."
            )
        raise AssertionError(
            f"When load_total failed, '{first_orders[0].name}' ended {first_orders[0].state.name}, not RolledBack: "
            "its orders stayed in the warehouse. Run both steps inside one `with transaction(...)` block, so that "
            "a failure in the second rolls the first back."
        )
    if second.state is None or not second.state.is_completed():
        raise AssertionError(
            f"The rerun after the failure ended {second.state.name if second.state else 'without a state'}: it "
            "must load the day, once the backup is done."
        )
    if not (steps(second, "load_orders") and steps(second, "load_total")):
        raise AssertionError(
            "The rerun after the failure skipped the load, but the first night committed nothing: only a "
            "transaction that committed may be skipped. Check txn.is_committed() on a transaction with a key."
        )
    again = [r for owner in ("load_orders", "load_total") for r in steps(third, owner) if _ran(r)]
    if again:
        raise AssertionError(
            f"The second rerun loaded the day again ('{again[0].name}' ended {again[0].state.name}), after the "
            "first rerun had loaded it. Give the transaction a key made from the day, and return early when "
            "txn.is_committed() says the work is done."
        )
    if third.state is None or not third.state.is_completed():
        raise AssertionError(f"The second rerun ended {third.state.name if third.state else 'without a state'}; it should complete, doing nothing.")
    orders, totals = tables["orders"], tables["daily_totals"]
    if len(orders) != ORDERS:
        extra = (
            " The first night's orders stayed after its rollback: give load_orders an on_rollback hook that deletes "
            "them (warehouse.delete_orders(day))."
            if len(orders) > ORDERS
            else " Orders are missing: the rollback hook must delete only the day that rolled back, and the rerun must insert them."
        )
        raise AssertionError(f"The orders table holds {len(orders)} rows, not {ORDERS}: each order once." + extra)
    if len(totals) != 1:
        raise AssertionError(f"The daily_totals table holds {len(totals)} rows, not 1: the day's total, once.")
    skipped_by_cache = bool(steps(third, "load_orders"))
    if not skipped_by_cache and not _uses(attempt.source, "is_committed"):
        raise AssertionError(
            "The second rerun skipped the work, but not because of the transaction's record: nothing asks "
            "txn.is_committed(). A skip that your own Python variables decide is forgotten when the process ends; "
            "the record of a transaction's key is not."
        )
    how = "ran no task at all" if not skipped_by_cache else "found both steps Cached"
    return (
        f"Well done: '{first.name}' failed in load_total and rolled load_orders back, '{second.name}' loaded the day, "
        f"and '{third.name}' {how}. The warehouse holds {len(orders)} orders and 1 total, each once."
    )
