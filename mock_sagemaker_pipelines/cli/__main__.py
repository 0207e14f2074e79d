"""``python -m mock_sagemaker_pipelines.cli``: the same as the ``mock-sagemaker-pipelines``
script."""

from __future__ import annotations

from . import run

if __name__ == "__main__":  # pragma: no cover - python -m mock_sagemaker_pipelines.cli
    run()
