"""Black-box tests of the create-time checks of job-step ``Arguments`` against the botocore
request shape of the step's API (``docs/argument-types.md``), through boto3 on the mock and the
``validate`` command line.

Every refusal is a ``ValidationException`` with every problem in one message, and leaves no
pipeline behind.
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
    get,
    join,
    lambda_step,
    model_step,
    parameter,
    processing_step,
    register_model_step,
    training_step,
    with_arguments,
)

PARSE = "Unable to parse pipeline definition."

PARAMETERS = [
    parameter("S", "String", "sg-1"),
    parameter("K", "Integer", 3),
    parameter("F", "Float", 0.5),
    parameter("B", "Boolean", False),
]


def _create(text: str, **options: Any) -> Any:
    """CreatePipeline ``text`` inside a fresh mock; returns the pipelines listed afterwards, or
    raises the ClientError (after checking that nothing was created)."""
    with mock_sagemaker_pipelines(**options):
        sm = boto3.client("sagemaker", region_name=REGION)
        try:
            sm.create_pipeline(PipelineName="pipe", RoleArn=ROLE, PipelineDefinition=text)
        except ClientError:
            assert sm.list_pipelines()["PipelineSummaries"] == []
            raise
        return sm.list_pipelines()["PipelineSummaries"]


def refused(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    """The ValidationException message CreatePipeline gives for these steps."""
    with pytest.raises(ClientError) as excinfo:
        _create(definition(steps, PARAMETERS if parameters is None else parameters))
    assert client_error_code(excinfo.value) == "ValidationException"
    return str(excinfo.value.response["Error"]["Message"])


def accepted(steps: list[dict[str, Any]]) -> None:
    assert len(_create(definition(steps, PARAMETERS))) == 1


def validate(tmp_path: Path, steps: list[dict[str, Any]], capsys: Any) -> tuple[int, list[str]]:
    path = tmp_path / "definition.json"
    path.write_text(definition(steps, PARAMETERS))
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    prefix = f"{path}: "
    return code, [line.removeprefix(prefix) for line in out.splitlines()]


def training(**arguments: Any) -> dict[str, Any]:
    return with_arguments(training_step("Train"), **arguments)


def processing(container_arguments: list[Any], **arguments: Any) -> dict[str, Any]:
    step = processing_step("Prep", outputs={"train": "s3://example-bucket/train"})
    step["Arguments"]["AppSpecification"]["ContainerArguments"] = container_arguments
    step["Arguments"].update(arguments)
    return step


# ------------------------------------------------------------------------- unknown members
def test_an_unknown_top_level_member_is_refused() -> None:
    message = refused([training(Foo=1)])
    assert message == f"{PARSE} Unknown Argument member 'Foo'. (Step 'Train' Arguments.Foo)"


def test_an_unknown_nested_member_is_refused_with_where_it_is() -> None:
    step = model_step("M", "s3://example-bucket/model.tar.gz")
    step["Arguments"]["PrimaryContainer"]["Bogus"] = "x"
    message = refused([step])
    assert message == (
        f"{PARSE} Unknown Argument member 'Bogus'. (Step 'M' Arguments.PrimaryContainer.Bogus)"
    )


def test_register_model_refuses_certify_for_marketplace() -> None:
    step = with_arguments(register_model_step("Reg", "s3://b/m"), CertifyForMarketplace=False)
    assert refused([step]) == (
        f"{PARSE} Unknown Argument member 'CertifyForMarketplace'. "
        "(Step 'Reg' Arguments.CertifyForMarketplace)"
    )


def test_generated_name_members_are_allowed() -> None:
    """``use_custom_job_prefix=True`` keeps the job names (SDK utilities.trim_request_dict)."""
    accepted(
        [
            training(TrainingJobName="my-prefix"),
            with_arguments(register_model_step("Reg", "s3://b/m"), ModelPackageName="pkg"),
        ]
    )


def test_lenient_definitions_turn_unknown_members_into_warnings() -> None:
    with pytest.warns(DefinitionWarning, match="Unknown Argument member 'Foo'"):
        summaries = _create(definition([training(Foo=1)]), lenient_definitions=True)
    assert len(summaries) == 1


def test_steps_inside_condition_branches_are_checked() -> None:
    inner = with_arguments(training_step("Inner"), Foo=1)
    cond = condition_step(
        "C", [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}], if_steps=[inner]
    )
    assert refused([cond]) == (
        f"{PARSE} Unknown Argument member 'Foo'. (Step 'Inner' Arguments.Foo)"
    )


# ------------------------------------------------------------------- arrays and objects
def test_a_parameter_where_a_json_array_is_needed_is_refused() -> None:
    vpc = {"SecurityGroupIds": get("Parameters.S"), "Subnets": ["subnet-1"]}
    assert refused([training(VpcConfig=vpc)]) == (
        f"{PARSE} Expecting start of Json Array. (Step 'Train' Arguments.VpcConfig.SecurityGroupIds)"
    )


def test_a_join_or_a_literal_string_where_a_json_array_is_needed_is_refused() -> None:
    message = refused([processing("--x", Environment={"A": "1"})])
    assert message == (
        f"{PARSE} Expecting start of Json Array. "
        "(Step 'Prep' Arguments.AppSpecification.ContainerArguments)"
    )
    step = processing(["--x"])
    step["Arguments"]["AppSpecification"]["ContainerEntrypoint"] = join(" ", "python", "x.py")
    assert refused([step]) == (
        f"{PARSE} Expecting start of Json Array. "
        "(Step 'Prep' Arguments.AppSpecification.ContainerEntrypoint)"
    )


def test_a_parameter_inside_the_array_is_fine() -> None:
    vpc = {"SecurityGroupIds": [get("Parameters.S")], "Subnets": ["subnet-1"]}
    accepted([training(VpcConfig=vpc)])


def test_a_string_where_a_structure_is_needed_is_refused() -> None:
    """SDK issue #3908: AutoMLJobObjective given as "F1"."""
    step = {
        "Name": "Auto",
        "Type": "AutoML",
        "Arguments": {
            "InputDataConfig": [
                {
                    "DataSource": {
                        "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in"}
                    },
                    "TargetAttributeName": "y",
                }
            ],
            "OutputDataConfig": {"S3OutputPath": "s3://b/out"},
            "RoleArn": ROLE,
            "AutoMLJobObjective": "F1",
        },
    }
    assert refused([step]) == (
        f"{PARSE} Expecting start of Json Object. (Step 'Auto' Arguments.AutoMLJobObjective)"
    )
    fixed = copy.deepcopy(step)
    fixed["Arguments"]["AutoMLJobObjective"] = {"MetricName": "F1"}
    accepted([fixed])


def test_a_list_where_a_map_is_needed_is_refused() -> None:
    assert refused([training(HyperParameters=["a"])]) == (
        f"{PARSE} Expecting start of Json Object. (Step 'Train' Arguments.HyperParameters)"
    )


# ------------------------------------------------------------------------ scalar literals
@pytest.mark.parametrize(
    ("member", "value", "slot"),
    [
        ("InstanceCount", "1", "Integer"),
        ("InstanceCount", 1.5, "Integer"),
        ("InstanceCount", True, "Integer"),
        ("InstanceType", 5, "String"),
    ],
)
def test_a_scalar_literal_of_the_wrong_json_type_is_refused(
    member: str, value: Any, slot: str
) -> None:
    step = training_step("Train")
    step["Arguments"]["ResourceConfig"][member] = value
    assert refused([step]) == (
        f"{PARSE} Cannot assign value {json.dumps(value)} to argument of type [{slot}]. "
        f"(Step 'Train' Arguments.ResourceConfig.{member})"
    )


def test_boolean_and_float_slots_and_integral_numbers() -> None:
    assert refused([training(EnableNetworkIsolation="true")]) == (
        f'{PARSE} Cannot assign value "true" to argument of type [Boolean]. '
        "(Step 'Train' Arguments.EnableNetworkIsolation)"
    )
    step = training(EnableNetworkIsolation=True)
    step["Arguments"]["ResourceConfig"]["InstanceCount"] = 1.0
    accepted([step])


def test_hyperparameter_values_must_be_strings() -> None:
    assert refused([training(HyperParameters={"epochs": 10})]) == (
        f"{PARSE} Cannot assign value 10 to argument of type [String]. "
        "(Step 'Train' Arguments.HyperParameters['epochs'])"
    )


# -------------------------------------------------------------- references and slot types
@pytest.mark.parametrize("name", ["K", "F", "B"])
def test_a_non_string_parameter_in_container_arguments_is_refused(name: str) -> None:
    """SDK issues #4867 (Integer), #2631 (Float), #2425 (Integer in job_arguments)."""
    assert refused([processing(["--n", get(f"Parameters.{name}")])]) == (
        f"Cannot assign property reference [Parameters.{name}] to argument of type [String]. "
        "(Step 'Prep' Arguments.AppSpecification.ContainerArguments[1])"
    )


def test_non_string_parameters_in_environment_and_hyperparameters_are_refused() -> None:
    step = training(
        Environment={"RATE": get("Parameters.F")},
        HyperParameters={"epochs": get("Parameters.K")},
    )
    assert refused([step]) == (
        "Cannot assign property reference [Parameters.F] to argument of type [String]. "
        "(Step 'Train' Arguments.Environment['RATE']); "
        "Cannot assign property reference [Parameters.K] to argument of type [String]. "
        "(Step 'Train' Arguments.HyperParameters['epochs'])"
    )


def test_step_outputs_are_typed_by_their_declared_or_describe_types() -> None:
    score = callback_step("Score", "https://sqs/q", outputs=[("n", "Integer"), ("s", "String")])
    first = training_step("First")
    second = training(
        Environment={
            "N": get("Steps.Score.OutputParameters['n']"),
            "S": get("Steps.Score.OutputParameters['s']"),
            "MSE": get("Steps.First.FinalMetricDataList['mse'].Value"),
            "MODEL": get("Steps.First.ModelArtifacts.S3ModelArtifacts"),
        }
    )
    assert refused([score, first, second]) == (
        "Cannot assign property reference [Steps.Score.OutputParameters['n']] to argument of "
        "type [String]. (Step 'Train' Arguments.Environment['N']); "
        "Cannot assign property reference [Steps.First.FinalMetricDataList['mse'].Value] to "
        "argument of type [String]. (Step 'Train' Arguments.Environment['MSE'])"
    )


def test_what_is_accepted_on_purpose() -> None:
    """String or Integer parameters as InstanceCount, a Join over an Integer, a JsonGet,
    execution variables, a parameter as a whole map, free-form Lambda arguments."""
    step = training(
        Environment={
            "K": join("", get("Parameters.K")),
            "RUN": get("Execution.PipelineExecutionId"),
            "T": {"Std:JsonGet": {"S3Uri": "s3://b/x.json", "Path": "a.b"}},
        },
        HyperParameters=get("Parameters.S"),
    )
    step["Arguments"]["ResourceConfig"]["InstanceCount"] = get("Parameters.S")
    step["Arguments"]["StoppingCondition"]["MaxRuntimeInSeconds"] = get("Parameters.K")
    other = training_step("Other")
    other["Arguments"]["ResourceConfig"]["InstanceCount"] = get("Parameters.K")
    free = lambda_step("L", "arn:aws:lambda:us-east-1:123456789012:function:f", {"k": 1})
    free["Arguments"]["n"] = get("Parameters.K")
    accepted([step, other, free])


def test_emr_arguments_follow_the_emr_step_config() -> None:
    emr = {
        "Name": "Spark",
        "Type": "EMR",
        "Arguments": {
            "ClusterId": "j-1",
            "StepConfig": {"HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["a"]}},
        },
    }
    accepted([emr])
    bad = copy.deepcopy(emr)
    bad["Arguments"]["StepConfig"]["HadoopJarStep"]["Args"] = get("Parameters.S")
    bad["Arguments"]["Cluster"] = "x"
    assert refused([bad]) == (
        f"{PARSE} Expecting start of Json Array. "
        "(Step 'Spark' Arguments.StepConfig.HadoopJarStep.Args); "
        f"{PARSE} Unknown Argument member 'Cluster'. (Step 'Spark' Arguments.Cluster)"
    )


def test_update_pipeline_runs_the_same_checks() -> None:
    with mock_sagemaker_pipelines():
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(
            PipelineName="pipe", RoleArn=ROLE, PipelineDefinition=definition([training()])
        )
        with pytest.raises(ClientError) as excinfo:
            sm.update_pipeline(
                PipelineName="pipe", PipelineDefinition=definition([training(Foo=1)])
            )
        assert "Unknown Argument member 'Foo'" in excinfo.value.response["Error"]["Message"]
        described = sm.describe_pipeline(PipelineName="pipe")
        assert "Foo" not in json.loads(described["PipelineDefinition"])["Steps"][0]["Arguments"]


# ---------------------------------------------------------------------- command line
def test_validate_reports_the_same_problems(tmp_path: Path, capsys: Any) -> None:
    steps = [
        training(Foo=1, VpcConfig={"SecurityGroupIds": get("Parameters.S"), "Subnets": []}),
        processing(["--n", get("Parameters.K")]),
    ]
    code, lines = validate(tmp_path, steps, capsys)
    assert code == 1
    assert lines == [
        f"{PARSE} Unknown Argument member 'Foo'. (Step 'Train' Arguments.Foo)",
        f"{PARSE} Expecting start of Json Array. (Step 'Train' Arguments.VpcConfig.SecurityGroupIds)",
        "Cannot assign property reference [Parameters.K] to argument of type [String]. "
        "(Step 'Prep' Arguments.AppSpecification.ContainerArguments[1])",
    ]
    message = refused(steps)
    assert message == "; ".join(lines)


def test_validate_accepts_a_valid_definition(tmp_path: Path, capsys: Any) -> None:
    code, lines = validate(tmp_path, [training(), processing(["--n", "1"])], capsys)
    assert (code, lines) == (0, ["OK"])
