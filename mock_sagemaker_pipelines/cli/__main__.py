"""``python -m mock_sagemaker_pipelines.cli``: the same as the ``mock-sagemaker-pipelines``
script."""

from __future__ import annotations

import sys

from . import main

if __name__ == "__main__":  # pragma: no cover - python -m mock_sagemaker_pipelines.cli
    sys.exit(main())
