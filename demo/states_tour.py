"""A tour of states: one task that succeeds, one that needs a retry, one that fails.

The flow keeps going after the failure because it asks for the task's final
state (`return_state=True`) instead of its value.
"""

from sim_prefect import flow, print_state_log, state_log, task

attempts = 0


@task
def steady() -> str:
    return "fine"


@task(retries=1, retry_delay_seconds=5)
def wobbly() -> str:
    global attempts
    attempts += 1
    if attempts == 1:
        raise ConnectionError("the server hung up")
    return "fine on the second attempt"


@task
def broken() -> str:
    raise ValueError("this input can never work")


@flow(log_prints=True)
def tour_of_states() -> None:
    steady()
    wobbly()
    state = broken(return_state=True)  # the final state, instead of raising
    print(f"broken() ended in {state.name}, a state of type {state.type.value}")


if __name__ == "__main__":
    tour_of_states()
    print_state_log()
    print()
    print("Each state's name and [type]:")
    for run in state_log():
        print(f"  {run.name}: " + " -> ".join(f"{s.name} [{s.type.value}]" for s in run.states))
