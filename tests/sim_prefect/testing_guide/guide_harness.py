# docs: test-workflows.mdx "Run flows against a temporary database" (the context manager in a test)
from prefect import flow
from prefect.testing.utilities import prefect_test_harness


@flow
def my_favorite_flow():
    return 42


def test_my_favorite_flow():
  with prefect_test_harness():
      # run the flow against a temporary testing database
      assert my_favorite_flow() == 42
