"""``prefect.events.schemas``: see `events` (automations' triggers are not imitated)."""
