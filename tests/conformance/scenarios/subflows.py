"""Subflows: a flow calling flows; a failing child; a child asked for its state."""

from prefect import flow, task


@task
def double(x: int) -> int:
    return 2 * x


@flow(log_prints=True)
def child(x: int) -> int:
    print(f"child got {x}")
    return double(x)


@flow
def failing_child() -> None:
    raise KeyError("child failed")


@flow(log_prints=True)
def parent() -> int:
    total = child(1) + child(2)
    print("total:", total)
    state = failing_child(return_state=True)
    print("child state:", state)
    try:
        failing_child()
    except KeyError as exc:
        print("caught from the child:", repr(exc))
    return total


if __name__ == "__main__":
    print("returned:", parent())
