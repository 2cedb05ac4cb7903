"""Logging: get_run_logger at every level, print with and without log_prints
(and its inheritance), a stdlib logger, logger.exception, and no run context."""

import logging
import sys

from prefect import flow, get_run_logger, task


def log_all(where: str) -> None:
    logger = get_run_logger()
    logger.debug(f"{where}: debug message")
    logger.info(f"{where}: info message")
    logger.warning(f"{where}: warning message")
    logger.error(f"{where}: error message")
    logger.critical(f"{where}: critical message")


@task
def task_logs() -> None:
    log_all("task")
    logger = get_run_logger()
    print("task: a plain print (no log_prints anywhere)")
    logger.info("task: multi-line message\nsecond line\nthird line")
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("task: logger.exception() inside except")
    logging.getLogger("mylib").info("task: stdlib logger 'mylib' INFO")
    logging.getLogger("mylib").warning("task: stdlib logger 'mylib' WARNING")
    print("task: print to stderr", file=sys.stderr)


@task(log_prints=True)
def task_log_prints() -> None:
    print("task(log_prints=True): print() becomes a log line")
    print("task(log_prints=True): several", "args", 3, sep=" ")
    print("task(log_prints=True): to stderr too", file=sys.stderr)


@task(log_prints=False)
def task_no_log_prints() -> None:
    print("task(log_prints=False): print() stays on stdout")


@task
def inherits() -> None:
    print("task with log_prints unset, in a log_prints flow")


@flow
def default_flow() -> None:
    log_all("flow")
    print("flow: a plain print")
    task_logs()
    task_log_prints()
    task_no_log_prints()


@flow(log_prints=True)
def printing_flow() -> None:
    print("flow(log_prints=True): print() in the flow body")
    inherits()
    task_no_log_prints()


if __name__ == "__main__":
    try:
        get_run_logger()
    except Exception as exc:
        print("outside a run:", f"{type(exc).__module__}.{type(exc).__qualname__}:", exc)
    default_flow()
    printing_flow()
    print("done")
