"""The expected output, pre-rendered as HTML: Prefect's colours, always escaped.

The colours come from sim_prefect's own formatter (`sim_prefect.formatting.highlight`),
the same code the page's worker uses, so the recorded output and a live run look
alike. It is imported only when a log is not in the build cache.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from .assets import stamp
from .cache import BuildCache, files_key

_LOG_LINE = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} \| ")


def render_output(text: str) -> Markup:
    """Each Prefect log line becomes styled spans; anything else stays plain text."""
    from sim_prefect.formatting import highlight

    parts: list[str] = []
    for line in text.splitlines(True):
        if _LOG_LINE.match(line):
            for chunk, style in highlight(line):
                parts.append(f'<span class="log-{style}">{escape(chunk)}</span>' if style else str(escape(chunk)))
        else:
            parts.append(str(escape(line)))
    return Markup("".join(parts))


@lru_cache(maxsize=4)
def _formatter_key(stamp: tuple[tuple[str, int, int], ...]) -> str:
    return files_key([Path(name) for name, _, _ in stamp], Path(__file__).read_bytes())


def formatter_key(code: Path) -> str:
    """What rendered output depends on besides the log: sim_prefect's sources and this module."""
    return _formatter_key(tuple(sorted(stamp((code / "sim_prefect").rglob("*.py")))))


def cached_output(text: str, code: Path, cache: BuildCache) -> Markup:
    key = files_key([], formatter_key(code), text)
    return Markup(cache.get_text("output", key, lambda: str(render_output(text))))
