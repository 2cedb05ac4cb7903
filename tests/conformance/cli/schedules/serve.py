"""Page 6's file for real Prefect (demo/real/refresh_prices.py), served while the page's commands are typed."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[4] / "demo" / "real" / "refresh_prices.py"), run_name="__main__")
