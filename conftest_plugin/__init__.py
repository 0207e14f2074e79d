"""The pytest plugin of mock-sagemaker-pipelines (registered as ``sagemaker_pipelines``).

Installed through the ``pytest11`` entry point, it loads whenever the package is installed and
is turned off with ``-p no:sagemaker_pipelines``. See :mod:`conftest_plugin.plugin`.
"""
