"""Artifacts: a run's published results, shown in Prefect's UI (``prefect.artifacts``).

Markdown, tables, links, progress and images are recorded as `ArtifactCreated`
events (progress updates as `ArtifactUpdated`); the page draws them under the
output, as Prefect's UI does, and a terminal prints nothing, as Prefect prints
nothing. Each function returns the artifact's id. Inside an ``async def`` flow
or task it returns a coroutine to await, as Prefect's does.
"""

from __future__ import annotations

import json
import logging
import math
import re
import warnings
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from . import _msgs, current_run
from .run_events import ArtifactCreated, ArtifactUpdated
from .loggers import emit_logger_log
from .session import session

if TYPE_CHECKING:
    import uuid

T = TypeVar("T")
_KEY = re.compile(r"^[a-z0-9-]+$")


def _dispatch(fn: Callable[..., T]) -> Callable[..., T | Coroutine[Any, Any, T]]:
    """Prefect's ``async_dispatch``: in an async context the call gives a coroutine."""

    def call(*args: Any, _sync: bool | None = None, **kwargs: Any) -> T | Coroutine[Any, Any, T]:
        if _sync is None and current_run.in_async_context():

            async def acall() -> T:
                return fn(*args, **kwargs)

            acall.__name__ = acall.__qualname__ = f"a{fn.__name__}"
            return acall()
        return fn(*args, **kwargs)

    call.__name__ = call.__qualname__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


def _run_ids() -> tuple[str | None, str | None]:
    ctx = current_run.current()
    if ctx is None:
        return None, None
    run = ctx.run
    flow_run = current_run.current_flow_run()
    return (run.id if run.kind == "task" else None), (flow_run.id if flow_run is not None else None)


def _create(kind: str, data: Any, key: str | None, description: str | None) -> uuid.UUID:
    if key is not None and not _KEY.match(key):
        raise ValueError(_msgs.ARTIFACT_KEY_INVALID)
    if current_run.current() is None:
        warnings.warn(_msgs.ARTIFACT_OUTSIDE_RUN, FutureWarning, stacklevel=4)
    s = session()
    import uuid  # when first needed: importing it costs the page's first boot 17 ms

    artifact_id = uuid.UUID(s.new_id())
    task_run_id, flow_run_id = _run_ids()
    s.emit(ArtifactCreated(str(artifact_id), kind, key, description, data, task_run_id, flow_run_id, s.now()))
    return artifact_id


def _markdown(markdown: str, key: str | None = None, description: str | None = None) -> uuid.UUID:
    return _create("markdown", markdown, key, description)


def _table(table: Any, key: str | None = None, description: str | None = None) -> uuid.UUID:
    return _create("table", json.dumps(_sanitize(table)), key, description)


def _link(link: str, link_text: str | None = None, key: str | None = None, description: str | None = None) -> uuid.UUID:
    return _create("markdown", f"[{link_text or link}]({link})", key, description)


def _progress(progress: float, key: str | None = None, description: str | None = None) -> uuid.UUID:
    return _create("progress", _clamp(progress), key, description)


def _image(image_url: str, key: str | None = None, description: str | None = None) -> uuid.UUID:
    return _create("image", image_url, key, description)


def _update_progress(artifact_id: uuid.UUID, progress: float, description: str | None = None) -> uuid.UUID:
    s = session()
    s.emit(ArtifactUpdated(str(artifact_id), _clamp(progress), description, s.now()))
    return artifact_id


def _sanitize(item: Any) -> Any:
    """NaN becomes None (null), as Prefect's TableArtifact does."""
    if isinstance(item, list):
        return [_sanitize(sub) for sub in item]
    if isinstance(item, dict):
        return {k: _sanitize(v) for k, v in item.items()}
    if isinstance(item, float) and math.isnan(item):
        return None
    return item


def _clamp(progress: float) -> float:
    if 0.0 <= progress <= 100.0:
        return progress
    emit_logger_log("prefect.artifacts", logging.WARNING, f"ProgressArtifact received an invalid value, Progress: {progress}%")
    progress = max(0.0, min(progress, 100.0))
    emit_logger_log("prefect.artifacts", logging.WARNING, f"Interpreting as {progress}% progress")
    return progress


create_markdown_artifact = _dispatch(_markdown)
create_markdown_artifact.__name__ = "create_markdown_artifact"
create_table_artifact = _dispatch(_table)
create_table_artifact.__name__ = "create_table_artifact"
create_link_artifact = _dispatch(_link)
create_link_artifact.__name__ = "create_link_artifact"
create_progress_artifact = _dispatch(_progress)
create_progress_artifact.__name__ = "create_progress_artifact"
create_image_artifact = _dispatch(_image)
create_image_artifact.__name__ = "create_image_artifact"
update_progress_artifact = _dispatch(_update_progress)
update_progress_artifact.__name__ = "update_progress_artifact"

__all__ = [
    "create_image_artifact", "create_link_artifact", "create_markdown_artifact", "create_progress_artifact",
    "create_table_artifact", "update_progress_artifact",
]  # fmt: skip
