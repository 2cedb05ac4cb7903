"""The expected output, pre-rendered as HTML: Prefect's colours, always escaped."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from sim_prefect.formatting import highlight

_LOG_LINE = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} \| ")


def render_output(text: str) -> Markup:
    """Each Prefect log line becomes styled spans; anything else stays plain text."""
    parts: list[str] = []
    for line in text.splitlines(True):
        if _LOG_LINE.match(line):
            for chunk, style in highlight(line):
                parts.append(f'<span class="log-{style}">{escape(chunk)}</span>' if style else str(escape(chunk)))
        else:
            parts.append(str(escape(line)))
    return Markup("".join(parts))
