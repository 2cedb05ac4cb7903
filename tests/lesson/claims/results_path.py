"""Page 4: PREFECT_RESULTS_LOCAL_STORAGE_PATH names the results folder; PREFECT_LOCAL_STORAGE_PATH is its older name.

The test sets both (the harness always sets the older one): the newer name wins.
"""

import os
import sys

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)
KEY = f"where-{os.getpid()}.pickle"  # this process's own file: both legs may share the folder


@task(result_storage_key=KEY)
def stored() -> int:
    return 1


@flow
def store_one() -> None:
    stored()


if __name__ == "__main__":
    store_one()
    for setting in ("PREFECT_RESULTS_LOCAL_STORAGE_PATH", "PREFECT_LOCAL_STORAGE_PATH"):
        folder = os.environ[setting]
        print("STORED IN", setting, os.path.isdir(folder) and KEY in os.listdir(folder))
