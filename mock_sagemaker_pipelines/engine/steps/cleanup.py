"""Cleanup steps (SageMaker Python SDK 3.x ``CleanupStep``): delete S3 outputs of source steps.

``Arguments = {"Resources": {"S3": [{"StepName", "S3Uris"?}]}}`` (``cleanup_step.py``). When
the step's duration has passed, each source is cleaned in moto's S3, in the account of the
execution, and the result is ``Metadata.Cleanup`` (botocore ``CleanupStepMetadata``):

* ``S3Uris`` given: each object is deleted (DeleteObject: a missing key is no error). "Each URI
  must be under that step's output location" (``S3CleanupSource`` docstring): for Processing,
  Training, Transform and Job sources a URI outside every output location of the source fails
  the source; other types are not checked.
* ``S3Uris`` left out: "the service [finds] the outputs from the source step (Training and
  Athena steps)": for a Training source every object under ``<S3OutputPath>/<job name>/`` (where
  the training job writes ``output/model.tar.gz`` and its other outputs) is deleted. A source of
  another type, one that never started, or a Training step without ``S3OutputPath``, is
  skipped: "The Cleanup step skips a step when the output properties needed to locate its
  resources are unavailable" (API_CleanupStepMetadata).
* "A source step that sets a ``VpcConfig`` can't be cleaned up" (``CleanupStep`` docstring): such
  a source (``VpcConfig``, ``NetworkConfig.VpcConfig``) fails, and so does one whose bucket is
  missing; a failed source is a ``FailedSteps`` entry ``{StepName, ErrorCode: "ClientError",
  ErrorMessage}``.

The step itself succeeds whatever its sources' outcomes (they are reported per source), unless
a test scripted it to fail. It has no properties (the SDK: "A `Properties` object is not
available for the `CleanupStep`"). A stop before its end deletes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..._moto.peers import PeerError, delete_s3_object, list_s3_keys, parse_s3_uri
from .base import StepKind, duration_of, outcome_for

if TYPE_CHECKING:
    from ..run import StepRun

#: ``CleanupFailure.ErrorMessage`` is at most 2048 characters (botocore ``String2048``).
_MAX_MESSAGE = 2048


class _SourceFailed(Exception):
    """A source whose outputs cannot be deleted; ``str()`` is the ErrorMessage."""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _output_locations(source: StepRun) -> list[str] | None:
    """The S3 output locations of the source's job, or None when the type has none known."""
    args = _mapping(source.arguments)
    stype = source.step.type
    if stype == "Processing":
        outputs = _mapping(args.get("ProcessingOutputConfig")).get("Outputs")
        return [
            str(_mapping(o.get("S3Output")).get("S3Uri", ""))
            for o in outputs or []
            if isinstance(o, Mapping)
        ]
    if stype == "Training":
        return [str(_mapping(args.get("OutputDataConfig")).get("S3OutputPath", ""))]
    if stype == "Transform":
        return [str(_mapping(args.get("TransformOutput")).get("S3OutputPath", ""))]
    if stype == "Job":
        try:
            document = json.loads(str(args.get("JobConfigDocument", "")))
        except ValueError:
            return []
        return [str(_mapping(_mapping(document).get("OutputDataConfig")).get("S3OutputPath", ""))]
    return None


def _under(uri: str, roots: list[str]) -> bool:
    for root in roots:
        root = root.rstrip("/")
        if root and (uri == root or uri.startswith(root + "/")):
            return True
    return False


def _has_vpc_config(source: StepRun) -> bool:
    args = _mapping(source.arguments)
    return bool(args.get("VpcConfig") or _mapping(args.get("NetworkConfig")).get("VpcConfig"))


def _delete_uris(account_id: str, source: StepRun, uris: list[Any]) -> None:
    roots = _output_locations(source)
    targets: list[tuple[str, str]] = []
    for uri in uris:
        try:
            targets.append(parse_s3_uri(str(uri)))
        except PeerError as exc:
            raise _SourceFailed(str(exc)) from exc
        if roots is not None and not _under(str(uri), roots):
            raise _SourceFailed(
                f"S3 URI {uri} is not under an output location of step '{source.name}'."
            )
    for bucket, key in targets:
        try:
            delete_s3_object(account_id, bucket, key)
        except PeerError as exc:
            raise _SourceFailed(f"Unable to delete s3://{bucket}/{key}: {exc}") from exc


def _training_prefix(source: StepRun) -> str | None:
    path = _mapping(_mapping(source.arguments).get("OutputDataConfig")).get("S3OutputPath")
    job_name = source.state.get("job_name")
    if not isinstance(path, str) or not path or not job_name:
        return None
    return f"{path.rstrip('/')}/{job_name}/"


def _delete_prefix(account_id: str, prefix_uri: str) -> None:
    try:
        bucket, prefix = parse_s3_uri(prefix_uri)
        for key in list_s3_keys(account_id, bucket, prefix):
            delete_s3_object(account_id, bucket, key)
    except PeerError as exc:
        raise _SourceFailed(f"Unable to delete the outputs under {prefix_uri}: {exc}") from exc


class CleanupStep(StepKind):
    """Deletes its sources' S3 outputs and reports them in ``Metadata.Cleanup``."""

    def executing(self, run: StepRun) -> None:
        outcome = outcome_for(run)
        delay = duration_of(run, outcome)
        if outcome is not None and not outcome.succeed:
            reason = outcome.reason or "ClientError: The step failed."
            run.schedule(delay, lambda: run.execution.fail_step(run, reason), "failed")
            return
        run.schedule(delay, lambda: self._clean(run), "clean")

    def _clean(self, run: StepRun) -> None:
        cleaned: list[str] = []
        failed: list[dict[str, str]] = []
        skipped: list[str] = []
        resources = _mapping(_mapping(run.arguments).get("Resources"))
        for entry in resources.get("S3") or []:
            entry = _mapping(entry)
            name = str(entry.get("StepName", ""))
            try:
                if self._clean_source(run, name, entry.get("S3Uris")):
                    cleaned.append(name)
                else:
                    skipped.append(name)
            except _SourceFailed as exc:
                failed.append(
                    {
                        "StepName": name,
                        "ErrorCode": "ClientError",
                        "ErrorMessage": str(exc)[:_MAX_MESSAGE],
                    }
                )
        run.metadata = {
            "Cleanup": {"CleanedSteps": cleaned, "FailedSteps": failed, "SkippedSteps": skipped}
        }
        run.execution.succeed_step(run)

    def _clean_source(self, run: StepRun, name: str, uris: Any) -> bool:
        """Delete one source's outputs: True when cleaned, False when skipped; raises
        :class:`_SourceFailed` when they cannot be deleted."""
        source = run.execution.runs.get(name)
        if source is None or source.status is None:
            return False
        if _has_vpc_config(source):
            raise _SourceFailed(
                f"Step '{name}' sets a VpcConfig; a Cleanup step can't delete its outputs."
            )
        account_id = run.execution.account_id
        if isinstance(uris, list) and uris:
            _delete_uris(account_id, source, uris)
            return True
        prefix = _training_prefix(source) if source.step.type == "Training" else None
        if prefix is None:
            return False
        _delete_prefix(account_id, prefix)
        return True
