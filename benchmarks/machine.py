"""The machine a benchmark ran on: platform, CPU, Python and library versions."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any


def machine_info() -> dict[str, Any]:
    """Platform, CPU, Python and library versions of this run."""

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    cpu_model = platform.processor() or None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model,
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "moto": version("moto"),
        "boto3": version("boto3"),
        "botocore": version("botocore"),
        "mock_sagemaker_pipelines": version("mock-sagemaker-pipelines"),
        "sagemaker": version("sagemaker"),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
