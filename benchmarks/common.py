"""What every benchmark module shares: paths, the account and role, variants, phases, clients and
the (wall, CPU) clock."""

from __future__ import annotations

import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SDK_SUITE = ROOT / "examples" / "sdk_suite"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelinesBenchmark"
#: Marks the result line a child process prints on stdout.
RESULT_MARKER = "@@BENCH-RESULT@@ "
VARIANTS = ("events-on", "events-off", "events-rule")
#: Variants run unless ``--variants`` says otherwise (events-rule is slow: see the README).
DEFAULT_VARIANTS = ("events-on", "events-off")
START_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)
#: The timed phases of one pipeline run, in order.
PHASES = ("create", "start", "run", "describe", "list")


def aws_client(service: str = "sagemaker") -> Any:
    """A boto3 client in the benchmark region with moto's fake credentials."""
    import boto3

    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
    )


def max_rss_bytes() -> int:
    """The process's peak resident set size (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def mark() -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds): CPU time is what other load on the machine
    disturbs least, wall time is what a test suite waits."""
    return time.perf_counter(), time.process_time()


def mib(value: float) -> float:
    """Bytes in MiB."""
    return value / (1024 * 1024)
