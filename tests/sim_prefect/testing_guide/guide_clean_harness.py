# docs: test-workflows.mdx "Stale state between tests" (a function-scoped harness: a clean database per test)
import pytest
from prefect import flow, get_client
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="function")
def clean_harness():
    with prefect_test_harness():
        yield


@flow
def counted_flow():
    return 1


def count_runs() -> int:
    with get_client(sync_client=True) as client:
        return client.count_flow_runs()


def test_needs_clean_database(clean_harness):
    # fresh temporary database for this test only
    assert count_runs() == 0
    counted_flow()
    assert count_runs() == 1


def test_needs_clean_database_too(clean_harness):
    assert count_runs() == 0
    counted_flow()
    counted_flow()
    assert count_runs() == 2
