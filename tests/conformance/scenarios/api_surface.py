"""The decorators' surface: attributes, with_options, reprs, and the errors for
calls that do not fit (unknown options, bad arguments, map and submit misuse)."""

from prefect import flow, task, unmapped
from prefect.tasks import exponential_backoff


@task(name="add", description="adds", tags=["math", "demo"], retries=1)
def add(x: int, y: int = 2) -> int:
    """Add two numbers."""
    return x + y


@task
def plain(x):
    return x


@flow(description="the flow's description")
def adder(a: int, b: int = 1) -> int:
    return add(a, b)


@task
def outer(n: int) -> int:
    return add(n) * 10  # a task called from a task


@flow
def misuse() -> None:
    for call in (
        lambda: add(1, z=3),
        lambda: add(),
        lambda: add.map(5),
        lambda: add.map([1, 2], [1, 2, 3]),
    ):
        try:
            call()
        except Exception as exc:
            print(f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}")
    print("map with unmapped:", add.map([1, 2, 3], unmapped(10)).result())
    print("map over a dict's keys:", plain.map({"k1": 1, "k2": 2}).result())
    print("task in a task:", outer(1))


def show_errors() -> None:
    for call in (
        lambda: task(retriez=2),
        lambda: flow(retriez=2),
        lambda: add.with_options(retriez=1),
        lambda: adder.with_options(retriez=1),
        lambda: task(retry_delay_seconds="soon")(lambda: 1),
        lambda: task(retry_jitter_factor=-1)(lambda: 1),
        lambda: add.submit(1),
        lambda: add.map([1, 2]),
    ):
        try:
            call()
        except Exception as exc:
            print(f"{type(exc).__qualname__}: {exc}")


if __name__ == "__main__":
    print(repr(add), repr(adder))
    print("task:", add.name, add.description, sorted(add.tags), add.retries, add.retry_delay_seconds,
          add.timeout_seconds, add.log_prints, add.task_run_name, add.retry_jitter_factor, add.fn.__name__)
    print("flow:", adder.name, adder.description, adder.retries, adder.retry_delay_seconds,
          adder.timeout_seconds, adder.log_prints, adder.flow_run_name, adder.fn.__name__)
    renamed = add.with_options(name="add2", retries=3, tags=["other"])
    print("with_options:", renamed.name, renamed.retries, sorted(renamed.tags), renamed.fn is add.fn, add.name)
    print("flow.with_options:", adder.with_options(name="adder2", retries=2).name, adder.name)
    print("default names:", task(lambda: 1).name, plain.name, flow(show_errors).name)
    print("exponential_backoff(2)(4):", exponential_backoff(2)(4))
    show_errors()
    print("adder(3):", adder(3))
    misuse()
