"""StartPipelineExecution (spec section 3.7), DescribePipelineDefinitionForExecution (3.15) and
ListPipelineParametersForExecution (3.16)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ACCOUNT,
    REGION,
    callback_step,
    client_error_code,
    create,
    definition,
    definition_of,
    join,
    parameter,
    resource_name,
    start,
    status,
    step_list,
    steps_by_name,
    training_step,
    with_arguments,
)

TOKEN = "t" * 40

PARAMETERS = [
    parameter("Count", "Integer", 2),
    parameter("Threshold", "Float", 6.0),
    parameter("Flag", "Boolean", False),
    parameter("Name", "String", "default-name"),
]


def _training_with_parameters() -> dict[str, Any]:
    """A Training step whose Arguments use every parameter of :data:`PARAMETERS`."""
    return with_arguments(
        training_step("T"),
        HyperParameters={
            "count": join("", {"Get": "Parameters.Count"}),
            "threshold": join("", {"Get": "Parameters.Threshold"}),
            "flag": join("", {"Get": "Parameters.Flag"}),
            "name": {"Get": "Parameters.Name"},
        },
    )


def _executions(sm: Any, name: str = "pipe") -> list[dict[str, Any]]:
    return list(sm.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"])


def _parameters(sm: Any, arn: str) -> dict[str, str]:
    items = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)[
        "PipelineParameters"
    ]
    return {p["Name"]: p["Value"] for p in items}


def test_start_by_name_returns_an_executing_execution(pipelines: PipelinesMock, sm: Any) -> None:
    pipeline_arn = create(sm, [training_step("T")])
    arn = start(sm)
    assert arn.startswith(pipeline_arn + "/execution/")
    execution_id = arn.rsplit("/", 1)[-1]
    assert len(execution_id) == 12
    assert execution_id.isalnum() and execution_id == execution_id.lower()
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Executing"
    assert described["PipelineArn"] == pipeline_arn
    assert described["PipelineVersionId"] == 1


def test_start_by_arn(pipelines: PipelinesMock, sm: Any) -> None:
    pipeline_arn = create(sm, [training_step("T")])
    arn = sm.start_pipeline_execution(PipelineName=pipeline_arn)["PipelineExecutionArn"]
    assert arn.startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe/execution/")
    assert status(sm, arn) == "Executing"
    assert [e["PipelineExecutionArn"] for e in _executions(sm)] == [arn]


def test_start_sets_pipeline_last_run_time(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    assert "LastRunTime" not in sm.describe_pipeline(PipelineName="pipe")
    pipelines.advance(30)
    arn = start(sm)
    created = sm.describe_pipeline_execution(PipelineExecutionArn=arn)["CreationTime"]
    assert sm.describe_pipeline(PipelineName="pipe")["LastRunTime"] == created


def test_unknown_pipeline_is_resource_not_found(pipelines: PipelinesMock, sm: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sm.start_pipeline_execution(PipelineName="nope")
    assert client_error_code(exc.value) == "ResourceNotFound"


def test_pipeline_arn_of_another_region_is_resource_not_found(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        sm.start_pipeline_execution(
            PipelineName=f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:pipeline/pipe"
        )
    assert client_error_code(exc.value) == "ResourceNotFound"
    assert _executions(sm) == []


def test_pipeline_version_id_runs_that_versions_definition(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [training_step("Old")])
    pipelines.advance(10)
    new_definition = definition([training_step("New1"), training_step("New2")])
    updated = sm.update_pipeline(PipelineName="pipe", PipelineDefinition=new_definition)
    assert updated["PipelineVersionId"] == 2
    updated_at = pipelines.now()

    old = start(sm, PipelineVersionId=1)
    latest = start(sm)
    assert sm.describe_pipeline_execution(PipelineExecutionArn=old)["PipelineVersionId"] == 1
    assert sm.describe_pipeline_execution(PipelineExecutionArn=latest)["PipelineVersionId"] == 2
    assert [s["Name"] for s in definition_of(sm, old)["Steps"]] == ["Old"]
    assert definition_of(sm, latest) == json.loads(new_definition)
    created = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=latest)
    assert created["CreationTime"] == updated_at
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, old)) == {"Old"}
    assert set(steps_by_name(sm, latest)) == {"New1", "New2"}


def test_definition_for_execution_is_a_snapshot(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("First")])
    arn = start(sm)
    sm.update_pipeline(
        PipelineName="pipe", PipelineDefinition=definition([training_step("Second")])
    )
    assert [s["Name"] for s in definition_of(sm, arn)["Steps"]] == ["First"]
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, arn)) == {"First"}
    created = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)[
        "CreationTime"
    ]
    assert created == sm.describe_pipeline(PipelineName="pipe")["CreationTime"]


def test_unknown_pipeline_version_is_refused(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        start(sm, PipelineVersionId=7)
    assert client_error_code(exc.value) == "ResourceNotFound"
    assert _executions(sm) == []


def test_defaults_are_merged_and_listed(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [_training_with_parameters()], PARAMETERS)
    arn = start(sm, PipelineParameters=[{"Name": "Count", "Value": "5"}])
    assert _parameters(sm, arn) == {
        "Count": "5",
        "Threshold": "6.0",
        "Flag": "false",
        "Name": "default-name",
    }
    pipelines.advance(1)
    job = sm.describe_training_job(TrainingJobName=resource_name(step_list(sm, arn)[0]))
    assert job["HyperParameters"] == {
        "count": "5",
        "threshold": "6.0",
        "flag": "false",
        "name": "default-name",
    }


def test_every_supplied_value_is_used(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [_training_with_parameters()], PARAMETERS)
    arn = start(
        sm,
        PipelineParameters=[
            {"Name": "Count", "Value": "-3"},
            {"Name": "Threshold", "Value": "2.5"},
            {"Name": "Flag", "Value": "True"},
            {"Name": "Name", "Value": "given"},
        ],
    )
    listed = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)[
        "PipelineParameters"
    ]
    assert [p["Name"] for p in listed] == ["Count", "Threshold", "Flag", "Name"]
    assert _parameters(sm, arn)["Name"] == "given"
    pipelines.advance(1)
    job = sm.describe_training_job(TrainingJobName=resource_name(step_list(sm, arn)[0]))
    assert job["HyperParameters"] == {
        "count": "-3",
        "threshold": "2.5",
        "flag": "true",
        "name": "given",
    }


def test_parameters_are_listed_with_pagination(pipelines: PipelinesMock, sm: Any) -> None:
    params = [parameter(f"P{i}", "String", f"v{i}") for i in range(5)]
    create(sm, [training_step("T")], params)
    arn = start(sm)
    first = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn, MaxResults=3)
    assert len(first["PipelineParameters"]) == 3
    second = sm.list_pipeline_parameters_for_execution(
        PipelineExecutionArn=arn, MaxResults=3, NextToken=first["NextToken"]
    )
    assert "NextToken" not in second
    names = [p["Name"] for p in first["PipelineParameters"] + second["PipelineParameters"]]
    assert names == [f"P{i}" for i in range(5)]


def test_no_parameters_lists_nothing(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    arn = start(sm)
    assert (
        sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
        == []
    )


@pytest.mark.parametrize(
    "supplied",
    [
        [{"Name": "Unknown", "Value": "1"}],
        [{"Name": "Count", "Value": "two"}],
        [{"Name": "Count", "Value": "1.5"}],
        [{"Name": "Threshold", "Value": "high"}],
        [{"Name": "Threshold", "Value": "1_0"}],
        [{"Name": "Threshold", "Value": "\uff11.\uff15"}],  # fullwidth digits
        [{"Name": "Threshold", "Value": "1.5\u2003"}],  # an em space
        [{"Name": "Flag", "Value": "yes"}],
        [{"Name": "Flag", "Value": "1"}],
        [{"Name": "Count", "Value": "1"}, {"Name": "Count", "Value": "2"}],
    ],
)
def test_bad_parameters_are_refused_and_start_nothing(
    pipelines: PipelinesMock, sm: Any, supplied: list[dict[str, str]]
) -> None:
    create(sm, [_training_with_parameters()], PARAMETERS)
    with pytest.raises(ClientError) as exc:
        start(sm, PipelineParameters=supplied)
    assert client_error_code(exc.value) == "ValidationException"
    assert _executions(sm) == []
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    assert "LastRunTime" not in sm.describe_pipeline(PipelineName="pipe")


def test_missing_value_without_default_is_refused(pipelines: PipelinesMock, sm: Any) -> None:
    params = [parameter("Needed", "String", has_default=False), parameter("Other", "Integer", 1)]
    create(
        sm,
        [with_arguments(training_step("T"), HyperParameters={"n": {"Get": "Parameters.Needed"}})],
        params,
    )
    with pytest.raises(ClientError) as exc:
        start(sm)
    assert client_error_code(exc.value) == "ValidationException"
    assert _executions(sm) == []
    arn = start(sm, PipelineParameters=[{"Name": "Needed", "Value": "here"}])
    assert _parameters(sm, arn) == {"Needed": "here", "Other": "1"}


def test_bad_parameters_leave_running_executions_alone(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [_training_with_parameters()], PARAMETERS)
    running = start(sm)
    pipelines.advance(1)
    before = sm.describe_pipeline_execution(PipelineExecutionArn=running)
    with pytest.raises(ClientError):
        start(sm, PipelineParameters=[{"Name": "Count", "Value": "x"}])
    after = sm.describe_pipeline_execution(PipelineExecutionArn=running)
    before.pop("ResponseMetadata")
    after.pop("ResponseMetadata")
    assert after == before
    assert [e["PipelineExecutionArn"] for e in _executions(sm)] == [running]


def test_parallelism_override_is_described_and_applied(pipelines: PipelinesMock, sm: Any) -> None:
    create(
        sm,
        [training_step("A"), training_step("B"), training_step("C")],
        ParallelismConfiguration={"MaxParallelExecutionSteps": 3},
    )
    default = start(sm)
    limited = start(sm, ParallelismConfiguration={"MaxParallelExecutionSteps": 1})
    assert sm.describe_pipeline_execution(PipelineExecutionArn=default)[
        "ParallelismConfiguration"
    ] == {"MaxParallelExecutionSteps": 3}
    assert sm.describe_pipeline_execution(PipelineExecutionArn=limited)[
        "ParallelismConfiguration"
    ] == {"MaxParallelExecutionSteps": 1}
    assert len(step_list(sm, default)) == 3
    assert len(step_list(sm, limited)) == 1


def test_display_name_and_description(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    arn = start(
        sm, PipelineExecutionDisplayName="my-run-1", PipelineExecutionDescription="first try"
    )
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionDisplayName"] == "my-run-1"
    assert described["PipelineExecutionDescription"] == "first try"
    (summary,) = _executions(sm)
    assert summary["PipelineExecutionDisplayName"] == "my-run-1"
    assert summary["PipelineExecutionDescription"] == "first try"
    # display names need not be unique (spec section 3.7)
    again = start(sm, PipelineExecutionDisplayName="my-run-1")
    assert again != arn


def test_display_name_defaults_to_something_valid(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    arn = start(sm)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    name = described["PipelineExecutionDisplayName"]
    assert 1 <= len(name) <= 82
    assert "PipelineExecutionDescription" not in described


def test_bad_display_name_is_a_validation_error(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        start(sm, PipelineExecutionDisplayName="not valid!")
    assert client_error_code(exc.value) == "ValidationException"
    assert _executions(sm) == []


def test_same_client_request_token_returns_the_same_execution(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [training_step("T")])
    first = start(sm, ClientRequestToken=TOKEN)
    pipelines.advance(5)
    second = start(sm, ClientRequestToken=TOKEN)
    assert second == first
    assert [e["PipelineExecutionArn"] for e in _executions(sm)] == [first]
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 1
    other = start(sm, ClientRequestToken="u" * 40)
    assert other != first
    assert len(_executions(sm)) == 2


def test_same_token_with_other_parameters_is_refused(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [_training_with_parameters()], PARAMETERS)
    first = start(
        sm, ClientRequestToken=TOKEN, PipelineParameters=[{"Name": "Count", "Value": "1"}]
    )
    with pytest.raises(ClientError) as exc:
        start(sm, ClientRequestToken=TOKEN, PipelineParameters=[{"Name": "Count", "Value": "2"}])
    assert client_error_code(exc.value) == "ValidationException"
    assert [e["PipelineExecutionArn"] for e in _executions(sm)] == [first]
    assert _parameters(sm, first)["Count"] == "1"


def test_same_token_after_the_execution_finished_starts_nothing(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [training_step("T")])
    first = start(sm, ClientRequestToken=TOKEN)
    pipelines.run_until_idle()
    assert start(sm, ClientRequestToken=TOKEN) == first
    assert status(sm, first) == "Succeeded"
    assert len(_executions(sm)) == 1


def test_token_too_long_is_a_validation_error(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        start(sm, ClientRequestToken="x" * 129)
    assert client_error_code(exc.value) == "ValidationException"
    assert _executions(sm) == []


def test_too_many_concurrent_executions() -> None:
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    with mock_sagemaker_pipelines(max_concurrent_executions=2) as pipelines:
        import boto3

        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [training_step("T")])
        first, _ = start(sm), start(sm)
        with pytest.raises(ClientError) as exc:
            start(sm)
        assert client_error_code(exc.value) == "ResourceLimitExceeded"
        assert len(_executions(sm)) == 2
        pipelines.run_until_idle()
        assert status(sm, first) == "Succeeded"
        start(sm)
        assert len(_executions(sm)) == 3


def test_callback_arguments_see_the_effective_parameters(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    params = [parameter("Id", "String", "abc"), parameter("N", "Integer", 3)]
    create(
        sm,
        [
            callback_step(
                "CB",
                url,
                arguments={
                    "out": join("/", "s3:/", "bucket", {"Get": "Parameters.Id"}),
                    "n": {"Get": "Parameters.N"},
                },
            )
        ],
        params,
    )
    start(sm, PipelineParameters=[{"Name": "Id", "Value": "xyz"}])
    pipelines.advance(1)
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    body = json.loads(message["Body"])
    assert body["arguments"] == {"out": "s3://bucket/xyz", "n": 3}
    sm.send_pipeline_execution_step_success(CallbackToken=body["token"])
    pipelines.run_until_idle()
    assert status(sm, body["pipelineExecutionArn"]) == "Succeeded"
