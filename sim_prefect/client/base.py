"""What Prefect's client hands back from a request that returns no object (``prefect.client.base``)."""

from __future__ import annotations

from typing import Any


class PrefectResponse:
    """An HTTP response, for the calls that return one (``delete_global_concurrency_limit_by_name``: 204)."""

    def __init__(self, status_code: int, content: Any = None) -> None:
        self.status_code = status_code
        self._content = content

    def json(self) -> Any:
        return self._content

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def __repr__(self) -> str:
        reason = {200: "OK", 201: "Created", 204: "No Content"}.get(self.status_code, "")
        return f"<Response [{self.status_code} {reason}]>".replace(" ]", "]")


PrefectResponse.__module__ = "prefect.client.base"

__all__ = ["PrefectResponse"]
