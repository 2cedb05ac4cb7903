"""Nightly payouts: pay each seller what the books say they are owed.

A negative payout is an error in the books. The rule: it must fail the
night's run, so that someone looks at it before anything is paid.
"""

from sim_prefect import flow, print_state_log, task


@task
def check_payout(payout: dict) -> float:
    """The amount to pay; a negative one is refused."""
    if payout["amount"] < 0:
        raise ValueError(f"payout {payout['id']} is negative: {payout['amount']}")
    return payout["amount"]


@flow
def nightly_payouts(payouts: list[dict]) -> float:
    """The total paid out tonight."""
    return sum(check_payout(payout) for payout in payouts)


if __name__ == "__main__":
    tonight = [{"id": 1, "amount": 120.0}, {"id": 2, "amount": -40.0}, {"id": 3, "amount": 15.5}]
    state = nightly_payouts(tonight, return_state=True)
    print(f"The night's run ended {state.name}")
    print_state_log()
