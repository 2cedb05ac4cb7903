"""Serving deployments (``prefect.runner``): the `Runner` (runner.py)."""

from __future__ import annotations

from .runner import Runner

__all__ = ["Runner"]
