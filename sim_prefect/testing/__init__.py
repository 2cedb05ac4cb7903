"""``prefect.testing``: see `utilities` (``prefect_test_harness``)."""
