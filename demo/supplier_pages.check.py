"""Check for the supplier-pages exercise.

It passes when the flow fetched all twelve pages with no request refused,
never more than three at once and three at a time throughout (about four
seconds for twelve one-second pages), with SupplierAPI exactly as the lesson
gives it. It reads the runs the code made (their states and when each started
and ended), not what it printed. Speed is judged against the pages' own
durations, not the clock alone: in the page, Python's own work takes real time
too, more of it on a busy computer.
"""

PAGES = 12
LIMIT = 3  # the API's
SLACK = 1.25  # how much longer than a perfect three-at-a-time schedule the fetching may take


def _seconds(later, earlier):
    return (later - earlier).total_seconds()


def _span(run):
    """(first Running, last state) of a run that ran, else None."""
    start = run.start_time
    if start is None or run.state is None:
        return None
    return start, run.state.timestamp


def _busy(spans):
    """How long at least one of the runs was running: the length of the union of their spans."""
    total, end = 0.0, None
    for start, stop in sorted(spans):
        if end is None or start > end:
            total += _seconds(stop, start)
            end = stop
        elif stop > end:
            total += _seconds(stop, end)
            end = stop
    return total


def _most_at_once(spans):
    """The most runs that were running at the same moment."""
    moments = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda m: (m[0], m[1]))
    most = now = 0
    for _, step in moments:
        now += step
        most = max(most, now)
    return most


def check(attempt):
    if not attempt.unchanged("SupplierAPI"):
        raise AssertionError(
            "SupplierAPI has changed. It stands for the supplier's server, which you cannot change: put it back "
            "as it was (Reset, then Undo reset, shows both) and change how the flow runs its tasks instead."
        )
    flows = attempt.flows()
    assert flows, "No flow ran. Keep the sync_catalogue(PAGES) call at the bottom of the file, then run again."
    flow_run = flows[-1]
    fetches = [r for r in attempt.tasks("fetch_page") if r.flow_run_id == flow_run.run_id]
    assert len(fetches) == PAGES, (
        f"Flow run '{flow_run.name}' made {len(fetches)} fetch_page runs, not {PAGES}: fetch every page, "
        "each with a call of the fetch_page task."
    )
    refused = [r for r in fetches if r.run_count > 1 or r.state is None or not r.state.is_completed()]
    if refused:
        retried = [r for r in refused if r.run_count > 1]
        if retried and len(retried) == len(refused) and flow_run.state is not None and flow_run.state.is_completed():
            raise AssertionError(
                f"All pages arrived, but {len(retried)} fetch_page runs were refused first and retried. Each "
                f"refusal is a request the supplier had to turn away: keep to {LIMIT} at a time instead of retrying."
            )
        raise AssertionError(
            f"{len(refused)} of the {PAGES} requests were refused (TooManyRequests): more than {LIMIT} ran at once, "
            f"and the API serves {LIMIT}. How many task runs run at once is the flow's task runner's business."
        )
    spans = [_span(r) for r in fetches]
    short = [r for r, span in zip(fetches, spans) if span is None or _seconds(span[1], span[0]) < 0.99]
    if short:
        raise AssertionError(
            f"'{short[0].name}' took less than the second each page takes: fetch_page must ask api.get_page for its "
            "page. Leave fetch_page's work as it is, and change how many of its runs run at once."
        )
    most = _most_at_once(spans)
    if most > LIMIT:
        raise AssertionError(
            f"{most} requests ran at once and none was refused, so the API's limit was changed. Put it back: the "
            f"supplier serves {LIMIT} at a time."
        )
    assert flow_run.state is not None and flow_run.state.is_completed(), (
        f"Flow run '{flow_run.name}' ended {flow_run.state.name if flow_run.state else 'without a state'}: "
        "it must complete."
    )
    start, end = _span(flow_run)
    took = _seconds(end, start)
    if most == 1:
        raise AssertionError(
            f"All {PAGES} pages arrived in {took:.0f} s, one after another: a direct call of a task waits for it "
            "to finish. Submit them all at once, with fetch_page.map(pages), and let the flow's task runner "
            f"decide how many run together."
        )
    work = sum(_seconds(end, start) for start, end in spans)
    if _busy(spans) > work / LIMIT * SLACK:
        raise AssertionError(
            f"All {PAGES} pages arrived, never more than {most} at once, in {took:.1f} s. The API serves {LIMIT} "
            f"at a time, so {PAGES} one-second pages can take {PAGES // LIMIT} s: let {LIMIT} run at once."
        )
    return (
        f"Well done: {PAGES} pages in {took:.1f} s instead of {PAGES} s, never more than {most} requests at once, "
        "and not one refused."
    )
