"""return_state=True on tasks and flows: what a state looks like and holds."""

from prefect import flow, task

calls = 0


@task
def ok_task() -> int:
    return 42


@task
def failing_task() -> int:
    raise ValueError("bad value")


@task(retries=1)
def flaky_task() -> str:
    global calls
    calls += 1
    if calls == 1:
        raise ConnectionError("first call fails")
    return "ok on retry"


def describe(label: str, state) -> None:
    print(f"--- {label} ---")
    print("str        :", str(state))
    print("repr       :", repr(state))
    print("name       :", state.name)
    print("type       :", repr(state.type), str(state.type), state.type.value)
    print("message    :", repr(state.message))
    print("predicates :", state.is_completed(), state.is_failed(), state.is_final(),
          state.is_running(), state.is_pending(), state.is_scheduled())
    print("class      :", type(state).__name__)
    try:
        print("result()   :", repr(state.result()))
    except Exception as exc:
        print("result()   : raised", f"{type(exc).__module__}.{type(exc).__qualname__}", repr(exc))
    value = state.result(raise_on_failure=False)
    print("result(raise_on_failure=False):", repr(value), type(value).__name__)


@flow
def tasks_flow() -> str:
    describe("task completed", ok_task(return_state=True))
    describe("task failed", failing_task(return_state=True))
    describe("task retried then completed", flaky_task(return_state=True))
    return "flow body finished"


@flow
def good_flow() -> int:
    return 7


@flow
def bad_flow() -> int:
    raise RuntimeError("flow body blew up")


if __name__ == "__main__":
    describe("flow whose task failed", tasks_flow(return_state=True))
    describe("flow completed", good_flow(return_state=True))
    describe("flow failed", bad_flow(return_state=True))
