"""The page's tests, for real Prefect: save beside orders.py (with `from prefect import ...`) and run
`pytest test_orders.py`. The fixture starts one temporary Prefect server for the whole session."""

import pytest
from prefect.logging import disable_run_logger
from prefect.testing.utilities import prefect_test_harness

import orders
from orders import load_orders, nightly_report, order_total


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


def busy_api(failures: int, answer: list):
    """A stand-in for the shop's API that is busy `failures` times, then answers; it counts the calls."""
    def fetch(day):
        fetch.calls += 1
        if fetch.calls <= failures:
            raise ConnectionError("503 Service Unavailable")
        return answer
    fetch.calls = 0
    return fetch


def test_load_orders_retries_a_busy_api(monkeypatch):
    api = busy_api(failures=2, answer=[{"id": 7}])
    monkeypatch.setattr(orders, "fetch_orders", api)
    quick = load_orders.with_options(retry_delay_seconds=0)
    assert quick("2026-03-02") == [{"id": 7}]
    assert api.calls == 3


def test_load_orders_gives_up_after_three_retries(monkeypatch):
    api = busy_api(failures=10, answer=[])
    monkeypatch.setattr(orders, "fetch_orders", api)
    quick = load_orders.with_options(retry_delay_seconds=0)
    state = quick("2026-03-02", return_state=True)
    assert state.is_failed()
    assert api.calls == 4
