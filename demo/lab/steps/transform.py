"""Step 3, transform: total the valid orders by city, largest total first.

Usage: python3 steps/transform.py IN.csv OUT.csv
"""

import csv
import sys


def main(in_path: str, out_path: str) -> None:
    totals: dict[str, list[float]] = {}
    with open(in_path, newline="") as f:
        for order in csv.DictReader(f):
            count_and_sum = totals.setdefault(order["city"], [0, 0.0])
            count_and_sum[0] += 1
            count_and_sum[1] += float(order["amount"])
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    with open(out_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["city", "orders", "total"])
        for city, (count, total) in rows:
            writer.writerow([city, count, f"{total:.2f}"])
    print(f"transform: totals for {len(rows)} cities -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
