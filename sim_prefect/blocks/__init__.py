"""Blocks (``prefect.blocks``): `core.Block`, the base of every block, and `system.Secret`.

Prefect's notification and webhook blocks (``prefect.blocks.notifications``,
``prefect.blocks.webhook``) and storage blocks (``prefect.filesystems``) are not
imitated: importing them fails, naming the feature (aliases.py).
"""

from __future__ import annotations

from . import system

__all__ = ["system"]
