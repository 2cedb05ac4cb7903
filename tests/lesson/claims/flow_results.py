"""Page 4: persist_result=True on a flow also stores the flow's own return value, under a random name."""

import os
import re
import sys

from prefect import flow

sys.stdout.reconfigure(line_buffering=True)


@flow(persist_result=True)
def report() -> str:
    return "the same value every time"


if __name__ == "__main__":
    storage = os.environ["PREFECT_LOCAL_STORAGE_PATH"]  # empty at first, perhaps not made yet
    seen: set[str] = set()
    for run in (1, 2):
        report()
        now = set(os.listdir(storage)) if os.path.isdir(storage) else set()
        new, seen = sorted(now - seen), now
        print(f"RUN {run} stored", ["<32 hex digits>" if re.fullmatch(r"[0-9a-f]{32}", name) else name for name in new])
