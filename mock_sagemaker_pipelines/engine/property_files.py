"""Property files and JSON in moto's S3: what ``Std:JsonGet`` reads (spec section 10).

A Processing step declares ``PropertyFiles`` (``PropertyFileName``, ``OutputName``,
``FilePath``); the file is ``<the output's S3Uri>/<FilePath>``. A test may script the file's
content (``succeeds(property_files=...)``); it is then also written to that S3 location so that
any other reader sees it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._moto import peers
from ..definition import ExpressionError, resolve_path
from .property_hints import how_to_script

if TYPE_CHECKING:
    from .run import StepRun


def read_json_from_s3(account_id: str, uri: str) -> Any:
    """Parse the JSON object at ``uri`` in moto's S3 of ``account_id`` (ExpressionError as a ClientError)."""
    try:
        bucket, key = peers.parse_s3_uri(uri)
        body = peers.read_s3_object(account_id, bucket, key)
        return json.loads(body)
    except (peers.PeerError, ValueError) as exc:
        raise ExpressionError(f"ClientError: Failed to read JSON from {uri}: {exc}") from exc


def _output_uri(run: StepRun, output_name: str) -> Any:
    return resolve_path(
        run.properties, ["ProcessingOutputConfig", "Outputs", output_name, "S3Output", "S3Uri"]
    )


def read_property_file(run: StepRun, name: str) -> Any:
    """The JSON the step wrote as property file ``name`` (raises ExpressionError as a ClientError)."""
    declared = {pf.name: pf for pf in run.step.property_files}
    if name not in declared:
        raise ExpressionError(f"ClientError: Step '{run.name}' has no property file '{name}'.")
    pf = declared[name]
    try:
        base = _output_uri(run, pf.output_name)
    except ExpressionError as exc:
        raise ExpressionError(
            f"ClientError: Property file '{name}' of step '{run.name}' names output "
            f"'{pf.output_name}', which the step does not have."
        ) from exc
    uri = f"{str(base).rstrip('/')}/{pf.file_path}"
    try:
        return read_json_from_s3(run.execution.account_id, uri)
    except ExpressionError as exc:
        cause = str(exc.__cause__ or exc)
        if cause.startswith("Unable to read "):
            cause = cause.split(": ", 1)[-1]
        raise ExpressionError(
            f"ClientError: Property file '{name}' of step '{run.name}' could not be read from "
            f"{uri} ({cause[:300]}). {how_to_script(run.name, name)}"
        ) from exc


def write_property_files(run: StepRun) -> None:
    """Put scripted property files where the job would have written them in moto's S3.

    A ``Std:JsonGet`` with an ``S3Uri`` (or any reader of the bucket) then sees the same JSON as
    one on the PropertyFile. Files whose output has no S3 URI are kept in memory only.
    """
    declared = {pf.name: pf for pf in run.step.property_files}
    ex = run.execution
    for name, content in run.property_files.items():
        pf = declared.get(name)
        if pf is None:
            continue
        try:
            base = _output_uri(run, pf.output_name)
            bucket, key = peers.parse_s3_uri(f"{str(base).rstrip('/')}/{pf.file_path}")
            peers.write_s3_object(
                ex.account_id, ex.region_name, bucket, key, json.dumps(content).encode()
            )
        except (ExpressionError, peers.PeerError, TypeError, ValueError):
            continue
