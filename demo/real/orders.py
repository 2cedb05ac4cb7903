"""The nightly orders report, the code this page's tests test.

load_orders asks the shop's API for a day's orders; the API is simulated by
fetch_orders. order_total prices one order, and nightly_report adds up a day.
"""

from prefect import flow, get_run_logger, task

SHOP = {
    "2026-03-02": [
        {"id": 1, "lines": [{"price": 20.0, "qty": 2}], "coupon": "TENOFF"},
        {"id": 2, "lines": [{"price": 4.5, "qty": 3}, {"price": 12.0, "qty": 1}]},
    ],
    "2026-03-03": [
        {"id": 3, "lines": [{"price": 9.0, "qty": 1}]},
        {"id": 4, "coupon": "TENOFF"},  # no lines: a malformed order
    ],
}


def fetch_orders(day: str) -> list[dict]:
    """Stands in for the shop's API: requests.get(f".../orders?day={day}").json()."""
    return SHOP.get(day, [])


@task(retries=3, retry_delay_seconds=30)
def load_orders(day: str) -> list[dict]:
    return fetch_orders(day)


@task
def order_total(order: dict) -> float:
    """What the customer pays: the lines' prices, less 10% with the coupon TENOFF."""
    total = sum(line["price"] * line["qty"] for line in order["lines"])
    if order.get("coupon") == "TENOFF":
        total *= 0.9
    get_run_logger().info("Order %s comes to %.2f", order["id"], total)
    return round(total, 2)


@flow
def nightly_report(day: str) -> float:
    orders = load_orders(day)
    revenue = round(sum(order_total(order) for order in orders), 2)
    get_run_logger().info("%s: %d orders, %.2f in revenue", day, len(orders), revenue)
    return revenue


if __name__ == "__main__":
    nightly_report("2026-03-02")
