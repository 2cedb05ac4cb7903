"""What example code imports from Prefect beyond flow and task.

Checks: artifacts (created silently, each an id); prefect.runtime's flow_run,
task_run and deployment; prefect.context; prefect.logging's loggers; the
client schema objects and State generics; the ThreadPoolTaskRunner option;
`Task[P, R]` and `Flow[P, R]` as types.
"""

import sys
import uuid

from prefect import Flow, State, Task, flow, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.client.schemas.objects import FlowRun, StateType, TaskRun
from prefect.context import FlowRunContext, TaskRunContext, get_run_context
from prefect.logging import get_run_logger
from prefect.runtime import deployment, flow_run, task_run
from prefect.task_runners import ThreadPoolTaskRunner

sys.stdout.reconfigure(line_buffering=True)


@task
def publish(n: int) -> int:
    ids = [
        create_markdown_artifact(f"# Report\n\n**{n}** rows", key="report", description="A report"),
        create_table_artifact([{"a": 1, "b": 2}], key="numbers"),
        create_link_artifact("https://example.com/data", link_text="the data"),
    ]
    logger = get_run_logger()
    logger.info(f"artifact ids: {[type(i).__name__ for i in ids]} {all(isinstance(i, uuid.UUID) for i in ids)}")
    ctx = get_run_context()
    logger.info(f"run context: {type(ctx).__name__} {ctx.task_run.name == task_run.name} {isinstance(ctx.task_run, TaskRun)}")
    logger.info(f"task_run: {task_run.task_name} {task_run.parameters} {task_run.run_count}")
    return n


@flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
def main(n: int = 3) -> int:
    print("flow_run:", flow_run.flow_name, flow_run.parameters, flow_run.run_count)
    print("deployment:", deployment.id, deployment.name, deployment.parameters)
    ctx = FlowRunContext.get()
    print("flow context:", type(ctx).__name__, isinstance(ctx.flow_run, FlowRun), TaskRunContext.get())
    results = publish.map([1, 2, 3]).result()
    return sum(results)


def typed(fn: "Task[[int], int]", f: "Flow[[int], int]", s: "State[int]") -> None: ...


if __name__ == "__main__":
    state = main(return_state=True)
    print("state:", state, state.type is StateType.COMPLETED, state.result())
    print("outside a run:", flow_run.name, task_run.name, deployment.id)
    print("generics:", Task[[int], int] is not None, Flow[[int], int] is not None, State[int] is not None)
