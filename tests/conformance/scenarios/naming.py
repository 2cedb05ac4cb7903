"""Run names: generated ones, templates, callables, with_options, prefect.runtime."""

from prefect import flow, task
from prefect.runtime import flow_run, task_run


@task
def fetch_data(url: str) -> str:
    return f"{task_run.name} (task {task_run.task_name!r})"


@task(task_run_name="fetch-{url}")
def templated(url: str) -> str:
    return task_run.name


@task(name="Custom Task Name")
def renamed() -> str:
    return task_run.name


def name_from_parameters() -> str:
    return f"callable-name-for-{task_run.parameters['x']}"


@task(task_run_name=name_from_parameters)
def callable_named(x: int) -> str:
    return task_run.name


@flow
def plain_flow() -> str:
    print("three calls:", [fetch_data("a"), fetch_data("b"), fetch_data("c")])
    print("templated:", templated("https://x.test/data"))
    print("name= option:", renamed())
    print("callable task_run_name:", callable_named(5))
    print("with_options(name=...):", fetch_data.with_options(name="fetch-opt")("z"))
    print("with_options(task_run_name=...):", fetch_data.with_options(task_run_name="opt-run-{url}")("q"))
    return flow_run.name


@flow(name="Nice Flow Name", flow_run_name="run-for-{city}-{n}")
def templated_flow(city: str, n: int = 3) -> str:
    return f"flow_run.name={flow_run.name!r} flow_name={flow_run.flow_name!r} parameters={flow_run.parameters}"


if __name__ == "__main__":
    print("plain_flow run name:", plain_flow())
    print("templated_flow:", templated_flow("Paris"))
    print("names:", repr(plain_flow.name), repr(fetch_data.name), repr(templated_flow.name), repr(renamed.name))
    state = plain_flow.with_options(name="renamed-flow", flow_run_name="explicit-run-name")(return_state=True)
    print("with_options flow:", state.result())
    print("outside any run:", repr(flow_run.name), repr(task_run.name))
    print("a task called outside any flow:", fetch_data("outside"))
