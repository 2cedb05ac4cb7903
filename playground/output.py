"""What a Run shows, as messages: streamed in order, batched under a flood, capped once.

Everything the learner's code prints, and every Prefect log line and event,
goes through one `Output`. It keeps the page responsive and the worker's
memory bounded, and it is the only place with a cap:

- at most `MAX_LINES` lines or `MAX_CHARS` characters of text are shown; the
  text that crosses the cap is cut there, so even a single 50 MB line shows
  its beginning, and one notice says what happened (the run goes on);
- at most `MAX_EVENTS` run and state events and artifacts reach the page;
- messages are posted in batches: at once while output is slow, at most every
  `BATCH_SECONDS` when it floods. Consecutive text of one stream is merged,
  so ``print("x", end="")`` in a loop becomes one message, not thousands.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sim_prefect.learner_clock import ORIGINAL

from . import ansi

# Real time for batching, whatever clock the learner's code reads (learner_clock.py).
_monotonic = ORIGINAL["monotonic"]

Message = dict[str, Any]

MAX_LINES = 2000
MAX_CHARS = 100_000
MAX_EVENTS = 5000
BATCH_SECONDS = 0.016
SOON_SECONDS = 0.002
CAP_NOTICE = "Output stopped after {limit}; the rest of the run continued without showing its output."
EVENTS_NOTICE = "The timeline stops after {limit:,} changes; the run continued."


class Output:
    """Collects one run's messages and hands them to `post` in batches (a JSON list per batch)."""

    def __init__(self, post: Callable[[str], None] | None = None, max_lines: int = MAX_LINES,
                 max_chars: int = MAX_CHARS) -> None:  # fmt: skip
        self.post = post
        self.max_lines = max_lines
        self.max_chars = max_chars
        self.lines = 0
        self.chars = 0
        self.events = 0
        self.capped = False
        self.parts: list[str] = []  # the text shown, for checks and tests
        self.batch: list[Message] = []
        self.last_post = 0.0
        self.styles = {"stdout": ansi.Style(), "stderr": ansi.Style()}  # colours carry over between writes

    # -- text -------------------------------------------------------------------------------
    def text(self, kind: str, text: str) -> None:
        """What the code wrote to stdout or stderr."""
        if not text or self.capped:
            return
        shown = self._within_cap(text)
        if shown:
            message = ansi.message(kind, shown, self.styles[kind])
            self.parts.append(message["text"])
            last = self.batch[-1] if self.batch else None
            if last is not None and last["type"] == kind and "segments" not in last and "segments" not in message:
                last["text"] += message["text"]
            else:
                self._add(message)
        if self.capped:
            self._cap_notice()

    def log(self, message: Message) -> None:
        """One Prefect log line (its text, and Prefect's colours as segments)."""
        if self.capped:
            return
        text = message["text"]
        shown = self._within_cap(text)
        self.parts.append(shown)
        if shown == text:
            self._add(message)
        elif shown:
            self._add({"type": "log", "level": message["level"], "text": shown, "segments": [[shown, None]]})
        if self.capped:
            self._cap_notice()

    def _within_cap(self, text: str) -> str:
        """The part of `text` that fits under the cap: all of it, unless this write crosses it."""
        cut = min(len(text), max(self.max_chars - self.chars, 0))
        room = self.max_lines - self.lines
        if room <= 0:
            cut = 0
        else:
            newline = -1
            for _ in range(room):  # the cut comes right after the line that fills the cap
                newline = text.find("\n", newline + 1, cut)
                if newline == -1:
                    break
            else:
                cut = newline + 1
        shown = text[:cut]
        self.chars += len(shown)
        self.lines += shown.count("\n")
        if cut < len(text):
            self.capped = True
        return shown

    def _cap_notice(self) -> None:
        limit = f"{self.max_lines:,} lines" if self.lines >= self.max_lines else f"{self.max_chars:,} characters"
        notice = CAP_NOTICE.format(limit=limit)
        ending = "" if not self.parts or self.parts[-1].endswith("\n") else "\n"
        self.parts.append(f"{ending}[{notice}]\n")
        self._add({"type": "notice", "text": notice}, urgent=True)

    # -- events and notices ---------------------------------------------------------------
    def event(self, event: dict[str, Any], soon: bool = False) -> None:
        """A run or state event; `soon`: the code may compute for long next, so post what is waiting
        (within `SOON_SECONDS`: a flood of task runs still goes in batches)."""
        self.events += 1
        if self.events <= MAX_EVENTS:
            self._add({"type": "event", "event": event}, interval=SOON_SECONDS if soon else BATCH_SECONDS)
        elif self.events == MAX_EVENTS + 1:
            self._add({"type": "notice", "text": EVENTS_NOTICE.format(limit=MAX_EVENTS)}, urgent=True)

    def artifact(self, view: Message) -> None:
        """An artifact for the page to show under the output (counted with the events)."""
        self.events += 1
        if self.events <= MAX_EVENTS:
            self._add(view)
        elif self.events == MAX_EVENTS + 1:
            self._add({"type": "notice", "text": EVENTS_NOTICE.format(limit=MAX_EVENTS)}, urgent=True)

    def message(self, message: Message, urgent: bool = False) -> None:
        """Anything else the page should know now (a stored result, an artifact)."""
        self._add(message, urgent)

    # -- batching -------------------------------------------------------------------------
    def _add(self, message: Message, urgent: bool = False, interval: float = BATCH_SECONDS) -> None:
        self.batch.append(message)
        now = _monotonic()
        if urgent or now - self.last_post >= interval:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        if self.batch and self.post is not None:
            self.post(json.dumps(self.batch))
        self.batch = []
        self.last_post = _monotonic() if now is None else now

    @property
    def shown(self) -> str:
        return "".join(self.parts)


class OutputStream:
    """A sys.stdout / sys.stderr stand-in that hands each write to the output (a Run's, a typed command's)."""

    def __init__(self, kind: str, output: Output) -> None:
        self.kind = kind
        self.output = output
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        self.output.text(self.kind, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def reconfigure(self, **options: Any) -> None:
        """As a text stream's: the page's streams already pass each write on at once."""


__all__ = ["CAP_NOTICE", "MAX_CHARS", "MAX_EVENTS", "MAX_LINES", "Output", "OutputStream"]
