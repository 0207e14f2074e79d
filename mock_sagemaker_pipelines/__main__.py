"""``python -m mock_sagemaker_pipelines``: the ``mock-sagemaker-pipelines`` command line."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":  # pragma: no cover - python -m mock_sagemaker_pipelines
    sys.exit(main())
