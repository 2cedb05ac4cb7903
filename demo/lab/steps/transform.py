"""Step 3, transform: total the valid orders by city, largest total first.

Usage: python3 steps/transform.py IN.csv OUT.csv
"""

import csv
import sys


def main(in_path: str, out_path: str) -> None:
    counts: dict[str, int] = {}
    sums: dict[str, float] = {}
    with open(in_path, newline="") as f:
        for order in csv.DictReader(f):
            city = order["city"]
            counts[city] = counts.get(city, 0) + 1
            sums[city] = sums.get(city, 0.0) + float(order["amount"])
    cities = sorted(sums, key=lambda city: -sums[city])  # largest total first
    with open(out_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["city", "orders", "total"])
        for city in cities:
            writer.writerow([city, counts[city], f"{sums[city]:.2f}"])
    print(f"transform: totals for {len(cities)} cities -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
