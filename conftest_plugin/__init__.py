"""The pytest plugin of mock-sagemaker-pipelines, as the repository's layout names it.

The plugin itself is :mod:`mock_sagemaker_pipelines.pytest_plugin`, installed through the
``pytest11`` entry point ``sagemaker_pipelines`` (turn it off with ``-p no:sagemaker_pipelines``).
This folder is not part of the wheel: a top-level ``conftest_plugin`` would be a name any other
distribution could also install. It re-exports the plugin's public names for code in this
repository that imports them from here; do not load it with ``-p conftest_plugin`` as well as
the entry point (the hooks would run twice).
"""

from mock_sagemaker_pipelines.pytest_plugin import (
    FIXTURE,
    INI_REPORT,
    MARKER,
    MARKER_SIGNATURE,
    REPORT_ENV,
    REPORT_MODES,
)

__all__ = ["FIXTURE", "INI_REPORT", "MARKER", "MARKER_SIGNATURE", "REPORT_ENV", "REPORT_MODES"]
