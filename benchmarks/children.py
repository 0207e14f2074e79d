"""Each benchmark cell in a fresh interpreter (``python -m benchmarks --child TASK``).

A fresh process keeps RSS high-water marks and leftover garbage from carrying from one cell to
the next; the child prints its result as one JSON line after :data:`RESULT_MARKER`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from .common import RESULT_MARKER, ROOT
from .scenarios import run_task


def run_child(task: dict[str, Any], isolate: bool) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter (``isolate``) or in this one; its result dict."""
    if not isolate:
        return run_task(task)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--child", json.dumps(task)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return dict(json.loads(line[len(RESULT_MARKER) :]))
    raise RuntimeError(
        f"benchmark child {task} failed (exit {proc.returncode}):\n"
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
