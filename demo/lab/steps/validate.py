"""Step 2, validate: keep the orders with an amount of at least MIN_AMOUNT.

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
        number, amount = order["order_id"], order["amount"]
        if not amount:
            print(f"validate: rejected order {number}: no amount")
        elif float(amount) < min_amount:
            print(
                f"validate: rejected order {number}: "
                f"amount {amount} is below {min_amount:g}"
            )
        else:
            valid.append(order)
    with open(out_path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(orders[0]))
        writer.writeheader()
        writer.writerows(valid)
    kept = f"{len(valid)} of {len(orders)} orders are valid"
    print(f"validate: {kept} -> {out_path}")


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2:-1], sys.argv[-1])
