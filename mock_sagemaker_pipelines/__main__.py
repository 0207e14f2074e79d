"""``python -m mock_sagemaker_pipelines``: the ``mock-sagemaker-pipelines`` command line."""

from __future__ import annotations

from .cli import run

if __name__ == "__main__":  # pragma: no cover - python -m mock_sagemaker_pipelines
    run()
