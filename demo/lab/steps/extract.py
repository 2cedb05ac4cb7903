"""Step 1, extract: write one shop's orders to a CSV file.

Usage: python3 steps/extract.py SHOP OUT.csv
The orders are built in, so the lab needs no network and gives the same
output every time.
"""

import csv
import sys

ORDERS = {  # (order id, city, amount)
    "north": [(1, "Lyon", "120.50"), (2, "Paris", "80.00"),
              (3, "Lyon", ""), (4, "Nantes", "42.25")],
    "south": [(5, "Paris", "-10.00"), (6, "Nantes", "57.75"),
              (7, "Paris", "19.50"), (8, "Lyon", "30.00")],
}  # fmt: skip


def main(shop: str, out_path: str) -> None:
    rows = ORDERS[shop]
    with open(out_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "city", "amount"])
        writer.writerows(rows)
    print(f"extract: {len(rows)} orders from the {shop} shop -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
