"""Run a ``@step`` function in-process with the SageMaker Python SDK that built it.

What the SDK's job entry point (``remote_function/invoke_function.py``) does in the training
container, done here with the SDK's own classes: build the pipeline ``Context`` from the
container arguments, load the function and its arguments from S3 with ``StoredFunction`` (its
deserialisation and integrity check: a SHA-256 digest, keyed by ``REMOTE_FUNCTION_SECRET_KEY``
in SDK 2.x releases that sign with HMAC, verified against the public key in that variable in
SDK 3.x), resolve its pipeline variables, call it and upload its return value; on an exception
upload the exception where ``result()`` and the SDK's error path look. The SDK is imported only
here and only when such a step runs: ``sagemaker.remote_function`` (2.x) or
``sagemaker.core.remote_function`` (3.x, with ``sagemaker.mlops``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import os
from dataclasses import dataclass
from types import ModuleType
from typing import Any

#: The package holding ``remote_function`` and the Session class, per SDK major version.
_SDK_MODULES: dict[int, tuple[str, str]] = {
    2: ("sagemaker.remote_function", "sagemaker.session"),
    3: ("sagemaker.core.remote_function", "sagemaker.core.helper.session_helper"),
}
#: Session defaults that keep the SDK from sending telemetry (real-clients.md section 3).
_SDK_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
#: Environment variable holding the key the job checks the payloads with (job.py).
SECRET_KEY_VARIABLE = "REMOTE_FUNCTION_SECRET_KEY"


@dataclass(frozen=True)
class _Sdk:
    stored_function: ModuleType
    serialization: ModuleType
    pipeline_variables: ModuleType
    session_class: Any


def sdk_missing(major: int) -> str | None:
    """Why SDK ``major`` cannot run a function here, or ``None`` when it can."""
    if major not in _SDK_MODULES:
        return f"SageMaker Python SDK {major}.x is not supported for in-process @step functions"
    try:
        _load(major)
    except ImportError as exc:
        return f"the SageMaker Python SDK {major}.x that built the step is not installed ({exc})"
    return None


def _load(major: int) -> _Sdk:
    package, session_module = _SDK_MODULES[major]
    return _Sdk(
        stored_function=importlib.import_module(f"{package}.core.stored_function"),
        serialization=importlib.import_module(f"{package}.core.serialization"),
        pipeline_variables=importlib.import_module(f"{package}.core.pipeline_variables"),
        session_class=importlib.import_module(session_module).Session,
    )


def parse_container_arguments(argv: list[str]) -> argparse.Namespace:
    """The options of the SDK's job entry point that locate and describe the function.

    Unknown options (``--client_python_version``, ``--dependency_settings``, ...) are ignored,
    as the entry point ignores them.
    """
    parser = argparse.ArgumentParser(add_help=False)
    for name in (
        "--region",
        "--s3_base_uri",
        "--s3_kms_key",
        "--run_in_context",
        "--pipeline_step_name",
        "--pipeline_execution_id",
        "--func_step_s3_dir",
        "--client_python_version",
        "--client_sagemaker_pysdk_version",
    ):
        parser.add_argument(name, type=str)
    parser.add_argument("--property_references", nargs="+", type=str, default=[])
    parser.add_argument("--serialize_output_to_json", type=str, default="false")
    args, _ = parser.parse_known_args(argv)
    return args


def _join(*parts: str | None) -> str:
    kept = [str(p).strip("/") for p in parts if p]
    head = kept[0] if kept else ""
    return "/".join([head.rstrip("/"), *kept[1:]]) if head.startswith("s3:") else "/".join(kept)


def _keyword(callable_: Any, names: tuple[str, ...], value: Any) -> dict[str, Any]:
    params = inspect.signature(callable_).parameters
    return {name: value for name in names if name in params}


def invoke(
    major: int, argv: list[str], environment: dict[str, str], boto_session: Any
) -> str | None:
    """Run the function a step's container arguments name; ``None`` on success, else the reason.

    The reason is what the training job reports: ``AlgorithmError: <repr of the exception>,
    exit code: 1`` (the SDK writes ``repr(error)`` to the job's failure file). The job's
    ``Environment`` is the function's ``os.environ`` while it runs.
    """
    sdk = _load(major)
    args = parse_container_arguments(argv)
    refs = args.property_references
    context = sdk.pipeline_variables.Context(
        step_name=args.pipeline_step_name,
        execution_id=args.pipeline_execution_id,
        property_references={refs[i]: refs[i + 1] for i in range(0, len(refs) - 1, 2)},
        serialize_output_to_json=str(args.serialize_output_to_json).lower() == "true",
        func_step_s3_dir=args.func_step_s3_dir,
    )
    session_kwargs = _keyword(sdk.session_class, ("sagemaker_config",), _SDK_CONFIG)
    session = sdk.session_class(boto_session=boto_session, **session_kwargs)
    stored_cls = sdk.stored_function.StoredFunction
    key = environment.get(SECRET_KEY_VARIABLE)
    stored = stored_cls(
        sagemaker_session=session,
        s3_base_uri=args.s3_base_uri,
        s3_kms_key=args.s3_kms_key,
        context=context,
        **_keyword(stored_cls, ("hmac_key", "signing_key"), key),
    )
    saved = dict(os.environ)
    os.environ.update({str(k): str(v) for k, v in environment.items()})
    try:
        stored.load_and_invoke()
        return None
    except (Exception, SystemExit) as exc:  # the container catches every error of the function
        error = exc
    finally:
        os.environ.clear()
        os.environ.update(saved)
    exception_uri = _join(
        args.s3_base_uri, args.pipeline_execution_id, args.pipeline_step_name, "exception"
    )
    serialize = sdk.serialization.serialize_exception_to_s3
    # An exception that cannot be pickled still fails the step, with its reason.
    with contextlib.suppress(Exception):
        serialize(
            exc=error,
            sagemaker_session=session,
            s3_uri=exception_uri,
            s3_kms_key=args.s3_kms_key,
            **_keyword(serialize, ("hmac_key",), key),
        )
    return f"AlgorithmError: {error!r}, exit code: 1"
