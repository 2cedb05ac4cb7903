"""Pages 1 and 5: which return values decide a flow run's final state, and how a submitted task's inputs are resolved."""

import sys
import time

from prefect import flow, task
from prefect.states import Cancelled

sys.stdout.reconfigure(line_buffering=True)


@task
def fails(seconds: float = 0) -> int:
    time.sleep(seconds)
    raise ValueError("bad input")


@task
def succeeds(seconds: float = 0) -> int:
    time.sleep(seconds)
    return 1


@task
def total(numbers: list) -> int:
    return sum(numbers)


@flow
def a_state_and_a_value():
    return [fails(return_state=True), 42]  # not only states: a plain value


@flow
def a_dict_of_states():
    return {"load": fails(return_state=True)}  # a dict is never looked into


@flow
def failed_and_cancelled():
    return [fails(return_state=True), Cancelled(message="stopped by hand")]


@flow(flow_run_name="inputs-in-order")
def inputs_in_order() -> None:
    first, second, last = fails.submit(2), fails.submit(0), succeeds.submit(5)
    blocked = total.submit([first, second, last])
    blocked.wait()
    print("INPUTS", blocked.state.name, "| names the first input:", str(first.task_run_id) in blocked.state.message)
    last.wait()


if __name__ == "__main__":
    for flow_fn in (a_state_and_a_value, a_dict_of_states, failed_and_cancelled):
        print("FINAL", flow_fn.name, repr(flow_fn(return_state=True)).split(", type=")[0] + ")")
    inputs_in_order()
