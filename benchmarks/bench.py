#!/usr/bin/env python
"""``python benchmarks/bench.py [options]``: the benchmark's command, the same as ``python -m benchmarks``.

A thin shim kept so that the documented command works; the code is the ``benchmarks`` package.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.__main__ import main

    sys.exit(main())
