"""``prefect.client.schemas``: see `objects`."""
