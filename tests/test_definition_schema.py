"""Black-box tests of the definition schema checks: unknown keys and unknown step types are
refused at CreatePipeline/UpdatePipeline as the service refuses them, by ``validate`` too, and
let through with a ``DefinitionWarning`` under ``lenient_definitions`` / ``validate --lenient``.

Service wording: ``Unable to parse pipeline definition. Cannot parse object, unknown property
'<key>'.`` (https://github.com/aws/sagemaker-python-sdk/issues/2746); the mock adds where it
found the key as a sentence of its own. Known keys: what SDK 2.x and 3.x emit
(``docs/definition-schema.md``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import DefinitionWarning, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.cli import main

from .support import (
    REGION,
    ROLE,
    callback_step,
    client_error_code,
    condition_step,
    definition,
    lambda_step,
    model_step,
    parameter,
    processing_step,
    training_step,
)

UNKNOWN = "Unable to parse pipeline definition. Cannot parse object, unknown property"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/example-queue"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:example-fn"
SUPPORTED = (
    "[Athena, AutoML, BedrockCustomModel, BedrockCustomModelDeployment, BedrockModelImport, "
    "BedrockProvisionedModelThroughput, Callback, ClarifyCheck, Cleanup, Condition, EMR, "
    "EMRServerless, Endpoint, EndpointConfig, Fail, ForEach, HubContent, InferenceComponent, "
    "Job, Lambda, Lineage, Model, Processing, QualityCheck, RegisterModel, Training, Transform, "
    "Tuning]"
)


def unknown(key: str, where: str | None = None) -> str:
    """The expected message for an unknown key."""
    return f"{UNKNOWN} '{key}'." + (f" Found in {where}." if where else "")


def equals(left: Any, right: Any, **extra: Any) -> dict[str, Any]:
    return {"Type": "Equals", "LeftValue": left, "RightValue": right, **extra}


def fail_step(name: str, message: Any = "failed", **extra: Any) -> dict[str, Any]:
    return {"Name": name, "Type": "Fail", "Arguments": {"ErrorMessage": message}, **extra}


def doc(steps: list[dict[str, Any]], **top: Any) -> str:
    """A definition with extra top-level members."""
    body = json.loads(definition(steps))
    body.update(top)
    return json.dumps(body)


def with_key(step: dict[str, Any], path: tuple[Any, ...], key: str, value: Any) -> dict[str, Any]:
    """``step`` with ``key: value`` added to the object at ``path`` inside it."""
    step = copy.deepcopy(step)
    target: Any = step
    for part in path:
        target = target[part]
    target[key] = value
    return step


PROPERTY_FILE = {"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "e.json"}
JSON_GET = {
    "Std:JsonGet": {
        "PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"},
        "Path": "metrics.accuracy",
    }
}


def _eval_step() -> dict[str, Any]:
    return processing_step(
        "Eval", outputs={"evaluation": "s3://example-bucket/eval"}, property_files=[PROPERTY_FILE]
    )


def _check(conditions: list[dict[str, Any]], *before: dict[str, Any]) -> str:
    return definition([*before, condition_step("Check", conditions, if_steps=[], else_steps=[])])


#: (id, definition, the one problem it has: the exact message).
INVALID: list[tuple[str, str, str]] = [
    ("top-level", doc([training_step("T")], Bogus=1), unknown("Bogus")),
    (
        "parameter",
        definition(
            [training_step("T")], parameters=[{**parameter("P", "String", "x"), "Default": "y"}]
        ),
        unknown("Default", "parameter 'P'"),
    ),
    ("step-common", definition([training_step("T", Retry=[])]), unknown("Retry", "step 'T'")),
    (
        "property-files-on-training",
        definition([training_step("T", PropertyFiles=[PROPERTY_FILE])]),
        unknown("PropertyFiles", "step 'T'"),
    ),
    (
        "sqs-queue-url-on-lambda",
        definition([lambda_step("L", FUNCTION, SqsQueueUrl=QUEUE)]),
        unknown("SqsQueueUrl", "step 'L'"),
    ),
    (
        "cache-config-on-model",
        definition([model_step("M", "s3://b/model.tar.gz") | {"CacheConfig": {"Enabled": True}}]),
        unknown("CacheConfig", "step 'M'"),
    ),
    (
        "cache-config-on-fail",
        definition([fail_step("F", CacheConfig={"Enabled": True})]),
        unknown("CacheConfig", "step 'F'"),
    ),
    (
        "retry-policy",
        definition(
            [
                training_step(
                    "T",
                    RetryPolicies=[
                        {"ExceptionType": ["Step.THROTTLING"], "MaxAttempts": 3, "Backoff": 2}
                    ],
                )
            ]
        ),
        unknown("Backoff", "step 'T' at RetryPolicies[0]"),
    ),
    (
        "property-file",
        definition([with_key(_eval_step(), ("PropertyFiles", 0), "Path", "x")]),
        unknown("Path", "step 'Eval' at PropertyFiles[0]"),
    ),
    (
        "output-parameter",
        definition(
            [
                with_key(
                    callback_step("C", QUEUE, outputs=[("score", "Integer")]),
                    ("OutputParameters", 0),
                    "DefaultValue",
                    1,
                )
            ]
        ),
        unknown("DefaultValue", "step 'C' at OutputParameters[0]"),
    ),
    (
        "cache-config",
        definition([training_step("T", CacheConfig={"Enabled": True, "Expire": "PT1H"})]),
        unknown("Expire", "step 'T' at CacheConfig"),
    ),
    (
        "not-takes-condition-not-expression",
        _check([{"Type": "Not", "Expression": equals(1, 2)}]),
        unknown("Expression", "step 'Check' at Arguments.Conditions[0]"),
    ),
    (
        "nested-condition",
        _check([{"Type": "Not", "Condition": equals(1, 2, Values=[1])}]),
        unknown("Values", "step 'Check' at Arguments.Conditions[0].Condition"),
    ),
    (
        "in-takes-query-value-and-values",
        _check([{"Type": "In", "QueryValue": "a", "Values": ["a"], "Value": "a"}]),
        unknown("Value", "step 'Check' at Arguments.Conditions[0]"),
    ),
    (
        "binary-condition",
        _check([equals(1, 1, Operand=2)]),
        unknown("Operand", "step 'Check' at Arguments.Conditions[0]"),
    ),
    (
        "or-takes-conditions",
        _check([{"Type": "Or", "Conditions": [equals(1, 1)], "Condition": equals(1, 1)}]),
        unknown("Condition", "step 'Check' at Arguments.Conditions[0]"),
    ),
    (
        "std-join",
        definition([fail_step("F", {"Std:Join": {"On": "-", "Values": ["a"], "Separator": "-"}})]),
        unknown("Separator", "Std:Join of Step 'F'"),
    ),
    (
        "std-json-get",
        _check(
            [equals({"Std:JsonGet": {**JSON_GET["Std:JsonGet"], "Default": 0}}, 1)],
            _eval_step(),
        ),
        unknown("Default", "Std:JsonGet of Step 'Check'"),
    ),
    (
        "experiment-config",
        doc(
            [training_step("T")],
            PipelineExperimentConfig={"ExperimentName": "e", "TrialName": "t", "RunName": "r"},
        ),
        unknown("RunName", "PipelineExperimentConfig"),
    ),
    (
        "mlflow-config",
        doc([training_step("T")], MlflowConfig={"MlflowResourceArn": "arn", "Tracking": True}),
        unknown("Tracking", "MlflowConfig"),
    ),
    (
        "unknown-step-type",
        definition([{"Name": "Future", "Type": "QuantumTraining", "Arguments": {"Qubits": 7}}]),
        "Unable to parse pipeline definition. Step type 'QuantumTraining' of step 'Future' is "
        f"not supported. Supported step types: {SUPPORTED}.",
    ),
    (
        "unknown-step-type-in-a-branch",
        definition(
            [
                condition_step(
                    "Check",
                    [equals(1, 1)],
                    if_steps=[{"Name": "Future", "Type": "Foo", "Arguments": {}}],
                    else_steps=[],
                )
            ]
        ),
        "Unable to parse pipeline definition. Step type 'Foo' of step 'Future' is not "
        f"supported. Supported step types: {SUPPORTED}.",
    ),
]
IDS = [case[0] for case in INVALID]


def _message(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    assert client_error_code(excinfo.value) == "ValidationException"
    return str(excinfo.value.response["Error"]["Message"])


# ----------------------------------------------------------------------------- refused
@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in INVALID], ids=IDS)
def test_create_refuses_with_the_service_message_and_creates_nothing(
    sm: Any, body: str, expected: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="refused", RoleArn=ROLE, PipelineDefinition=body)

    assert _message(excinfo) == expected
    assert sm.list_pipelines()["PipelineSummaries"] == []


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in INVALID], ids=IDS)
def test_update_refuses_and_keeps_the_version(sm: Any, body: str, expected: str) -> None:
    valid = definition([training_step("T")])
    sm.create_pipeline(PipelineName="kept", RoleArn=ROLE, PipelineDefinition=valid)

    with pytest.raises(ClientError) as excinfo:
        sm.update_pipeline(PipelineName="kept", PipelineDefinition=body)

    assert _message(excinfo) == expected
    assert sm.describe_pipeline(PipelineName="kept")["PipelineDefinition"] == valid
    assert [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]] == ["kept"]


def test_every_problem_is_reported(sm: Any) -> None:
    body = definition([training_step("T", Retry=[], Extra=1)], parameters=[{"Nme": "Q"}])
    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="refused", RoleArn=ROLE, PipelineDefinition=body)

    message = _message(excinfo)
    assert unknown("Nme", "Parameters[0]") in message
    assert unknown("Retry", "step 'T'") in message
    assert unknown("Extra", "step 'T'") in message


def test_a_run_condition_entry_with_an_unknown_key_is_refused(sm: Any) -> None:
    step = training_step("B")
    step["DependsOn"] = [{"Step": "A", "Trigger": "Failed", "When": "always"}]
    body = definition([training_step("A"), step])
    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="refused", RoleArn=ROLE, PipelineDefinition=body)

    assert unknown("When", "step 'B' at DependsOn[0]") in _message(excinfo)


# ----------------------------------------------------------------------------- command line
def _validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["validate", *argv])
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in INVALID], ids=IDS)
def test_validate_refuses_the_same_definitions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, expected: str
) -> None:
    path = tmp_path / "definition.json"
    path.write_text(body)

    code, lines = _validate(capsys, str(path))

    assert code == 1
    assert lines == [f"{path}: {expected}"]


@pytest.mark.parametrize("body", [c[1] for c in INVALID], ids=IDS)
def test_validate_lenient_accepts_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str
) -> None:
    path = tmp_path / "definition.json"
    path.write_text(body)

    assert _validate(capsys, "--lenient", str(path)) == (0, [f"{path}: OK"])


# ----------------------------------------------------------------------------- lenient
@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in INVALID], ids=IDS)
def test_lenient_definitions_accepts_them_with_a_warning(body: str, expected: str) -> None:
    with mock_sagemaker_pipelines(lenient_definitions=True, report="off"):
        sm = boto3.client("sagemaker", region_name=REGION)
        with pytest.warns(DefinitionWarning) as record:
            sm.create_pipeline(PipelineName="lenient", RoleArn=ROLE, PipelineDefinition=body)

        assert expected in [str(w.message) for w in record]
        assert sm.describe_pipeline(PipelineName="lenient")["PipelineDefinition"] == body


def test_lenient_runs_an_unknown_step_type_and_a_not_with_expression() -> None:
    body = definition(
        [
            {"Name": "Future", "Type": "QuantumTraining", "Arguments": {}},
            condition_step(
                "Check",
                [{"Type": "Not", "Expression": equals(1, 2)}],
                if_steps=[fail_step("Yes", "negated")],
                else_steps=[],
            ),
        ]
    )
    with mock_sagemaker_pipelines(lenient_definitions=True, report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        with pytest.warns(DefinitionWarning):
            sm.create_pipeline(PipelineName="lenient", RoleArn=ROLE, PipelineDefinition=body)
        arn = sm.start_pipeline_execution(PipelineName="lenient")["PipelineExecutionArn"]
        pipelines.run_until_idle()
        steps = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]

    by_name = {s["StepName"]: s for s in steps}
    assert by_name["Future"]["StepStatus"] == "Succeeded"
    assert by_name["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert by_name["Yes"]["StepStatus"] == "Failed"


# ----------------------------------------------------------------------------- accepted
SDK_STEP_KEYS: list[tuple[str, dict[str, Any]]] = [
    (
        "processing-with-everything",
        {
            **_eval_step(),
            "DisplayName": "Evaluate",
            "Description": "d",
            "CacheConfig": {"Enabled": True, "ExpireAfter": "PT1H"},
            "RetryPolicies": [
                {
                    "ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"],
                    "IntervalSeconds": 1,
                    "BackoffRate": 2.0,
                    "MaxAttempts": 3,
                },
                {"ExceptionType": ["Step.THROTTLING"], "ExpireAfterMin": 5},
            ],
        },
    ),
    (
        "quality-check",
        {
            "Name": "Quality",
            "Type": "QualityCheck",
            "Arguments": {},
            "CacheConfig": {"Enabled": False},
            "CheckType": "DATA_QUALITY",
            "ModelPackageGroupName": "group",
            "SkipCheck": False,
            "FailOnViolation": True,
            "RegisterNewBaseline": False,
            "SuppliedBaselineStatistics": None,
            "SuppliedBaselineConstraints": None,
        },
    ),
    (
        "clarify-check",
        {
            "Name": "Clarify",
            "Type": "ClarifyCheck",
            "Arguments": {},
            "CheckType": "MODEL_BIAS",
            "ModelPackageGroupName": "group",
            "SkipCheck": False,
            "FailOnViolation": True,
            "RegisterNewBaseline": False,
            "SuppliedBaselineConstraints": None,
            "ModelName": "model",
        },
    ),
    (
        "callback",
        callback_step(
            "Wait", QUEUE, outputs=[("score", "Integer")], CacheConfig={"Enabled": False}
        ),
    ),
    (
        "lambda",
        lambda_step("Invoke", FUNCTION, outputs=[("v", "String")], CacheConfig={"Enabled": False}),
    ),
    (
        "emr",
        {
            "Name": "Emr",
            "Type": "EMR",
            "Arguments": {"ClusterId": "j-1", "StepConfig": {"HadoopJarStep": {"Jar": "a.jar"}}},
            "CacheConfig": {"Enabled": False},
            "RetryPolicies": [{"ExceptionType": ["Emr.RESOURCE_LIMIT"], "MaxAttempts": 2}],
        },
    ),
    (
        "run-condition-entry",
        {**training_step("After"), "DependsOn": [{"Step": "Eval", "Trigger": "Failed"}]},
    ),
]


@pytest.mark.parametrize("step", [c[1] for c in SDK_STEP_KEYS], ids=[c[0] for c in SDK_STEP_KEYS])
def test_the_keys_the_sdks_emit_are_not_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, step: dict[str, Any]
) -> None:
    """Other checks (Arguments, run conditions) may still speak; the key checks do not."""
    path = tmp_path / "definition.json"
    path.write_text(definition([_eval_step(), step]))

    _, lines = _validate(capsys, str(path))

    assert not [line for line in lines if UNKNOWN in line], lines


@pytest.mark.parametrize(
    "stype",
    [t.strip() for t in SUPPORTED.strip("[]").split(",")],
)
def test_every_known_step_type_passes_the_type_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stype: str
) -> None:
    path = tmp_path / "definition.json"
    path.write_text(definition([{"Name": "S", "Type": stype, "Arguments": {}}]))

    _, lines = _validate(capsys, str(path))

    assert not [line for line in lines if "Step type" in line or UNKNOWN in line], lines


def test_sdk_and_schema_forms_of_conditions_and_functions_are_accepted(sm: Any) -> None:
    body = _check(
        [
            {"Type": "Not", "Condition": equals(1, 2)},
            {"Type": "Or", "Conditions": [equals(1, 1), equals(2, 3)]},
            {"Type": "In", "QueryValue": "a", "Values": ["a", "b"]},
            {"Type": "In", "Value": "a", "In": ["a", "b"]},  # published schema alias
            {"Type": "GreaterThanOrEqualTo", "LeftValue": JSON_GET, "RightValue": 0},
            equals(
                {
                    "Std:JsonGet": {
                        "S3Uri": {"Std:Join": {"On": "/", "Values": ["s3://b", "results.json"]}},
                        "Path": "Result",
                    }
                },
                1,
            ),
        ],
        _eval_step(),
    )
    top = json.loads(body)
    top["PipelineExperimentConfig"] = {
        "ExperimentName": {"Get": "Execution.PipelineName"},
        "TrialName": {"Get": "Execution.PipelineExecutionId"},
    }
    top["MlflowConfig"] = {"MlflowResourceArn": "arn", "MlflowExperimentName": None}
    sm.create_pipeline(PipelineName="forms", RoleArn=ROLE, PipelineDefinition=json.dumps(top))

    top["MlflowConfig"] = None
    sm.update_pipeline(PipelineName="forms", PipelineDefinition=json.dumps(top))
