import pytest
from sim_prefect.testing.utilities import prefect_test_harness

from payouts import check_payout, nightly_payouts


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    with prefect_test_harness():
        yield


def test_check_payout_refuses_a_negative_amount():
    with pytest.raises(ValueError):
        check_payout.fn({"id": 2, "amount": -40.0})


def test_nightly_payouts_adds_up_the_night():
    assert nightly_payouts([{"id": 1, "amount": 120.0}, {"id": 3, "amount": 15.5}]) == 135.5


# Your test: a night with a negative payout must end in a failed run.
