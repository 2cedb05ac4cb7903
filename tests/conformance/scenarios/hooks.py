"""State change hooks, after Prefect's how-to guide "Respond to state changes".

Checks: task hooks (on_running on each attempt, on_completion, on_failure at the
final failure only) and their log lines around `Finished in state`; flow hooks
(the first on_running under `prefect.engine` before `Beginning flow run`,
on_failure after retries, on_crashed); lists, functools.partial, decorator
forms, with_options(on_failure=[...]); a hook that raises; the arguments
passed; flow_run_logger in a hook; hook names.
"""

import sys
from functools import partial

from prefect import flow, task
from prefect.logging.loggers import flow_run_logger

sys.stdout.reconfigure(line_buffering=True)


# -- the guide's examples ---------------------------------------------------------------------

def record_start_time(task, task_run, state):
    print(f"Task {task.name} started")


@task(on_running=[record_start_time])
def my_task():
    return "hello"


@task
def another_task():
    return "world"


@another_task.on_running
def log_start(task, task_run, state):
    print(f"Starting {task.name}!")


@flow
def my_flow():
    my_task()
    another_task()


@flow(retries=1)
def failing_flow():
    raise ValueError("oops!")


@failing_flow.on_failure
def notify_slack(flow, flow_run, state):
    print(f"Your job {flow_run.name == state.state_details.flow_run_id or 'run'} entered {state.name} "
          f"with message: {state.message}; tags: {flow_run.tags}")


def my_hook(flow, flow_run, state):
    logger = flow_run_logger(flow_run, flow)
    logger.info(f"Flow {flow.name} entered state {state.name}")


@flow(on_failure=[my_hook])
def failing_flow_with_logger():
    raise ValueError("oops!")


data = {}


def kwargs_hook(task, task_run, state, **kwargs):
    data.update(state=state.name, **kwargs)


@task
def bad_task():
    raise ValueError("meh")


@flow
def ok_with_failure_flow(x: str = "foo", y: int = 42):
    bad_task_with_a_hook = bad_task.with_options(on_failure=[partial(kwargs_hook, **dict(x=x, y=y))])
    return bad_task_with_a_hook(return_state=True)


# -- what hooks receive, and the lines around them ----------------------------------------------

def show_args(obj, run, state):
    print(f"  hook got {type(obj).__module__}.{type(obj).__name__} {obj.name!r}, "
          f"{type(run).__module__}.{type(run).__name__} {type(run.id).__name__}, "
          f"state {state!s} type={state.type.value} run.state is state: {run.state is state}")


def hook_raises(obj, run, state):
    raise RuntimeError("the hook blew up")


class CallableHook:
    def __call__(self, obj, run, state):
        print("  CallableHook called")


attempts = 0


@task(retries=2, on_running=[show_args], on_completion=[show_args, hook_raises, CallableHook(),
                                                      lambda t, r, s: print("  lambda called")])
def flaky(n):
    global attempts
    attempts += 1
    if attempts < 3:
        raise ConnectionError(f"attempt {attempts} failed")
    print(f"  flaky({n}) works on attempt {attempts} (run_count {run_count()})")
    return n


def run_count():
    from prefect.runtime import task_run
    return task_run.run_count


@task(on_failure=[show_args])
def always_fails():
    raise ValueError("never works")


@flow(on_running=[show_args], on_completion=[show_args])
def hooked_flow():
    flaky(1)
    state = always_fails(return_state=True)
    print("always_fails ended", state.name)
    return "done"


class Boom(BaseException):
    pass


@flow(on_crashed=[show_args], on_failure=[lambda f, r, s: print("  on_failure must not run on a crash")])
def crashing_flow():
    raise Boom("simulated interrupt")


if __name__ == "__main__":
    print("=== on_running, in two forms")
    my_flow()
    print("=== on_failure after the retries")
    failing_flow(return_state=True)
    print("=== flow_run_logger in a hook")
    failing_flow_with_logger(return_state=True)
    print("=== hook keyword arguments with partial")
    ok_with_failure_flow(return_state=True)
    print("data:", data)
    print("=== arguments, a hook that raises, names")
    hooked_flow()
    print("=== a crash calls on_crashed, not on_failure")
    try:
        crashing_flow()
    except Boom as exc:
        print("caught:", repr(exc))
    print("=== hook lists")
    print([h.__name__ for h in flaky.on_completion_hooks[:2]], len(hooked_flow.on_running_hooks))
    try:
        task(on_failure=show_args)(lambda: None)
    except TypeError as exc:
        print("TypeError:", exc)
