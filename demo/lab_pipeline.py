"""The lab's four-step pipeline as a Prefect flow: extract -> validate -> transform -> report.

It does what demo/lab/Makefile does, with the data kept in memory instead of
in files. One difference is on purpose: the north shop's export is late the
first time it is asked for, so you can watch a retry that make could not do.
"""

from sim_prefect import flow, get_run_logger, print_state_log, task

ORDERS = {
    "north": [(1, "Lyon", "120.50"), (2, "Paris", "80.00"), (3, "Lyon", ""), (4, "Nantes", "42.25")],
    "south": [(5, "Paris", "-10.00"), (6, "Nantes", "57.75"), (7, "Paris", "19.50"), (8, "Lyon", "30.00")],
}
late_exports = {"north"}  # shops whose export is not ready on the first request


class ExportNotReady(Exception):
    """The shop has not finished writing today's export."""


@task(retries=2, retry_delay_seconds=5)
def extract(shop: str) -> list[dict]:
    if shop in late_exports:
        late_exports.discard(shop)
        raise ExportNotReady(f"{shop} shop: export not ready yet")
    orders = [{"order_id": i, "city": city, "amount": amount} for i, city, amount in ORDERS[shop]]
    print(f"extract: {len(orders)} orders from the {shop} shop")
    return orders


@task
def validate(orders: list[dict], min_amount: float) -> list[dict]:
    logger = get_run_logger()
    valid = []
    for order in orders:
        if not order["amount"]:
            logger.warning(f"rejected order {order['order_id']}: no amount")
        elif float(order["amount"]) < min_amount:
            logger.warning(f"rejected order {order['order_id']}: amount {order['amount']} is below {min_amount:g}")
        else:
            valid.append(order)
    print(f"validate: {len(valid)} of {len(orders)} orders are valid")
    return valid


@task
def transform(orders: list[dict]) -> list[tuple[str, int, float]]:
    totals: dict[str, list[float]] = {}
    for order in orders:
        count_and_sum = totals.setdefault(order["city"], [0, 0.0])
        count_and_sum[0] += 1
        count_and_sum[1] += float(order["amount"])
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    print(f"transform: totals for {len(rows)} cities")
    return [(city, int(count), round(total, 2)) for city, (count, total) in rows]


@task
def report(totals: list[tuple[str, int, float]]) -> str:
    lines = ["Sales by city"]
    for city, count, total in totals:
        lines.append(f"  {city:<8} {count:>2} orders {total:>9.2f}")
    orders = sum(count for _, count, _ in totals)
    lines.append(f"  {'total':<8} {orders:>2} orders {sum(t for _, _, t in totals):>9.2f}")
    return "\n".join(lines)


@flow(log_prints=True)
def lab_pipeline(shops: tuple[str, ...] = ("north", "south"), min_amount: float = 0) -> str:
    batches = extract.map(shops)  # one task run per shop, at the same time
    orders = [order for batch in batches.result() for order in batch]
    valid = validate(orders, min_amount)
    totals = transform(valid)
    text = report(totals)
    print(text)
    return text


if __name__ == "__main__":
    lab_pipeline()
    print_state_log()
