"""Solution: the nightly load, safe to rerun.

The load writes a day's orders to two tables: first the orders, then the
day's total. The first night, the second step fails, and the orders it
already wrote stay behind. The rerun writes them again, and so does a
second rerun by mistake. Wrap the load in a transaction, with a key and an
on_rollback hook, so that a failure in the second step undoes the first,
and a rerun after a success skips the work. Leave Warehouse and
show_tables as they are, and keep the calls at the bottom.
"""

from sim_prefect import flow, print_state_log, task
from sim_prefect.artifacts import create_table_artifact
from sim_prefect.transactions import transaction

ORDERS = {"2026-03-02": [{"id": 1041, "amount": 35.0}, {"id": 1042, "amount": 120.0}, {"id": 1043, "amount": 18.5}]}


class TableLocked(Exception):
    pass


class Warehouse:
    """Stands in for your database: two tables, and a backup that locks one of them the first night."""

    def __init__(self) -> None:
        self.orders: list[dict] = []
        self.daily_totals: list[dict] = []
        self.backup_running = True

    def insert_orders(self, day: str, orders: list[dict]) -> None:
        self.orders += [{"day": day, **order} for order in orders]

    def delete_orders(self, day: str) -> None:
        self.orders = [row for row in self.orders if row["day"] != day]

    def insert_total(self, day: str, total: float) -> None:
        if self.backup_running:
            raise TableLocked("daily_totals is locked by the nightly backup")
        self.daily_totals.append({"day": day, "total": total})


warehouse = Warehouse()


@task
def load_orders(day: str) -> int:
    warehouse.insert_orders(day, ORDERS[day])
    print(f"inserted {len(ORDERS[day])} orders for {day}")
    return len(ORDERS[day])


@load_orders.on_rollback
def delete_orders(txn) -> None:
    warehouse.delete_orders(txn.get("day"))
    print(f"deleted the orders of {txn.get('day')}")


@task
def load_total(day: str) -> float:
    total = sum(order["amount"] for order in ORDERS[day])
    warehouse.insert_total(day, total)
    print(f"inserted the total for {day}: {total}")
    return total


@flow(log_prints=True)
def nightly_load(day: str) -> None:
    with transaction(key=f"nightly-load-{day}") as txn:
        if txn.is_committed():
            print(f"{day} is already loaded: skipped")
            return
        txn.set("day", day)
        load_orders(day)
        load_total(day)


@flow(log_prints=True)
def show_tables() -> None:
    rows = [{"table": "orders", **row} for row in warehouse.orders]
    rows += [{"table": "daily_totals", **row} for row in warehouse.daily_totals]
    create_table_artifact(table=rows, key="warehouse", description="What the three runs left in the warehouse")
    print(f"rows in orders: {len(warehouse.orders)}; rows in daily_totals: {len(warehouse.daily_totals)}")


if __name__ == "__main__":
    nightly_load("2026-03-02", return_state=True)  # the backup locks daily_totals: step 2 fails
    warehouse.backup_running = False  # the backup is done
    nightly_load("2026-03-02")  # the rerun after the failure
    nightly_load("2026-03-02")  # a second rerun, by mistake: it must change nothing
    show_tables()
    print_state_log()
