"""``prefect.utilities``: only the parts example code imports (see the aliases)."""
