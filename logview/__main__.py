"""python -m logview"""

from __future__ import annotations

import sys

from logview.cli import main

if __name__ == "__main__":
    sys.exit(main())
