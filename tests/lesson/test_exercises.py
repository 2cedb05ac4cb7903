"""Every exercise of the course, through the playground runner the page uses.

The exercises are found on the lesson pages (their ``{exercise}`` blocks).
`playground.runner.run_check(code, check_code, starter=..., filename=...)` runs
the learner's code on sim_prefect, then judges its records with the exercise's
check, on an empty cache as the page's Check does; it returns `.passed` and
`.message`. For each exercise: the page wires its files together, the reference
solution passes, the starter fails, and each near miss or cheat in its table
passes or fails with a message that names the mistake.

A near miss is made from the starter or the solution by text replacements (each
must change the text), or by printing the expected log (the cheat a learner may
try: the check must judge runs, not printed text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from lessonbuild.demos import Demo
from lessonbuild.exercises import run_exercise
from lessonbuild.pages import Exercise as BuiltExercise
from playground.runner import run_check
from tests.lesson.lesson_helpers import DEMO_DIR, Exercise, exercises, lesson_pages

EXERCISES = {exercise.starter: exercise for exercise in exercises(lesson_pages())}


@dataclass(frozen=True)
class Files:
    """An exercise's files in demo/."""

    starter: str
    solution: str
    check: str
    expected_log: str  # what the solution prints

    @classmethod
    def of(cls, exercise: Exercise) -> Files:
        def read(name: str) -> str:
            return (DEMO_DIR / name).read_text(encoding="utf-8")

        log = exercise.solution.removesuffix(".py") + ".expected.log"
        return cls(read(exercise.starter), read(exercise.solution), read(exercise.check), read(log))


Make = Callable[[Files], str]


def replaced(*pairs: tuple[str, str], base: str = "starter") -> Make:
    """The starter (or the solution) with each `old` replaced by `new`; each must be there."""

    def make(files: Files) -> str:
        code = getattr(files, base)
        for old, new in pairs:
            assert old in code, f"{old!r} is not in the {base}"
            code = code.replace(old, new)
        return code

    return make


def printing_the_log(before_main_only: bool = False) -> Make:
    """The cheat: print the solution's expected log and a verdict, with the starter's code before or after it."""

    def make(files: Files) -> str:
        printed = f"print({files.expected_log!r})\nprint('Well done')\n"
        if before_main_only:  # the flow is never called
            return printed + files.starter.split("if __name__")[0]
        return files.starter + "\n" + printed

    return make


@dataclass(frozen=True)
class NearMiss:
    name: str
    make: Make
    passes: bool
    says: tuple[str, ...] = ()  # fragments of the check's message


@dataclass(frozen=True)
class Table:
    """What one exercise must do: where it is, how many hints, what its checks say."""

    page: str
    hints: int  # at least this many, graduated
    solution_says: tuple[str, ...]
    starter_says: tuple[str, ...]
    near_misses: tuple[NearMiss, ...]
    solution_is: Make | None = field(default=None)  # the solution, made from the starter: they differ only so


def _with_task(decorator: str, imports: str = "") -> Make:
    """geocode with another decorator on its task, and any imports it needs."""
    line = "from sim_prefect import flow, print_state_log, task\n"
    return replaced(("@task\ndef geocode", f"{decorator}\ndef geocode"), (line, line + imports))


_EACH_INVOICE = "load_invoice(n, return_state=True) for n in numbers"
_INVOICE_3_WITHOUT_RETRIES = "(load_invoice.with_options(retries=0) if n == 3 else load_invoice)(n, return_state=True) for n in numbers"


def _with_condition(definition: str, condition: str) -> Make:
    """The starter with `definition` before load_invoice and `condition` as its retry_condition_fn."""
    return replaced(
        (
            "@task(retries=3, retry_delay_seconds=2)\n",
            f"{definition}\n\n@task(retries=3, retry_delay_seconds=2, retry_condition_fn={condition})\n",
        )
    )


# Tests a learner may add to test_payouts.py (page 7).
_RAISES_TEST = """def test_a_bad_night_raises():
    with pytest.raises(ValueError):
        nightly_payouts([{"id": 1, "amount": 120.0}, {"id": 2, "amount": -40.0}])
"""
_TASK_ONLY_TEST = """def test_check_payout_names_the_payout():
    with pytest.raises(ValueError, match="payout 2"):
        check_payout.fn({"id": 2, "amount": -40.0})
"""
_PINS_THE_BUG_TEST = """def test_pays_120():
    assert nightly_payouts([{"id": 1, "amount": 120.0}, {"id": 2, "amount": -40.0}]) == 120.0
"""
_COUNTER_TEST = """import builtins


def test_second_time_lucky():
    builtins.runs = getattr(builtins, "runs", 0) + 1
    assert builtins.runs > 1
"""

_REPORT_SERVED = 'sales_report.serve(name="weekday-mornings", cron="0 9 * * 1-5", parameters={"region": "north"})'


def _report(options: str, imports: str = "") -> Make:
    """The morning report served with these options (and any imports they need)."""
    return replaced(
        ("from sim_prefect.runtime import flow_run\n", "from sim_prefect.runtime import flow_run\n" + imports),
        ('sales_report.serve(name="weekday-mornings")', f'sales_report.serve(name="weekday-mornings", {options})'),
    )


_SUPPLIER_STARTER_DOC = (
    '"""Exercise: fetch the supplier\'s twelve pages as fast as its API allows.\n\n'
    "The supplier's API serves at most three requests at a time and refuses any\n"
    "more with 429 Too Many Requests. Each page takes it a second. The flow asks\n"
    "for the pages one by one, so it takes twelve seconds and never upsets the API.\n"
    'Make it faster, without a single request refused.\n"""'
)
_SUPPLIER_SOLUTION_DOC = (
    '"""Solution: the supplier\'s twelve pages, three at a time.\n\n'
    "`.map()` submits one task run per page to the flow's task runner, and\n"
    "`ThreadPoolTaskRunner(max_workers=3)` lets at most three of them run at once:\n"
    "the API's own limit. The others wait for a free thread, so no request is\n"
    'refused, and the twelve pages take four seconds instead of twelve.\n"""'
)
_SUPPLIER_IMPORT = "from sim_prefect import flow, print_state_log, task\n"
_SUPPLIER_DIRECT = "items = [item for page in pages for item in fetch_page(page)]"
_SUPPLIER_MAPPED = (_SUPPLIER_DIRECT, "items = [item for items in fetch_page.map(pages).result() for item in items]")


def _supplier_pool(max_workers: int, fetching: str = _SUPPLIER_MAPPED[1]) -> Make:
    """The supplier's starter with a thread pool of `max_workers` and the pages fetched by `fetching`."""
    return replaced(
        (_SUPPLIER_IMPORT, _SUPPLIER_IMPORT + "from sim_prefect.task_runners import ThreadPoolTaskRunner\n"),
        ("@flow(log_prints=True)", f"@flow(log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers={max_workers}))"),
        (_SUPPLIER_DIRECT, fetching),
    )


# The nightly load (page 8): the solution's parts, to take out or change one at a time.
_LOAD_KEYED = 'with transaction(key=f"nightly-load-{day}") as txn:'
_LOAD_EARLY_RETURN = """        if txn.is_committed():
            print(f"{day} is already loaded: skipped")
            return
"""
_LOAD_HOOK = """@load_orders.on_rollback
def delete_orders(txn) -> None:
    warehouse.delete_orders(txn.get("day"))
    print(f"deleted the orders of {txn.get('day')}")


"""
_LOAD_IMPORT = "from sim_prefect.artifacts import create_table_artifact\n"
_LOAD_CACHE = (
    (_LOAD_IMPORT, _LOAD_IMPORT + "from sim_prefect.cache_policies import INPUTS, TASK_SOURCE\n"),
    ("@task\ndef load_orders", "@task(cache_policy=INPUTS + TASK_SOURCE)\ndef load_orders"),
    ("@task\ndef load_total", "@task(cache_policy=INPUTS + TASK_SOURCE)\ndef load_total"),
)
_LOAD_FIRST_NIGHT = (
    '    nightly_load("2026-03-02", return_state=True)  # the backup locks daily_totals: step 2 fails\n'
    "    warehouse.backup_running = False  # the backup is done\n"
)


TABLES: dict[str, Table] = {
    "flaky_source.py": Table(
        page="02-prefect-in-practice.md",
        hints=2,
        solution_says=("Well done",),
        starter_says=("retries",),
        solution_is=replaced(
            ('"""Exercise: make this flow survive a flaky source.', '"""Solution: the flaky source, survived with retries.'),
            ("@task\ndef fetch_readings", "@task(retries=2, retry_delay_seconds=1)\ndef fetch_readings"),
        ),
        near_misses=(
            NearMiss(
                "one-retry-is-not-enough",
                replaced(("@task\ndef fetch_readings", "@task(retries=1)\ndef fetch_readings")),
                passes=False,
                says=("retried 'fetch_readings-", "1 time,"),
            ),
            NearMiss(
                "retries-without-a-delay",
                replaced(("@task\ndef fetch_readings", "@task(retries=3)\ndef fetch_readings")),
                passes=True,
                says=("Retrying -> Retrying -> Completed",),  # no AwaitingRetry without a delay
            ),
            NearMiss(
                "a-reliable-source",
                replaced(("if requests_seen <= 2:", "if False:")),
                passes=False,
                says=("flaky_get has changed",),
            ),
            NearMiss(
                "catching-the-error",
                replaced(
                    (
                        "    readings = fetch_readings(url)\n",
                        "    try:\n        readings = fetch_readings(url)\n    except ConnectionError:\n        readings = [0.0]\n",
                    )
                ),
                passes=False,
                says=("no retry fired",),
            ),
            NearMiss(
                "retrying-the-whole-flow",
                replaced(("@flow(log_prints=True)", "@flow(log_prints=True, retries=2)")),
                passes=True,
                says=("whole flow",),
            ),
            NearMiss(
                "never-calls-the-flow",
                replaced(("    sensor_report(return_state=True)", "    pass")),
                passes=False,
                says=("No flow ran",),
            ),
            NearMiss(
                "a-kinder-source-and-one-retry",
                replaced(
                    ("if requests_seen <= 2:", "if requests_seen <= 1:"),
                    ("@task\ndef fetch_readings", "@task(retries=1)\ndef fetch_readings"),
                ),
                passes=False,
                says=("flaky_get has changed",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(before_main_only=True), passes=False, says=("No flow ran",)),
        ),
    ),
    "geocode.py": Table(
        page="04-caching-and-results.md",
        hints=3,  # where, what, how
        solution_says=("3 calls billed for 6 stops",),
        starter_says=("nothing came from the cache",),
        solution_is=_with_task("@task(cache_policy=INPUTS)", "from sim_prefect.cache_policies import INPUTS\n"),
        near_misses=(
            NearMiss(
                "task-input-hash",
                _with_task("@task(cache_key_fn=task_input_hash)", "from sim_prefect.tasks import task_input_hash\n"),
                passes=True,
            ),
            NearMiss(
                "a-constant-key",
                _with_task("@task(cache_key_fn=lambda context, parameters: 'geocode')"),
                passes=False,
                says=("leaves out the place",),
            ),
            NearMiss(
                "the-task-source-only",
                _with_task("@task(cache_policy=TASK_SOURCE)", "from sim_prefect.cache_policies import TASK_SOURCE\n"),
                passes=False,
                says=("leaves out the place",),
            ),
            NearMiss(
                "the-default-policy",  # it caches within a flow run only
                _with_task("@task(persist_result=True)"),
                passes=False,
                says=("RUN_ID", "5 geocode runs"),
            ),
            NearMiss(
                "skipping-repeated-stops",
                replaced(("route = [geocode(stop) for stop in stops]", "route = [geocode(stop) for stop in dict.fromkeys(stops)]")),
                passes=False,
                says=("Keep calling geocode for every stop",),
            ),
            NearMiss(
                "the-solution-with-a-service-that-bills-nothing",
                replaced(("    billed.append(place)\n", ""), base="solution"),
                passes=False,
                says=("geocoding_service has changed",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("nothing came from the cache",)),
        ),
    ),
    "invoices.py": Table(
        page="05-when-runs-fail.md",
        hints=3,
        solution_says=(),
        starter_says=("retried 3 time(s) although the invoice does not exist",),
        near_misses=(
            NearMiss(
                "an-isinstance-condition",
                replaced(
                    (
                        "@task(retries=3, retry_delay_seconds=2)\n",
                        "def retry_unless_missing(task, task_run, state):\n"
                        "    return not isinstance(state.result(raise_on_failure=False), LookupError)\n\n\n"
                        "@task(retries=3, retry_delay_seconds=2, retry_condition_fn=retry_unless_missing)\n",
                    )
                ),
                passes=True,
            ),
            NearMiss(
                "an-async-condition",  # Prefect awaits it; `await state.aresult()` raises the attempt's exception
                _with_condition(
                    "async def worth_retrying(task, task_run, state):\n"
                    "    try:\n        await state.aresult()\n    except LookupError:\n        return False\n"
                    "    except Exception:\n        return True\n    return True\n",
                    "worth_retrying",
                ),
                passes=True,
            ),
            NearMiss(
                "a-functools-partial",
                _with_condition(
                    "import functools\n\n\ndef retry_unless(permanent, task, task_run, state):\n"
                    "    return not isinstance(state.data, permanent)\n",
                    "functools.partial(retry_unless, LookupError)",
                ),
                passes=True,
            ),
            NearMiss(
                "a-callable-object",
                _with_condition(
                    "class RetryUnless:\n    def __init__(self, permanent):\n        self.permanent = permanent\n\n"
                    "    def __call__(self, task, task_run, state):\n"
                    "        return not isinstance(state.data, self.permanent)\n",
                    "RetryUnless(LookupError)",
                ),
                passes=True,
            ),
            NearMiss(
                "a-condition-given-at-the-call",
                replaced(
                    (
                        "load_invoice(n, return_state=True) for n in numbers",
                        "load_invoice.with_options(retry_condition_fn=lambda t, r, s: not isinstance(s.data, LookupError))"
                        "(n, return_state=True) for n in numbers",
                    )
                ),
                passes=True,
            ),
            NearMiss(
                "no-retries-for-invoice-3",  # the right runs, but no retry_condition_fn decided anything
                replaced((_EACH_INVOICE, _INVOICE_3_WITHOUT_RETRIES)),
                passes=False,
                says=("no retry_condition_fn decided it",),
            ),
            NearMiss(
                "a-condition-and-no-retries-for-invoice-3",
                replaced((_EACH_INVOICE, _INVOICE_3_WITHOUT_RETRIES), base="solution"),
                passes=False,
                says=("with_options(retries=...)",),
            ),
            NearMiss(
                "a-condition-and-a-task-without-retries-for-invoice-3",
                replaced(
                    (_EACH_INVOICE, "(task(retries=0)(load_invoice.fn) if n == 3 else load_invoice)(n, return_state=True) for n in numbers"),
                    base="solution",
                ),
                passes=False,
                says=("no retries left",),
            ),
            NearMiss(
                "a-condition-and-one-retry",  # enough for this busy API, but the exercise says keep retries=3
                replaced(("@task(retries=3, retry_delay_seconds=2, retry_condition_fn", "@task(retries=1, retry_delay_seconds=2, retry_condition_fn"), base="solution"),
                passes=False,
                says=("Keep retries=3",),
            ),
            NearMiss(
                "no-retries-at-all",
                replaced(("@task(retries=3, retry_delay_seconds=2)\n", "@task\n")),
                passes=False,
                says=("busy API was not given a second chance",),
            ),
            NearMiss(
                "a-condition-that-never-retries",
                replaced(
                    (
                        "@task(retries=3, retry_delay_seconds=2)\n",
                        "@task(retries=3, retry_delay_seconds=2, retry_condition_fn=lambda t, r, s: False)\n",
                    )
                ),
                passes=False,
                says=("not given a second chance",),
            ),
            NearMiss(
                "hiding-the-missing-invoice",
                replaced(
                    (
                        "    return billing_api(number)\n",
                        "    try:\n        return billing_api(number)\n    except LookupError:\n        return {'number': number, 'total': 0}\n",
                    )
                ),
                passes=False,
                says=("must still fail",),
            ),
            NearMiss(
                "not-asking-for-invoice-3",
                replaced(("invoice_totals([1, 2, 3])", "invoice_totals([1, 2])")),
                passes=False,
                says=("Invoice 3 must still be asked for",),
            ),
            NearMiss(
                "a-changed-billing-api",
                replaced(("    if number == 3:\n", "    if number == 99:\n")),
                passes=False,
                says=("billing_api has changed",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("retried 3 time(s)",)),
        ),
    ),
    "test_payouts.py": Table(
        page="07-testing-flows.md",
        hints=3,
        solution_says=("Well done", "test_a_negative_payout_fails_the_run"),
        starter_says=("Every test passes on payouts.py as it is",),
        solution_is=replaced(
            (
                "# Your test: a night with a negative payout must end in a failed run.\n",
                "def test_a_negative_payout_fails_the_run():\n"
                '    state = nightly_payouts([{"id": 1, "amount": 120.0}, {"id": 2, "amount": -40.0}], return_state=True)\n'
                "    assert state.is_failed()\n",
            ),
        ),
        near_misses=(
            NearMiss(
                "pytest-raises-instead-of-the-state",
                replaced(("# Your test", _RAISES_TEST + "\n\n# Your test")),
                passes=True,
                says=("test_a_bad_night_raises",),
            ),
            NearMiss(
                "a-test-that-always-passes",
                replaced(("# Your test", "def test_new():\n    assert True\n\n\n# Your test")),
                passes=False,
                says=("Every test passes on payouts.py as it is",),
            ),
            NearMiss(
                "a-test-that-always-fails",
                replaced(("# Your test", "def test_new():\n    assert False\n\n\n# Your test")),
                passes=False,
                says=("test_new also fails once the bug is fixed",),
            ),
            NearMiss(
                "a-test-of-the-task-alone",
                replaced(("# Your test", _TASK_ONLY_TEST + "\n\n# Your test")),
                passes=False,
                says=("Every test passes on payouts.py as it is",),
            ),
            NearMiss(
                "the-wrong-state",
                replaced(("assert state.is_failed()", "assert state.is_completed()"), base="solution"),
                passes=False,
                says=("test_a_negative_payout_fails_the_run passes on payouts.py as it is and fails once the bug is fixed",),
            ),
            NearMiss(
                "pinning-what-the-buggy-flow-returns",
                replaced(("# Your test", _PINS_THE_BUG_TEST + "\n\n# Your test")),
                passes=False,
                says=("test_pays_120 passes on payouts.py as it is and fails once the bug is fixed",),
            ),
            NearMiss(
                "a-counter-that-fails-only-the-first-run",
                replaced(("# Your test", _COUNTER_TEST + "\n\n# Your test")),
                passes=False,
                says=("test_second_time_lucky also fails once the bug is fixed",),
            ),
            NearMiss(
                "an-expected-failure",
                replaced(("def test_a_negative", "@pytest.mark.xfail\ndef test_a_negative"), base="solution"),
                passes=False,
                says=("Every test passes on payouts.py as it is",),
            ),
            NearMiss(
                "a-changed-given-test",
                replaced(("== 135.5", "== 135.5 or True"), base="solution"),
                passes=False,
                says=("test_nightly_payouts_adds_up_the_night has changed",),
            ),
            NearMiss(
                "a-syntax-error",
                replaced(("# Your test", "def test_new(:\n    pass\n\n\n# Your test")),
                passes=False,
                says=("pytest could not run the module",),
            ),
            NearMiss(
                "printing-pytests-verdict",
                replaced(("# Your test", "print('1 failed, 2 passed')\nprint('Well done')\n\n\n# Your test")),
                passes=False,
                says=("Every test passes on payouts.py as it is",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("Every test passes",)),
        ),
    ),
    "morning_report.py": Table(
        page="06-deployments-and-schedules.md",
        hints=3,
        solution_says=("ran the report 4 times, for region 'north'", "Friday 09:00, Monday 09:00"),
        starter_says=("no schedule",),
        solution_is=replaced(
            ("report. Serve it so that it runs every weekday at 9:00 (UTC), for the north region.", "report, served every weekday at 9:00 (UTC) for the north region."),
            ('sales_report.serve(name="weekday-mornings")', _REPORT_SERVED),
        ),
        near_misses=(
            NearMiss("every-day-at-9", _report('cron="0 9 * * *", parameters={"region": "north"}'), passes=False, says=("also fires on weekends", "Saturday 09:00")),
            NearMiss("weekdays-at-21", _report('cron="0 21 * * 1-5", parameters={"region": "north"}'), passes=False, says=("fires at 21:00 UTC, not at 09:00",)),
            NearMiss("weekdays-at-9-minute-9", _report('cron="9 * * * 1-5", parameters={"region": "north"}'), passes=False, says=("not at 09:00",)),
            NearMiss("no-parameter", _report('cron="0 9 * * 1-5"'), passes=False, says=("report on region 'all', the flow's default, not 'north'",)),
            NearMiss("another-region", _report('cron="0 9 * * 1-5", parameters={"region": "North"}'), passes=False, says=("region 'North' not 'north'",)),
            NearMiss("an-interval-of-a-day", _report('interval=86400, parameters={"region": "north"}'), passes=False, says=("also fires on weekends",)),
            NearMiss("weekends-only", _report('cron="0 9 * * 0,6", parameters={"region": "north"}'), passes=False, says=("fires only on weekends",)),
            NearMiss("mon-fri-by-name", _report('cron="0 9 * * MON-FRI", parameters={"region": "north"}'), passes=True, says=("ran the report 4 times",)),
            NearMiss(
                "the-parameter-on-the-schedule",
                _report('schedule=Cron("0 9 * * 1-5", parameters={"region": "north"})', "from sim_prefect.schedules import Cron\n"),
                passes=True,
                says=("for region 'north'",),
            ),
            NearMiss(
                "applied-but-not-served",
                replaced(('sales_report.serve(name="weekday-mornings")',
                          'sales_report.to_deployment(name="weekday-mornings", cron="0 9 * * 1-5", parameters={"region": "north"}).apply()')),
                passes=False,
                says=("no run of it ran", "serve(), not .apply()"),
            ),
            NearMiss(
                "a-direct-call",
                replaced(('sales_report.serve(name="weekday-mornings")', 'sales_report("north")')),
                passes=False,
                says=("No deployment of sales_report",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("no schedule",)),
            NearMiss("printing-the-log-and-no-flow", printing_the_log(before_main_only=True), passes=False, says=("No deployment",)),
        ),
    ),
    "supplier_pages.py": Table(
        page="09-scaling-out.md",
        hints=3,
        solution_says=("Well done: 12 pages in ", "never more than 3 requests at once"),
        starter_says=("one after another", "fetch_page.map(pages)"),
        solution_is=replaced(
            (_SUPPLIER_STARTER_DOC, _SUPPLIER_SOLUTION_DOC),
            (_SUPPLIER_IMPORT, _SUPPLIER_IMPORT + "from sim_prefect.task_runners import ThreadPoolTaskRunner\n"),
            ("@flow(log_prints=True)", "@flow(log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=3))"),
            _SUPPLIER_MAPPED,
        ),
        near_misses=(
            NearMiss("mapped-with-no-limit", replaced(_SUPPLIER_MAPPED), passes=False, says=("9 of the 12 requests were refused",)),
            NearMiss("two-at-a-time", _supplier_pool(2), passes=False, says=("never more than 2 at once, in 6.1 s", "let 3 run at once")),
            NearMiss("four-at-a-time", _supplier_pool(4), passes=False, says=("of the 12 requests were refused",)),
            NearMiss(
                "submitted-three-at-a-time",
                _supplier_pool(3, "futures = [fetch_page.submit(page) for page in pages]\n    items = [item for future in futures for item in future.result()]"),
                passes=True,
                says=("Well done",),
            ),
            NearMiss(
                "retrying-the-refused-requests",
                replaced(_SUPPLIER_MAPPED, ("@task\ndef fetch_page", "@task(retries=10, retry_delay_seconds=1)\ndef fetch_page")),
                passes=False,
                says=("refused first and retried",),
            ),
            NearMiss(
                "raising-the-apis-limit",
                replaced(_SUPPLIER_MAPPED, ("api = SupplierAPI()\n", "api = SupplierAPI()\napi.limit = 12\n")),
                passes=False,
                says=("12 requests ran at once", "API's limit was changed"),
            ),
            NearMiss(
                "a-changed-supplier-api",
                replaced(_SUPPLIER_MAPPED, ("    limit = 3\n", "    limit = 12\n")),
                passes=False,
                says=("SupplierAPI has changed",),
            ),
            NearMiss(
                "pages-that-skip-the-api",
                replaced(_SUPPLIER_MAPPED, ("    return api.get_page(page)\n", "    return [f\"item-{page}-{n}\" for n in (1, 2, 3)]\n")),
                passes=False,
                says=("took less than the second each page takes",),
            ),
            NearMiss(
                "fewer-pages",
                replaced(("    sync_catalogue(PAGES)", "    sync_catalogue(PAGES[:4])")),
                passes=False,
                says=("made 4 fetch_page runs, not 12",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("one after another",)),
            NearMiss("printing-the-log-and-no-flow", printing_the_log(before_main_only=True), passes=False, says=("No flow ran",)),
        ),
    ),
    "nightly_load.py": Table(
        page="08-transactions-limits-and-people.md",
        hints=3,
        solution_says=("Well done", "rolled load_orders back", "ran no task at all", "3 orders and 1 total"),
        starter_says=("ended Completed, not RolledBack", "`with transaction(...)`"),
        solution_is=replaced(
            ('"""Exercise: make the nightly load safe to rerun.', '"""Solution: the nightly load, safe to rerun.'),
            (_LOAD_IMPORT, _LOAD_IMPORT + "from sim_prefect.transactions import transaction\n"),
            ("@task\ndef load_total(", _LOAD_HOOK + "@task\ndef load_total("),
            (
                "    load_orders(day)\n    load_total(day)\n",
                f"    {_LOAD_KEYED}\n{_LOAD_EARLY_RETURN}"
                '        txn.set("day", day)\n        load_orders(day)\n        load_total(day)\n',
            ),
        ),
        near_misses=(
            NearMiss(
                "no-key",
                replaced((_LOAD_KEYED, "with transaction() as txn:"), (_LOAD_EARLY_RETURN, ""), base="solution"),
                passes=False,
                says=("The second rerun loaded the day again", "Give the transaction a key"),
            ),
            NearMiss(
                "a-key-and-no-early-return",  # the key alone skips nothing
                replaced((_LOAD_EARLY_RETURN, ""), base="solution"),
                passes=False,
                says=("The second rerun loaded the day again", "txn.is_committed()"),
            ),
            NearMiss(
                "overwrite",
                replaced((_LOAD_KEYED, 'with transaction(key=f"nightly-load-{day}", overwrite=True) as txn:'), base="solution"),
                passes=False,
                says=("The second rerun loaded the day again",),
            ),
            NearMiss(
                "no-rollback-hook",  # RolledBack, but the rows stay
                replaced((_LOAD_HOOK, ""), base="solution"),
                passes=False,
                says=("The orders table holds 6 rows, not 3", "on_rollback hook"),
            ),
            NearMiss(
                "the-hook-on-the-wrong-task",
                replaced(
                    (_LOAD_HOOK, ""),
                    ("@flow(log_prints=True)\ndef nightly_load", _LOAD_HOOK.replace("@load_orders", "@load_total") + "@flow(log_prints=True)\ndef nightly_load"),
                    base="solution",
                ),
                passes=False,
                says=("The orders table holds 6 rows, not 3",),
            ),
            NearMiss(
                "the-hook-cannot-find-the-day",  # txn.get raises: the rollback stops, no RolledBack
                replaced(('        txn.set("day", day)\n', ""), base="solution"),
                passes=False,
                says=("A rollback hook of load_orders raised an error", "txn.set(...)"),
            ),
            NearMiss(
                "a-hook-that-names-the-day",
                replaced(('warehouse.delete_orders(txn.get("day"))', 'warehouse.delete_orders("2026-03-02")'), base="solution"),
                passes=True,
                says=("Well done",),
            ),
            NearMiss(
                "a-hook-given-to-task",
                replaced(
                    (_LOAD_HOOK, ""),
                    ("@task\ndef load_orders(day: str) -> int:", "def _load_orders(day: str) -> int:"),
                    (
                        "@task\ndef load_total",
                        "def _delete_orders(txn):\n    warehouse.delete_orders(txn.get(\"day\"))\n\n\n"
                        "load_orders = Task(_load_orders, name=\"load_orders\", on_rollback=[_delete_orders])\n\n\n@task\ndef load_total",
                    ),
                    ("from sim_prefect import flow, print_state_log, task\n", "from sim_prefect import Task, flow, print_state_log, task\n"),
                    base="solution",
                ),
                passes=True,
                says=("Well done",),
            ),
            NearMiss(
                "cached-steps-in-a-transaction",  # the guide's other way: records written only on commit
                replaced((_LOAD_KEYED, "with transaction() as txn:"), (_LOAD_EARLY_RETURN, ""), *_LOAD_CACHE, base="solution"),
                passes=True,
                says=("found both steps Cached",),
            ),
            NearMiss(
                "cached-steps-and-no-transaction",  # idempotent in the end, but the failed night left its orders behind
                replaced(*_LOAD_CACHE),
                passes=False,
                says=("not RolledBack",),
            ),
            NearMiss(
                "eager-commits",
                replaced(
                    (_LOAD_KEYED, 'with transaction(key=f"nightly-load-{day}", commit_mode=CommitMode.EAGER) as txn:'),
                    ("from sim_prefect.transactions import transaction\n", "from sim_prefect.transactions import CommitMode, transaction\n"),
                    base="solution",
                ),
                passes=False,
                says=("CommitMode.EAGER", "LAZY"),
            ),
            NearMiss(
                "a-transaction-per-step",
                replaced(
                    (
                        '        txn.set("day", day)\n        load_orders(day)\n        load_total(day)\n',
                        '        txn.set("day", day)\n        with transaction(key=f"orders-{day}"):\n            load_orders(day)\n'
                        '    with transaction(key=f"total-{day}"):\n        load_total(day)\n',
                    ),
                    base="solution",
                ),
                passes=False,
                says=("not RolledBack", "one `with transaction(...)` block"),
            ),
            NearMiss(
                "skipping-with-a-set-of-its-own",  # forgotten when the process ends
                replaced(
                    (_LOAD_KEYED, "with transaction() as txn:"),
                    (_LOAD_EARLY_RETURN, "        if day in loaded:\n            return\n"),
                    ("        load_total(day)\n", "        load_total(day)\n        loaded.add(day)\n"),
                    ("warehouse = Warehouse()\n", "warehouse = Warehouse()\nloaded = set()\n"),
                    base="solution",
                ),
                passes=False,
                says=("not because of the transaction's record",),
            ),
            NearMiss(
                "undoing-in-an-except",
                replaced(
                    (
                        "    load_orders(day)\n    load_total(day)\n",
                        "    load_orders(day)\n    try:\n        load_total(day)\n    except Exception:\n"
                        "        warehouse.delete_orders(day)\n        raise\n",
                    )
                ),
                passes=False,
                says=("not RolledBack",),
            ),
            NearMiss(
                "no-failure-the-first-night",
                replaced((_LOAD_FIRST_NIGHT, "    warehouse.backup_running = False\n    nightly_load(\"2026-03-02\", return_state=True)\n"), base="solution"),
                passes=False,
                says=("The first nightly_load did not fail",),
            ),
            NearMiss(
                "a-changed-warehouse",
                replaced(("        if self.backup_running:\n", "        if False:\n"), base="solution"),
                passes=False,
                says=("Warehouse has changed",),
            ),
            NearMiss(
                "no-show-tables",
                replaced(("    show_tables()\n", ""), base="solution"),
                passes=False,
                says=("show_tables published no table",),
            ),
            NearMiss(
                "one-rerun-only",
                replaced(('    nightly_load("2026-03-02")  # a second rerun, by mistake: it must change nothing\n', ""), base="solution"),
                passes=False,
                says=("nightly_load ran 2 time(s), not 3",),
            ),
            NearMiss("printing-the-expected-log", printing_the_log(), passes=False, says=("not RolledBack",)),
            NearMiss("printing-the-log-and-no-flow", printing_the_log(before_main_only=True), passes=False, says=("nightly_load never ran",)),
        ),
    ),
}


def _check(exercise: Exercise, files: Files, code: str) -> Any:
    if exercise.runner == "pytest":  # a test module: as the build and the page check it (lessonbuild/exercises.py)
        return run_exercise(_as_built(exercise), code, exercise.starter)
    return run_check(code, files.check, starter=files.starter, filename=exercise.starter)


def _as_built(exercise: Exercise) -> BuiltExercise:
    starter = DEMO_DIR / exercise.starter
    beside = {name: str(path) for name, path in Demo(starter).beside().items()}
    fixed = {name.split(".")[0] + ".py": str(DEMO_DIR / name) for name in exercise.fixed}
    return BuiltExercise(exercise.page, exercise.line, starter, DEMO_DIR / exercise.check, DEMO_DIR / exercise.solution,
                         exercise.runner, beside, fixed)  # fmt: skip


def _near_misses() -> list[Any]:
    return [
        pytest.param(name, miss, id=f"{name.removesuffix('.py')}-{miss.name}")
        for name, table in TABLES.items()
        for miss in table.near_misses
    ]


def test_every_exercise_on_the_pages_has_a_table_and_every_table_an_exercise() -> None:
    assert sorted(EXERCISES) == sorted(TABLES)
    assert len(EXERCISES) >= 3


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_page_wires_the_exercises_files_together(name: str) -> None:
    exercise, table = EXERCISES[name], TABLES[name]
    assert exercise.page == table.page
    assert [e.starter for e in EXERCISES.values() if e.page == table.page] == [name], "one exercise per page"
    stem = name.removesuffix(".py")
    assert (exercise.check, exercise.solution) == (f"{stem}.check.py", f"{stem}.solution.py")
    assert all((DEMO_DIR / file).is_file() for file in (exercise.starter, exercise.check, exercise.solution))
    assert len(exercise.hints) >= table.hints


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_reference_solution_passes(name: str) -> None:
    exercise, files = EXERCISES[name], Files.of(EXERCISES[name])
    result = _check(exercise, files, files.solution)
    assert result.passed, result.message
    for fragment in TABLES[name].solution_says:
        assert fragment in result.message


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_starter_fails_and_says_what_to_change(name: str) -> None:
    exercise, files = EXERCISES[name], Files.of(EXERCISES[name])
    result = _check(exercise, files, files.starter)
    assert not result.passed, result.message
    assert TABLES[name].starter_says, "say what the message must name"
    for fragment in TABLES[name].starter_says:
        assert fragment in result.message


@pytest.mark.parametrize("name", sorted(n for n, t in TABLES.items() if t.solution_is is not None))
def test_the_solution_differs_from_the_starter_only_as_the_table_says(name: str) -> None:
    files = Files.of(EXERCISES[name])
    make = TABLES[name].solution_is
    assert make is not None
    assert make(files) == files.solution


@pytest.mark.parametrize(("name", "miss"), _near_misses())
def test_a_near_miss_passes_or_fails_as_the_table_says(name: str, miss: NearMiss) -> None:
    exercise, files = EXERCISES[name], Files.of(EXERCISES[name])
    code = miss.make(files)
    assert code not in (files.starter, files.solution)
    result = _check(exercise, files, code)
    assert result.passed is miss.passes, result.message
    for fragment in miss.says:
        assert fragment in result.message
