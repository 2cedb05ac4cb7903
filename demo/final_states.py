"""How a flow run's final state follows from how its function ends."""

from sim_prefect import flow, print_state_log, task


@task
def check_stock(item: str) -> int:
    if item == "umbrella":
        raise LookupError(f"{item} is not in the catalogue")
    return 3


@flow
def handles_it() -> str:
    state = check_stock("umbrella", return_state=True)  # the failure stays inside the flow
    return f"checked: {state.name}"


@flow
def returns_it():
    return check_stock("umbrella", return_state=True)  # the flow takes the state's outcome


@flow
def raises_it() -> int:
    return check_stock("umbrella")  # the task's exception reaches the flow


if __name__ == "__main__":
    for flow_fn in (handles_it, returns_it, raises_it):
        final = flow_fn(return_state=True)
        print(f"{flow_fn.name} ended {final}")
    print_state_log()
