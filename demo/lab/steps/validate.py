"""Step 2, validate: keep the orders that have an amount of at least MIN_AMOUNT.

Usage: python3 steps/validate.py MIN_AMOUNT IN.csv [IN.csv ...] OUT.csv
"""

import csv
import sys


def main(min_amount: float, in_paths: list[str], out_path: str) -> None:
    orders = []
    for path in in_paths:
        with open(path, newline="") as f:
            orders.extend(csv.DictReader(f))
    valid = []
    for order in orders:
        if not order["amount"]:
            print(f"validate: rejected order {order['order_id']}: no amount")
        elif float(order["amount"]) < min_amount:
            print(f"validate: rejected order {order['order_id']}: amount {order['amount']} is below {min_amount:g}")
        else:
            valid.append(order)
    with open(out_path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["order_id", "city", "amount"])
        writer.writeheader()
        writer.writerows(valid)
    print(f"validate: {len(valid)} of {len(orders)} orders are valid -> {out_path}")


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2:-1], sys.argv[-1])
