"""Page 5's rules about state change hooks, in the order the log shows them."""

import sys

from prefect import flow, get_run_logger, task
from prefect.logging.loggers import flow_run_logger

sys.stdout.reconfigure(line_buffering=True)
attempts = {"n": 0}


def say(label):
    def hook(obj, run, state):
        print(f"HOOK {label} {state.name}")

    hook.__name__ = f"say_{label}"
    return hook


def broken_hook(obj, run, state):
    raise RuntimeError("the hook itself failed")


def logger_probe(label):
    """A hook that tries get_run_logger() and says whether it worked; flow_run_logger works in any flow hook."""

    def hook(obj, run, state):
        try:
            get_run_logger().info(f"HOOK {label}: get_run_logger works")
        except Exception as exc:
            print(f"HOOK {label}: get_run_logger raised {type(exc).__name__}")
        if label.startswith("flow"):
            flow_run_logger(run, obj).info(f"HOOK {label}: flow_run_logger works")

    hook.__name__ = f"probe_{label}"
    return hook


@task(retries=1, on_running=[say("task-running")], on_completion=[say("task-completion")])
def flaky() -> str:
    attempts["n"] += 1
    print(f"BODY attempt {attempts['n']}")
    if attempts["n"] == 1:
        raise ConnectionError("first attempt fails")
    return "ok"


@task(on_failure=[say("task-failure"), broken_hook, logger_probe("task-failure")])
def fails() -> None:
    raise ValueError("broken")


@flow(
    on_running=[say("flow-running"), logger_probe("flow-running")],
    on_completion=[say("flow-completion"), logger_probe("flow-completion")],
)
def hooked() -> str:
    flaky()
    state = fails(return_state=True)
    print(f"AFTER the failing task, its state is {state.name}")
    return "done"


@flow(flow_run_name="fails-twice", retries=1, on_running=[logger_probe("flow-retried-running")], on_failure=[say("flow-failure")])
def fails_twice() -> None:
    print("BODY flow attempt")
    raise RuntimeError("the flow fails")


@flow(on_crashed=[logger_probe("flow-crashed")])
def crashes() -> None:
    raise KeyboardInterrupt  # not an ordinary exception: the run crashes


if __name__ == "__main__":
    hooked()
    final = fails_twice(return_state=True)
    print(f"FINAL {final.name}")
    try:
        crashes()
    except KeyboardInterrupt:
        print("CRASHED and re-raised")
