"""``python -m lessonbuild``: build the site (the options are in `cli.py`)."""

import sys

from .cli import main

sys.exit(main())
