"""``python -m sim_prefect.cli flow-run ls``: the Prefect CLI on sim_prefect, in a terminal.

The session is the one this process starts (``SIM_PREFECT_MODE`` and the
rest, as for any script), so it knows what this process does: a terminal at
home has no server that outlives a process, and the page's terminal calls
`sim_prefect.cli.run` on the page's session instead. The width is the
terminal's (``COLUMNS``), as rich's.
"""

from __future__ import annotations

import shutil
import sys

from . import run


def main() -> int:
    columns = shutil.get_terminal_size((80, 24)).columns
    return run(sys.argv[1:], columns=columns, stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin)


if __name__ == "__main__":
    sys.exit(main())
