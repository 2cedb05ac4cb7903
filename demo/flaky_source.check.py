"""Check for the flaky-source exercise.

It passes only when a retry fired and the flow then completed, with
`flaky_get` exactly as the lesson gives it. A flow that completes with no
retry (because the flaky source was edited, or its error caught) does not
pass: the point is to let Prefect retry. The verdict comes from the runs the
code made, not from what it printed.
"""


def _retried(run) -> bool:
    """Did this run have more than one attempt?"""
    return run.run_count > 1 or any(n in ("AwaitingRetry", "Retrying") for n in run.state_names)


def _times(n: int) -> str:
    return f"{n} time{'s' if n != 1 else ''}"


def check(attempt):
    if not attempt.unchanged("flaky_get"):
        raise AssertionError(
            "flaky_get has changed. It stands for the sensor API, which you cannot change: put it back "
            "as it was (Reset, then Undo reset, shows both) and make Prefect retry fetch_readings instead."
        )
    runs = attempt.runs
    flows = [r for r in runs if r.kind == "flow"]
    assert flows, "No flow ran. Keep the sensor_report(...) call at the bottom of the file, then run again."
    flow_run = flows[-1]
    tasks = [r for r in runs if r.kind == "task" and r.parent_id == flow_run.run_id]
    fetches = [r for r in tasks if r.owner == "fetch_readings"] or tasks
    assert fetches, f"Flow run '{flow_run.name}' ran no tasks. Call fetch_readings(url) inside sensor_report."
    fetch = fetches[-1]
    task_retried = any(_retried(r) for r in fetches)
    flow_retried = _retried(flow_run)
    completed = flow_run.state is not None and flow_run.state.is_completed()

    if not completed:
        if not task_retried and not flow_retried:
            raise AssertionError(
                f"The flow failed: '{fetch.name}' raised on its first attempt and nothing retried it. "
                "Give fetch_readings some retries in its decorator: @task(retries=...)."
            )
        if task_retried:
            retried = f"Prefect retried '{fetch.name}' {_times(fetch.run_count - 1)}"
        else:
            retried = f"Prefect re-ran the whole flow {_times(flow_run.run_count - 1)}"
        raise AssertionError(
            f"{retried}, but the source was still failing, so the flow ended in {flow_run.state.name}. "
            "How many requests in a row does the source drop? Allow enough retries to get past all of them."
        )
    if not task_retried and not flow_retried:
        failed = [r for r in fetches if r.state is not None and r.state.is_failed()]
        if failed:
            raise AssertionError(
                f"The flow completed, but '{failed[0].name}' failed and no retry fired: the flow handled "
                "the error itself. Let Prefect retry the task instead, with @task(retries=...)."
            )
        raise AssertionError(
            "The flow completed, but no retry fired, so the source never failed. Put flaky_get() back "
            "as it was (it must drop the first two requests) and let Prefect retry fetch_readings."
        )
    if not task_retried:
        return (
            "It works: Prefect re-ran the whole flow until it completed. Retrying only the task that "
            "failed, with @task(retries=...) on fetch_readings, would repeat less work; try that too."
        )
    return (
        f"Well done: '{fetch.name}' failed {_times(fetch.run_count - 1)}, Prefect retried it, and flow run "
        f"'{flow_run.name}' completed. Its states: {' -> '.join(fetch.state_names)}."
    )
