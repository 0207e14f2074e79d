"""Where a job step's job writes: its S3 outputs and the property files read from them.

Taken from the step's resolved ``Arguments`` (the Create*Job request): a Processing step's
``ProcessingOutputConfig.Outputs[].S3Output.S3Uri`` by ``OutputName``; the ``S3OutputPath`` of
a Training (``OutputDataConfig``), Transform (``TransformOutput``) or Tuning step; a Training
step's ``CheckpointConfig.S3Uri``. A property file is ``<its output's S3Uri>/<FilePath>``
(spec section 10; DG "Pass Data Between Steps").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..definition import StepDef


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def step_outputs(step_type: str, arguments: Any) -> dict[str, str]:
    """Output name -> S3 URI of everything the step's job may write (see the module docstring)."""
    found: dict[str, str] = {}
    outputs = _get(arguments, "ProcessingOutputConfig", "Outputs")
    for output in outputs if isinstance(outputs, list) else []:
        uri = _get(output, "S3Output", "S3Uri")
        if isinstance(uri, str) and isinstance(_get(output, "OutputName"), str):
            found[output["OutputName"]] = uri
    for path in (
        ("OutputDataConfig", "S3OutputPath"),
        ("TransformOutput", "S3OutputPath"),
        ("TrainingJobDefinition", "OutputDataConfig", "S3OutputPath"),
    ):
        uri = _get(arguments, *path)
        if isinstance(uri, str):
            found["S3OutputPath"] = uri
    checkpoint = _get(arguments, "CheckpointConfig", "S3Uri")
    if isinstance(checkpoint, str):
        found["CheckpointConfig"] = checkpoint
    return found


def property_file_uris(step: StepDef, outputs: dict[str, str]) -> dict[str, str]:
    """PropertyFileName -> ``<output S3Uri>/<FilePath>`` for the files whose output is known."""
    return {
        pf.name: f"{outputs[pf.output_name].rstrip('/')}/{pf.file_path}"
        for pf in step.property_files
        if pf.output_name in outputs
    }


def within_outputs(uri: str, prefixes: Iterable[str]) -> bool:
    """Whether ``uri`` is one of the output URIs or lies under one (as a folder)."""
    for prefix in prefixes:
        base = prefix.rstrip("/")
        if uri == base or uri.startswith(base + "/"):
            return True
    return False
