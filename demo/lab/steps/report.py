"""Step 4, report: turn the totals into a small text report, and print it.

Usage: python3 steps/report.py IN.csv OUT.txt
"""

import csv
import sys


def main(in_path: str, out_path: str) -> None:
    with open(in_path, newline="") as f:
        rows = list(csv.DictReader(f))
    lines = ["Sales by city"]
    for row in rows:
        city, count = row["city"], int(row["orders"])
        total = float(row["total"])
        lines.append(f"  {city:<8} {count:>2} orders {total:>9.2f}")
    count = sum(int(row["orders"]) for row in rows)
    total = sum(float(row["total"]) for row in rows)
    lines.append(f"  {'total':<8} {count:>2} orders {total:>9.2f}")
    text = "\n".join(lines)
    with open(out_path, "w") as out:
        out.write(text + "\n")
    print(text)
    print(f"report: written to {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
