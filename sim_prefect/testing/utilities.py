"""Prefect's test harness (``prefect.testing.utilities``): ``with prefect_test_harness(): ...``.

Prefect's harness starts a temporary API server on a fresh SQLite database for
the duration of the block, so that the runs a test makes land in a database of
their own, and puts the previous settings back afterwards. Here the session's
server is its store (store.py): the harness gives the session a fresh one for
the block's duration and puts the previous one back afterwards, so a test's
runs, logs, artifacts, variables and events are the block's own. Cached
results are kept where they always are, as under Prefect (its harness leaves
result storage alone).

There is no server to start: the harness prints none of Prefect's
"Starting temporary server" lines (the ``no-server`` difference in
PORT.yaml), and ``server_startup_timeout`` has nothing to wait for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..session import session
from ..store import Store


@contextlib.contextmanager
def prefect_test_harness(server_startup_timeout: int | None = 30) -> Iterator[None]:
    """Run the block's flows and tasks against a fresh, empty server (the session's store), then put the
    previous one back. ``server_startup_timeout``: how long Prefect waits for its server to start (here
    nothing starts)."""
    s = session()
    previous = s.use_store(Store())
    try:
        yield
    finally:
        s.use_store(previous)


__all__ = ["prefect_test_harness"]
