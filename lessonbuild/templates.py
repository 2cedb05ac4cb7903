"""Jinja2 templates, with every template error turned into one line that names the template's line."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2

from .errors import BuildError


class Templates:
    """The page templates in one folder; `render` raises BuildError, never a Jinja traceback."""

    def __init__(self, folder: Path, display: str = "templates", bytecode_dir: Path | None = None) -> None:
        self.folder = folder
        self.display = display
        if bytecode_dir is not None:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            # Compiled templates, kept between builds (Jinja checks each one against its source).
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,  # --serve keeps one Environment; an edited template is re-read
        )

    def render(self, name: str, for_page: str, /, **context: Any) -> str:
        """Render `name`; `for_page` (the lesson being built) is named when the template is fine but its data is not."""
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{self.display}/{exc.name or name}"
            raise BuildError(where, exc.lineno, f"template error: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise BuildError(f"{self.display}/{name}", None, f"template error: no template '{exc.name}' in {self.display}/") from None
        except jinja2.TemplateError as exc:
            template, line = self._innermost_template_line(exc)
            where = f"{self.display}/{template or name}"
            raise BuildError(where, line, f"template error: {exc.message or exc} (while building {for_page})") from None

    def _innermost_template_line(self, exc: BaseException) -> tuple[str | None, int | None]:
        """Jinja rewrites tracebacks so template frames carry the template's file and line."""
        folder = str(self.folder.resolve())
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(folder):
                return Path(frame.filename).relative_to(folder).as_posix(), frame.lineno
        return None, None
