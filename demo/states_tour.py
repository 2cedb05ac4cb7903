"""A tour of states: a task that succeeds, one that is retried, one that fails.

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
    print(f"broken() ended in {state.name}, of type {state.type.value}")


if __name__ == "__main__":
    tour_of_states()
    print_state_log()
    print("\nEvery state as name [type]:")
    for run in state_log():
        states = [f"{s.name} [{s.type.value}]" for s in run.states]
        print(f"  {run.name}: {' -> '.join(states)}")
