"""Check for the retry-condition exercise.

It passes when the busy API was retried and its invoice loaded, while the
invoice that does not exist failed on its first attempt with no retry, with
billing_api exactly as the lesson gives it, load_invoice still at retries=3,
and a retry_condition_fn, not a lack of retries, deciding to give up. It
reads the runs the code made; of the output, only Prefect's own log line
"Task run failed with exception", which Prefect writes for a run that gives
up because no retries are left, and never for one its retry_condition_fn
stopped.
"""

import ast


def _retried(run) -> bool:
    return run.run_count > 1 or "AwaitingRetry" in run.state_names or "Retrying" in run.state_names


def _calls(source: str) -> list:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _has_retry_condition(source: str) -> bool:
    """Is a retry_condition_fn given anywhere: in a decorator, in with_options, or set on the task?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        (isinstance(node, ast.keyword) and node.arg == "retry_condition_fn")
        or (isinstance(node, ast.Attribute) and node.attr == "retry_condition_fn")
        for node in ast.walk(tree)
    )


def _other_retries(source: str) -> bool:
    """Does a with_options(...) call give some calls another number of retries than 3?"""
    for call in _calls(source):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "with_options":
            for keyword in call.keywords:
                if keyword.arg == "retries" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value == 3):
                    return True
    return False


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
    options = attempt.decorator_options("load_invoice") or {}
    if options.get("retries") != 3:
        raise AssertionError(
            "Keep retries=3 in load_invoice's @task(...). A busy API can need more than one retry; the "
            "retry_condition_fn decides which failures use them."
        )
    if not _has_retry_condition(attempt.source):
        raise AssertionError(
            f"'{missing[0].name}' failed at once, but no retry_condition_fn decided it: load_invoice has none. "
            "Taking the retries away from invoice 3 works only because you know in advance which invoice is "
            "missing. Give load_invoice a retry_condition_fn that returns False for a LookupError."
        )
    if _other_retries(attempt.source):
        raise AssertionError(
            "A with_options(retries=...) call changes how often some invoices are retried. Keep retries=3 for "
            "every call, and let the retry_condition_fn decide from the error whether to retry."
        )
    for run in missing:
        if f"Task run '{run.name}' - Task run failed with exception:" in attempt.output:
            raise AssertionError(
                f"'{run.name}' gave up because it had no retries left, not because the retry_condition_fn said so "
                "(Prefect logged 'Task run failed with exception' for it, which it does not when the condition "
                "returns False). Keep retries=3 for every call, and let the condition return False for a LookupError."
            )
    return (
        f"Well done: '{busy[0].name}' was retried until the API answered, and '{missing[0].name}' failed "
        "at once, with no retry wasted on an invoice that does not exist."
    )
