"""Page 8's rules about pausing for a person: input of a RunInput's type, input that does not fit, a timeout, suspend.

The resume comes from a submitted task (a thread in Prefect), as it would from
the UI or another process: it first tries input the server refuses.
"""

import time

from prefect import flow, get_run_logger, task
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run, resume_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run


class Approval(RunInput):
    approve: bool
    reviewer: str
    note: str = ""


@task
def reviewer(run_id):
    time.sleep(3)
    for answer in [{"approve": True}, {"approve": "maybe", "reviewer": "Ana"}, {"approve": True, "reviewer": "Ana", "extra": 1},
                   {"reviewer": "Ana"}]:
        try:
            resume_flow_run(run_id, run_input=answer)
            print(f"RESUMED {sorted(answer)}")
            return
        except RuntimeError as exc:
            print(f"REFUSED {exc}")


@flow
def refund_batch():
    reviewer.submit(flow_run.id)
    answer = pause_flow_run(
        wait_for_input=Approval.with_initial_data(description="**Pay?**", approve=False), timeout=60, poll_interval=2
    )
    print(f"ANSWER {type(answer).__name__} approve={answer.approve!r} reviewer={answer.reviewer!r} note={answer.note!r}")


@flow
def suspends():
    suspend_flow_run(timeout=60)


@flow
def nobody_answers():
    pause_flow_run(timeout=4, poll_interval=1)


if __name__ == "__main__":
    refund_batch()
    state = nobody_answers(return_state=True)
    print(f"TIMEOUT {state.type.value}")
    state = suspends(return_state=True)
    print(f"SUSPEND {state.type.value} {state.message}")
