"""Global concurrency and rate limits (``prefect.concurrency``): see `sync` and `asyncio`.

Empty, as Prefect's is: ``from prefect import concurrency`` gives this module,
so the docs' ``with concurrency("database")`` after that import fails with
``TypeError: 'module' object is not callable``, as it does under Prefect.
"""
