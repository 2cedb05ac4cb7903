"""Cancelled and Crashed: a task or flow returning Cancelled(...), a task
returning Failed(...), and a BaseException that is not an Exception (a crash)."""

from prefect import flow, task
from prefect.states import Cancelled


class Boom(BaseException):
    """Not an Exception: Prefect treats it as a crash."""


@task
def cancels_itself() -> object:
    return Cancelled(message="task decided to cancel")


@task
def crashing_task() -> None:
    raise Boom("simulated interrupt")


@flow
def cancelling_task_flow() -> str:
    state = cancels_itself(return_state=True)
    print("task state:", state, "| is_cancelled:", state.is_cancelled())
    return "flow went on"


@flow
def cancelling_flow():
    return Cancelled(message="flow decided to cancel")


@flow
def crashing_flow() -> None:
    crashing_task()


if __name__ == "__main__":
    print("returned:", cancelling_task_flow())
    state = cancelling_flow(return_state=True)
    print("cancelled flow state:", state, state.type)
    try:
        cancelling_flow()
    except Exception as exc:
        print("raised:", f"{type(exc).__module__}.{type(exc).__qualname__}", repr(exc))
    for return_state in (False, True):
        try:
            crashing_flow(return_state=return_state)
        except BaseException as exc:
            print(f"return_state={return_state} raised:", type(exc).__name__, repr(exc))
