"""retry_condition_fn takes any callable, as Prefect calls it: a partial, an object with __call__,
and an async function, which Prefect awaits (docs/v3/how-to-guides/workflows/retries.mdx)."""

import functools
import sys

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)


def below(limit, task, task_run, state):
    return task_run.run_count < limit


class Never:
    def __call__(self, task, task_run, state):
        return False


async def only_connection_errors(task, task_run, state):
    try:
        await state.aresult()
    except ConnectionError:
        return True
    except Exception:
        return False
    return False


@task(retries=3, retry_condition_fn=functools.partial(below, 2))
def twice():
    raise ValueError("twice")


@task(retries=3, retry_condition_fn=Never())
def never():
    raise ValueError("never")


@task(retries=2, retry_condition_fn=only_connection_errors)
def not_a_connection_error():
    raise ValueError("permanent")


attempts = {"n": 0}


@task(retries=2, retry_condition_fn=only_connection_errors)
def flaky_connection():
    attempts["n"] += 1
    if attempts["n"] < 2:
        raise ConnectionError("try again")
    return "ok"


@flow
def conditions():
    for t in (twice, never, not_a_connection_error, flaky_connection):
        state = t(return_state=True)
        print(t.name, state.name)


conditions()
