"""Load three days of sales, one transaction per day: a failed day rolls back, and a rerun skips the days already loaded."""

from prefect import flow, task
from prefect.transactions import transaction

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04"]
SOURCE = {"2026-03-02": [120.0, 80.5], "2026-03-03": [42.0, -999.0, 15.0], "2026-03-04": [60.0, 9.5]}
sales_table: dict[str, list[float]] = {}  # stands in for a table in your database


@task
def write_rows(day: str) -> int:
    sales_table[day] = SOURCE[day]
    print(f"wrote {len(SOURCE[day])} rows for {day}")
    return len(SOURCE[day])


@write_rows.on_rollback
def delete_rows(txn) -> None:
    day = txn.get("day")
    del sales_table[day]
    print(f"deleted the rows of {day}")


@task
def check_rows(day: str) -> None:
    negative = [amount for amount in sales_table[day] if amount < 0]
    if negative:
        raise ValueError(f"{day} has a negative amount: {negative[0]}")


@flow(log_prints=True)
def load_sales(days: list[str]) -> None:
    for day in days:
        with transaction(key=f"sales-{day}") as txn:
            if txn.is_committed():
                print(f"{day} is already loaded: skipped")
                continue
            txn.set("day", day)
            write_rows(day)
            check_rows(day)


if __name__ == "__main__":
    load_sales(DAYS, return_state=True)  # 3 March has a bad row: its day rolls back, and the run fails
    SOURCE["2026-03-03"] = [42.0, 15.0]  # the source sends a corrected file
    load_sales(DAYS)  # the rerun: only what was not committed runs
