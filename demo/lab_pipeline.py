"""The lab's pipeline as a Prefect flow: extract, validate, transform, report.

It does what demo/lab/Makefile does, with the data kept in memory instead of
in files. One difference is on purpose: the north shop's export is late the
first time it is asked for, so you can watch a retry that make could not do.
"""

from sim_prefect import flow, get_run_logger, print_state_log, task

ORDERS = {  # (order id, city, amount); the same orders as demo/lab/steps
    "north": [(1, "Lyon", "120.50"), (2, "Paris", "80.00"),
              (3, "Lyon", ""), (4, "Nantes", "42.25")],
    "south": [(5, "Paris", "-10.00"), (6, "Nantes", "57.75"),
              (7, "Paris", "19.50"), (8, "Lyon", "30.00")],
}  # fmt: skip
late_exports = {"north"}  # not ready the first time they are asked for


class ExportNotReady(Exception):
    """The shop has not finished writing today's export."""


@task(retries=2, retry_delay_seconds=5)
def extract(shop: str) -> list[dict]:
    if shop in late_exports:
        late_exports.discard(shop)
        raise ExportNotReady(f"{shop} shop: export not ready yet")
    orders = [
        {"order_id": order_id, "city": city, "amount": amount}
        for order_id, city, amount in ORDERS[shop]
    ]
    print(f"extract: {len(orders)} orders from the {shop} shop")
    return orders


@task
def validate(orders: list[dict], min_amount: float) -> list[dict]:
    logger = get_run_logger()
    valid = []
    for order in orders:
        number, amount = order["order_id"], order["amount"]
        if not amount:
            logger.warning(f"rejected order {number}: no amount")
        elif float(amount) < min_amount:
            logger.warning(
                f"rejected order {number}: "
                f"amount {amount} is below {min_amount:g}"
            )
        else:
            valid.append(order)
    print(f"validate: {len(valid)} of {len(orders)} orders are valid")
    return valid


@task
def transform(orders: list[dict]) -> list[tuple[str, int, float]]:
    counts: dict[str, int] = {}
    sums: dict[str, float] = {}
    for order in orders:
        city = order["city"]
        counts[city] = counts.get(city, 0) + 1
        sums[city] = sums.get(city, 0.0) + float(order["amount"])
    cities = sorted(sums, key=lambda city: -sums[city])  # largest total first
    print(f"transform: totals for {len(cities)} cities")
    return [(city, counts[city], round(sums[city], 2)) for city in cities]


@task
def report(totals: list[tuple[str, int, float]]) -> str:
    lines = ["Sales by city"]
    for city, count, total in totals:
        lines.append(f"  {city:<8} {count:>2} orders {total:>9.2f}")
    count = sum(row[1] for row in totals)
    total = sum(row[2] for row in totals)
    lines.append(f"  {'total':<8} {count:>2} orders {total:>9.2f}")
    return "\n".join(lines)


@flow(log_prints=True)
def lab_pipeline(
    shops: tuple[str, ...] = ("north", "south"), min_amount: float = 0
) -> str:
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
