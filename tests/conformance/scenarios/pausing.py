"""Pausing a flow run for input, and resuming it from elsewhere in the same process.

From docs/v3/advanced/interactive.mdx ("Pause or suspend a flow until it receives input":
``pause_flow_run(wait_for_input=str)``, a ``RunInput`` with ``with_initial_data`` and a
description, ``resume_flow_run(flow_run_id, run_input={"value": ...})``). The resume comes
from a submitted task (a thread in Prefect, a lane here), which first tries input the
server refuses: a missing field, a wrong type, an extra field. Then a pause nobody resumes
(FlowPauseTimeout, caught; the server's pause-expiration service fails the run first), and
suspend_flow_run outside a deployment. (A pause that times out uncaught ends in one of two
Failed states in Prefect, depending on whether the server's service or the engine gets there
first: tests/sim_prefect/test_pausing.py holds sim_prefect's.)
"""

import time

from prefect import flow, get_run_logger, task
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run, resume_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run


class UserInput(RunInput):
    name: str
    age: int


@task
def approver(run_id):
    time.sleep(3)
    for run_input in [None, {"name": "Ann", "age": "old"}, {"name": "Ann", "age": 41, "extra": 1},
                      {"name": "Ann", "age": 41}]:
        try:
            resume_flow_run(run_id, run_input=run_input)
            print(f"resumed with {run_input}")
        except RuntimeError as exc:
            print(f"RuntimeError: {exc}")


@task
def counter(run_id):
    time.sleep(1)
    resume_flow_run(run_id, run_input={"value": 7})


@flow
def greet_user():
    logger = get_run_logger()
    approver.submit(flow_run.id)
    description = "**Who are you?**"
    user = pause_flow_run(
        wait_for_input=UserInput.with_initial_data(description=description, name="anonymous"),
        timeout=60,
        poll_interval=2,
    )
    logger.info(f"Hello, {user.name} ({user.age})! input type={type(user).__name__}")
    counter.submit(flow_run.id)
    number = pause_flow_run(wait_for_input=int, timeout=60, poll_interval=2)
    logger.info(f"got {number!r}")
    return user.name


@flow
def caught():
    try:
        pause_flow_run(timeout=2)  # looked at after 1 s and 11 s: the server has failed it by then
    except FlowPauseTimeout as exc:
        get_run_logger().warning(f"caught {type(exc).__name__}: {exc}")
    return "done"


@flow
def suspends():
    suspend_flow_run(timeout=60)


if __name__ == "__main__":
    print("greet_user() ->", repr(greet_user()))
    print("caught() ->", repr(caught()))
    print("suspends:", suspends(return_state=True))
