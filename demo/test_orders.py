import pytest
from sim_prefect.loggers import disable_run_logger  # at home: from prefect.logging import ...
from sim_prefect.testing.utilities import prefect_test_harness  # at home: from prefect.testing...

from orders import nightly_report, order_total


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    with prefect_test_harness():
        yield


def test_order_total_applies_the_coupon():
    order = {"id": 1, "lines": [{"price": 20.0, "qty": 2}], "coupon": "TENOFF"}
    with disable_run_logger():
        assert order_total.fn(order) == 36.0


def test_nightly_report_adds_up_the_day():
    assert nightly_report("2026-03-02") == 61.5


def test_a_malformed_order_fails_the_run():
    state = nightly_report("2026-03-03", return_state=True)
    assert state.is_failed()
    with pytest.raises(KeyError):
        state.result()
