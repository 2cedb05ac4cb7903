"""``prefect.client``: the objects Prefect's client hands to user code (hooks read them)."""
