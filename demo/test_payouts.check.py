"""Check for the missing-test exercise.

The learner's test module runs with pytest twice, each time in a fresh
interpreter: on payouts.py as the lesson gives it, whose flow completes
although a payout failed, and on the fixed payouts.py, whose flow fails.
It passes when a test fails on the first and every test passes on the
second: a test that catches the bug and would not stand in the way of the
fix. The verdict comes from pytest's own reports of each test, never from
what was printed, and the two tests the lesson gives must stay as they are.
"""

GIVEN = ("test_check_payout_refuses_a_negative_amount", "test_nightly_payouts_adds_up_the_night")


def _names(tests):
    return ", ".join(sorted({t.name for t in tests}))


def check(attempt):
    fixed = attempt.variants["fixed"]
    broken = [t for t in attempt.tests + fixed.tests if t.when == "collect"]
    if broken or attempt.exit_code not in (0, 1):
        raise AssertionError(
            "pytest could not run the module (exit code "
            f"{attempt.exit_code}): read pytest's output above, fix the module, and run it again."
        )
    for name in GIVEN:
        if not attempt.unchanged(name):
            raise AssertionError(
                f"{name} has changed. Keep the two tests the lesson gives as they are, and add yours beside them."
            )
    caught = [t for t in attempt.tests if t.outcome == "failed" and t.when == "call"]
    if not caught:
        errors = [t for t in attempt.tests if t.outcome == "failed"]
        if errors:
            raise AssertionError(
                f"{_names(errors)} failed in its set-up or tear-down, not in the test itself: keep the fixture as it is."
            )
        backwards = [t for t in fixed.tests if t.outcome == "failed"]
        if backwards:
            raise AssertionError(
                f"{_names(backwards)} passes on payouts.py as it is and fails once the bug is fixed: it asserts "
                "what the buggy flow does. Assert what the rule says instead: that night's run ends failed."
            )
        raise AssertionError(
            "Every test passes on payouts.py as it is, so none of them catches the bug. Write a test that "
            "runs nightly_payouts on a night with a negative payout and asserts what the rule says about the run."
        )
    fails_on_fix = [t for t in fixed.tests if t.outcome == "failed"]
    if fails_on_fix:
        both = {t.name for t in caught} & {t.name for t in fails_on_fix}
        which = _names([t for t in fails_on_fix if t.name in both] or fails_on_fix)
        raise AssertionError(
            f"{which} also fails once the bug is fixed, so it does not test the rule: it would fail whatever "
            "the flow does. Assert what must hold for a night with a negative payout: the run ends failed."
        )
    if not any(t.outcome == "passed" for t in fixed.tests if t.name in {c.name for c in caught}):
        raise AssertionError(
            f"{_names(caught)} fails on payouts.py as it is, but does not pass once the bug is fixed. "
            "A test that catches a bug must pass on the right code."
        )
    return (
        f"Well done: {_names(caught)} fails on payouts.py as it is and passes once the bug is fixed. "
        "A failing run now fails your tests before it reaches a seller."
    )
