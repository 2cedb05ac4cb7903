"""Tests of the lesson pages and everything they show (demo/, demo/real/, demo/lab/)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # for lesson_helpers
sys.path.insert(0, str(HERE.parents[1]))  # for sim_prefect and playground
