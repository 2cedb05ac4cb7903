"""Page 5's rules about retry_condition_fn: what state.result() gives inside it, and what a False leaves in the log.

Each task fails with a LookupError (which no retry can fix) and has two
retries; the test reads how many attempts each made from the state history.
"""

import asyncio
import sys

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)


def result_raises(task, task_run, state) -> bool:
    """A plain condition that relies on state.result() raising the attempt's exception."""
    try:
        state.result()
    except LookupError:
        return False
    except Exception:
        return True
    return True  # reached when state.result() raises nothing


async def aresult_raises(task, task_run, state) -> bool:
    try:
        await state.aresult()
    except LookupError:
        return False
    except Exception:
        return True
    return True


def reads_data(task, task_run, state) -> bool:
    return not isinstance(state.data, LookupError)


def missing() -> None:
    raise LookupError("invoice 3 does not exist")


@task(retries=2, retry_condition_fn=result_raises)
def sync_result(): missing()


@task(retries=2, retry_condition_fn=reads_data)
def sync_data(): missing()


@task(retries=2, retry_condition_fn=result_raises)
async def async_result(): missing()


@task(retries=2, retry_condition_fn=aresult_raises)
async def async_aresult(): missing()


@task(retries=2, retry_condition_fn=reads_data)
async def async_data(): missing()


@flow
async def conditions() -> None:
    sync_result(return_state=True)
    sync_data(return_state=True)
    for t in (async_result, async_aresult, async_data):
        await t(return_state=True)


if __name__ == "__main__":
    asyncio.run(conditions())
