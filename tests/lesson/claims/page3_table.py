"""What page 3's comparison table says about Prefect: parameters are validated before the run."""

import sys

from prefect import flow

sys.stdout.reconfigure(line_buffering=True)
calls = []


@flow
def doubled(x: int = 3) -> int:
    calls.append(x)
    return 2 * x


if __name__ == "__main__":
    print("RESULT", doubled(x="21"))  # coerced to 21, as pydantic does
    try:
        doubled(x="not a number")
    except Exception as exc:
        print("PARAMETER ERROR", type(exc).__name__)
    print("CALLS", calls)
