"""Check for the retry-condition exercise.

It passes when the busy API was retried and its invoice loaded, while the
invoice that does not exist failed on its first attempt with no retry, with
billing_api exactly as the lesson gives it. It reads the runs the code made,
not what it printed.
"""


def _retried(run) -> bool:
    return run.run_count > 1 or "AwaitingRetry" in run.state_names or "Retrying" in run.state_names


def check(attempt):
    if not attempt.unchanged("billing_api"):
        raise AssertionError(
            "billing_api has changed. It stands for the billing service, which you cannot change: put it back "
            "as it was (Reset, then Undo reset, shows both) and decide what to retry in load_invoice's options."
        )
    flows = attempt.flows()
    assert flows, "No flow ran. Keep the invoice_totals([1, 2, 3]) call at the bottom of the file."
    flow_run = flows[-1]
    loads = [r for r in attempt.tasks("load_invoice") if r.flow_run_id == flow_run.run_id]
    missing = [r for r in loads if r.state is not None and "does not exist" in (r.state.message or "")]
    if not missing:
        raise AssertionError(
            "No load_invoice run failed with 'invoice 3 does not exist'. Invoice 3 must still be asked for, "
            "and must still fail: the point is to stop retrying it, not to hide the error."
        )
    for run in missing:
        if _retried(run):
            raise AssertionError(
                f"'{run.name}' was retried {run.run_count - 1} time(s) although the invoice does not exist, so no "
                "retry can help. Give load_invoice a retry_condition_fn that returns False for a LookupError."
            )
    busy = [r for r in loads if _retried(r)]
    if not busy:
        raise AssertionError(
            "No load_invoice run was retried, so the busy API was not given a second chance. Keep the retries, "
            "and let the condition return True for other errors such as ConnectionError."
        )
    if not all(r.state is not None and r.state.is_completed() for r in busy):
        raise AssertionError(f"'{busy[0].name}' was retried but did not complete: retry the busy API until it answers.")
    completed = flow_run.state is not None and flow_run.state.is_completed()
    assert completed, f"Flow run '{flow_run.name}' ended {flow_run.state.name if flow_run.state else 'without a state'}; it should complete."
    return (
        f"Well done: '{busy[0].name}' was retried until the API answered, and '{missing[0].name}' failed "
        "at once, with no retry wasted on an invoice that does not exist."
    )
