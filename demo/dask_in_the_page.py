"""DaskTaskRunner in the page: refused where it is built, naming what to run at home.

In your own code the import is `from prefect_dask import DaskTaskRunner`,
which the page serves too. This file imports sim_prefect's stand-in by its own
name, so that it runs in a terminal on sim_prefect as well.
"""

from sim_prefect import flow, print_state_log, task
from sim_prefect.prefect_dask import DaskTaskRunner


@task
def square(n: int) -> int:
    return n * n


@flow
def squares(numbers: list[int]) -> list[int]:
    return square.map(numbers).result()


if __name__ == "__main__":
    try:
        dask_runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2})
        squares.with_options(task_runner=dask_runner)([1, 2, 3])
    except NotImplementedError as refused:  # sim_prefect's NotImitatedError is one
        print(f"{type(refused).__name__}: {refused}")
    print(squares([1, 2, 3]))  # the same flow on its default task runner, the thread pool
    print_state_log()
