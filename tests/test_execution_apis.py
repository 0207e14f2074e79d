"""DescribePipelineExecution, ListPipelineExecutions, ListPipelineExecutionSteps and
UpdatePipelineExecution (spec sections 3.8-3.11, 5), and their errors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ACCOUNT,
    REGION,
    ROLE,
    callback_step,
    client_error_code,
    condition_step,
    create,
    definition,
    describe_execution,
    fail_step,
    get,
    lambda_step,
    model_step,
    processing_step,
    register_model_step,
    run,
    same_time,
    start,
    status,
    step_list,
    steps_by_name,
    training_step,
    transform_step,
)

UNKNOWN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe/execution/zzzzzzzzzzzz"
MALFORMED = ["not-an-arn", f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe", "a" * 2049]


def _summaries(sm: Any, **extra: Any) -> list[dict[str, Any]]:
    return list(
        sm.list_pipeline_executions(PipelineName="pipe", **extra)["PipelineExecutionSummaries"]
    )


def _arns(sm: Any, **extra: Any) -> list[str]:
    return [s["PipelineExecutionArn"] for s in _summaries(sm, **extra)]


# ------------------------------------------------------------------ describe
def test_describe_a_running_execution(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    pipeline_arn = create(sm, [training_step("T")])
    arn = start(sm, PipelineExecutionDisplayName="run-1")
    described = describe_execution(sm, arn)
    assert described["PipelineArn"] == pipeline_arn
    assert described["PipelineExecutionArn"] == arn
    assert described["PipelineExecutionDisplayName"] == "run-1"
    assert described["PipelineExecutionStatus"] == "Executing"
    assert described["PipelineVersionId"] == 1
    assert same_time(described["CreationTime"], t0)
    assert "FailureReason" not in described
    assert "ParallelismConfiguration" not in described


def test_describe_tracks_status_and_last_modified_time(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    arn = run(sm, [training_step("T")])
    pipelines.run_until_idle()
    described = describe_execution(sm, arn)
    assert described["PipelineExecutionStatus"] == "Succeeded"
    assert same_time(described["CreationTime"], t0)
    assert same_time(described["LastModifiedTime"], t0 + timedelta(seconds=901))
    assert "FailureReason" not in described


def test_describe_shows_the_pipeline_parallelism(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")], ParallelismConfiguration={"MaxParallelExecutionSteps": 4})
    arn = start(sm)
    assert describe_execution(sm, arn)["ParallelismConfiguration"] == {
        "MaxParallelExecutionSteps": 4
    }


def test_describe_resolves_the_experiment_config(pipelines: PipelinesMock, sm: Any) -> None:
    document = json.loads(definition([training_step("T")]))
    document["PipelineExperimentConfig"] = {
        "ExperimentName": {"Get": "Execution.PipelineName"},
        "TrialName": {
            "Std:Join": {"On": "-", "Values": ["trial", {"Get": "Execution.PipelineExecutionId"}]}
        },
    }
    sm.create_pipeline(
        PipelineName="with-experiment", RoleArn=ROLE, PipelineDefinition=json.dumps(document)
    )
    arn = start(sm, name="with-experiment")
    assert describe_execution(sm, arn)["PipelineExperimentConfig"] == {
        "ExperimentName": "with-experiment",
        "TrialName": f"trial-{arn.rsplit('/', 1)[-1]}",
    }
    plain = run(sm, [training_step("T")])
    assert "PipelineExperimentConfig" not in describe_execution(sm, plain)


# ---------------------------------------------------------------------- list
def _three_executions(pipelines: PipelinesMock, sm: Any) -> list[str]:
    create(sm, [training_step("T")])
    arns = []
    for _ in range(3):
        arns.append(start(sm))
        pipelines.advance(60)
    return arns


def test_list_newest_first_by_default(pipelines: PipelinesMock, sm: Any) -> None:
    arns = _three_executions(pipelines, sm)
    assert _arns(sm) == list(reversed(arns))
    assert _arns(sm, SortBy="CreationTime", SortOrder="Descending") == list(reversed(arns))
    assert _arns(sm, SortOrder="Ascending") == arns
    summary = _summaries(sm)[0]
    assert summary["PipelineExecutionStatus"] == "Executing"
    assert summary["StartTime"] == describe_execution(sm, arns[-1])["CreationTime"]
    assert "PipelineExecutionDisplayName" in summary


def test_list_sorted_by_arn(pipelines: PipelinesMock, sm: Any) -> None:
    arns = _three_executions(pipelines, sm)
    assert _arns(sm, SortBy="PipelineExecutionArn", SortOrder="Ascending") == sorted(arns)
    assert _arns(sm, SortBy="PipelineExecutionArn", SortOrder="Descending") == sorted(
        arns, reverse=True
    )


def test_list_filters_by_creation_time(pipelines: PipelinesMock, sm: Any) -> None:
    arns = _three_executions(pipelines, sm)
    times = [describe_execution(sm, a)["CreationTime"] for a in arns]
    middle = times[1]
    assert _arns(sm, CreatedAfter=middle - timedelta(seconds=1), SortOrder="Ascending") == arns[1:]
    assert _arns(sm, CreatedBefore=middle + timedelta(seconds=1), SortOrder="Ascending") == arns[:2]
    assert _arns(
        sm, CreatedAfter=middle - timedelta(seconds=1), CreatedBefore=middle + timedelta(seconds=1)
    ) == [arns[1]]
    assert _arns(sm, CreatedAfter=times[-1] + timedelta(seconds=1)) == []


def test_list_pagination(pipelines: PipelinesMock, sm: Any) -> None:
    arns = _three_executions(pipelines, sm)
    page = sm.list_pipeline_executions(PipelineName="pipe", MaxResults=2, SortOrder="Ascending")
    assert [s["PipelineExecutionArn"] for s in page["PipelineExecutionSummaries"]] == arns[:2]
    rest = sm.list_pipeline_executions(
        PipelineName="pipe", MaxResults=2, SortOrder="Ascending", NextToken=page["NextToken"]
    )
    assert [s["PipelineExecutionArn"] for s in rest["PipelineExecutionSummaries"]] == arns[2:]
    assert "NextToken" not in rest
    paginator = sm.get_paginator("list_pipeline_executions")
    pages = list(paginator.paginate(PipelineName="pipe", PaginationConfig={"PageSize": 1}))
    assert [
        s["PipelineExecutionArn"] for p in pages for s in p["PipelineExecutionSummaries"]
    ] == list(reversed(arns))


def test_list_by_pipeline_arn_and_only_that_pipeline(pipelines: PipelinesMock, sm: Any) -> None:
    pipeline_arn = create(sm, [training_step("T")])
    create(sm, [training_step("T")], name="other")
    mine = start(sm)
    start(sm, name="other")
    listed = sm.list_pipeline_executions(PipelineName=pipeline_arn)["PipelineExecutionSummaries"]
    assert [s["PipelineExecutionArn"] for s in listed] == [mine]


def test_list_of_a_pipeline_without_executions(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    assert _summaries(sm) == []


def test_list_of_an_unknown_pipeline(pipelines: PipelinesMock, sm: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sm.list_pipeline_executions(PipelineName="nope")
    assert client_error_code(exc.value) == "ResourceNotFound"


def test_list_shows_the_failure_reason(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [fail_step("F", "bad")])
    pipelines.run_until_idle()
    (summary,) = _summaries(sm)
    assert summary["PipelineExecutionArn"] == arn
    assert summary["PipelineExecutionStatus"] == "Failed"
    assert (
        summary["PipelineExecutionFailureReason"] == "Step failure: One or multiple steps failed."
    )


# --------------------------------------------------------------------- steps
def test_steps_list_only_started_steps(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("A"), training_step("B", depends_on=["A"])])
    assert [s["StepName"] for s in step_list(sm, arn)] == ["A"]


def test_steps_newest_first_and_ascending(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        processing_step("First"),
        processing_step("Second", depends_on=["First"]),
        processing_step("Third", depends_on=["Second"]),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()
    assert [s["StepName"] for s in step_list(sm, arn)] == ["Third", "Second", "First"]
    assert [s["StepName"] for s in step_list(sm, arn, SortOrder="Descending")] == [
        "Third",
        "Second",
        "First",
    ]
    assert [s["StepName"] for s in step_list(sm, arn, SortOrder="Ascending")] == [
        "First",
        "Second",
        "Third",
    ]


def test_steps_pagination(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [processing_step(f"S{i}", depends_on=[f"S{i - 1}"] if i else None) for i in range(5)]
    arn = run(sm, steps)
    pipelines.run_until_idle()
    page = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=2)
    names = [s["StepName"] for s in page["PipelineExecutionSteps"]]
    assert names == ["S4", "S3"]
    while "NextToken" in page:
        page = sm.list_pipeline_execution_steps(
            PipelineExecutionArn=arn, MaxResults=2, NextToken=page["NextToken"]
        )
        names += [s["StepName"] for s in page["PipelineExecutionSteps"]]
    assert names == ["S4", "S3", "S2", "S1", "S0"]
    ascending = sm.get_paginator("list_pipeline_execution_steps").paginate(
        PipelineExecutionArn=arn, SortOrder="Ascending", PaginationConfig={"PageSize": 3}
    )
    assert [s["StepName"] for p in ascending for s in p["PipelineExecutionSteps"]] == [
        f"S{i}" for i in range(5)
    ]


def test_bad_steps_pagination_token(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, NextToken="garbage!")
    assert client_error_code(exc.value) == "ValidationException"


def test_step_display_name_and_description(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T", DisplayName="Train the model", Description="trains it")])
    (step,) = step_list(sm, arn)
    assert step["StepDisplayName"] == "Train the model"
    assert step["StepDescription"] == "trains it"


def test_metadata_of_each_step_type(pipelines: PipelinesMock, sm: Any) -> None:
    import boto3

    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="cb")["QueueUrl"]
    function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:fn"
    pipelines.lambda_function(function_arn)(lambda event, context: {"answer": 42})
    artifacts = get("Steps.Train.ModelArtifacts.S3ModelArtifacts")
    steps = [
        training_step("Train"),
        processing_step("Process"),
        model_step("Model", artifacts),
        transform_step("Transform", get("Steps.Model.ModelName")),
        register_model_step("Register", artifacts),
        condition_step(
            "Cond",
            [{"Type": "Equals", "LeftValue": 1, "RightValue": 2}],
            else_steps=[fail_step("Fail", "the end")],
            depends_on=["Transform", "Register", "Process", "CB", "Fn"],
        ),
        callback_step("CB", url, outputs=[("out", "String")]),
        lambda_step("Fn", function_arn, outputs=[("answer", "Integer")]),
    ]
    arn = run(sm, steps)
    pipelines.advance(30)
    sm.send_pipeline_execution_step_success(
        CallbackToken=pipelines.callback_token("CB"),
        OutputParameters=[{"Name": "out", "Value": "x"}],
    )
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    prefix = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:"
    assert found["Train"]["Metadata"]["TrainingJob"]["Arn"].startswith(
        prefix + "training-job/pipelines-"
    )
    assert found["Process"]["Metadata"]["ProcessingJob"]["Arn"].startswith(
        prefix + "processing-job/pipelines-"
    )
    assert found["Model"]["Metadata"]["Model"]["Arn"].startswith(prefix + "model/pipelines-")
    assert found["Transform"]["Metadata"]["TransformJob"]["Arn"].startswith(
        prefix + "transform-job/pipelines-"
    )
    assert (
        found["Register"]["Metadata"]["RegisterModel"]["Arn"] == prefix + "model-package/mygroup/1"
    )
    assert found["Cond"]["Metadata"] == {"Condition": {"Outcome": "False"}}
    assert found["Fail"]["Metadata"] == {"Fail": {"ErrorMessage": "the end"}}
    callback = found["CB"]["Metadata"]["Callback"]
    assert len(callback["CallbackToken"]) == 10 and callback["CallbackToken"].isalnum()
    assert callback["SqsQueueUrl"] == url
    assert callback["OutputParameters"] == [{"Name": "out", "Value": "x"}]
    assert found["Fn"]["Metadata"]["Lambda"]["Arn"] == function_arn
    assert found["Fn"]["Metadata"]["Lambda"]["OutputParameters"] == [
        {"Name": "answer", "Value": "42"}
    ]
    for step in found.values():
        assert len(step["Metadata"]) == 1
    assert status(sm, arn) == "Failed"
    message = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert message["token"] == callback["CallbackToken"]


# -------------------------------------------------------------------- update
def test_update_display_name_and_description(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")], PipelineExecutionDisplayName="before")
    created = describe_execution(sm, arn)
    pipelines.advance(0.5)  # still Starting: nothing else has changed the execution
    response = sm.update_pipeline_execution(
        PipelineExecutionArn=arn,
        PipelineExecutionDisplayName="after",
        PipelineExecutionDescription="new words",
    )
    assert response["PipelineExecutionArn"] == arn
    described = describe_execution(sm, arn)
    assert described["PipelineExecutionDisplayName"] == "after"
    assert described["PipelineExecutionDescription"] == "new words"
    assert described["LastModifiedTime"] > created["LastModifiedTime"]
    assert same_time(described["LastModifiedTime"], pipelines.now())
    assert described["CreationTime"] == created["CreationTime"]
    (summary,) = _summaries(sm)
    assert summary["PipelineExecutionDisplayName"] == "after"


def test_update_only_the_description_keeps_the_display_name(
    pipelines: PipelinesMock, sm: Any
) -> None:
    arn = run(sm, [training_step("T")], PipelineExecutionDisplayName="keep-me")
    sm.update_pipeline_execution(PipelineExecutionArn=arn, PipelineExecutionDescription="d")
    described = describe_execution(sm, arn)
    assert described["PipelineExecutionDisplayName"] == "keep-me"
    assert described["PipelineExecutionDescription"] == "d"


def test_update_a_finished_execution(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    pipelines.run_until_idle()
    sm.update_pipeline_execution(PipelineExecutionArn=arn, PipelineExecutionDisplayName="renamed")
    described = describe_execution(sm, arn)
    assert described["PipelineExecutionDisplayName"] == "renamed"
    assert described["PipelineExecutionStatus"] == "Succeeded"
    with pytest.raises(ClientError) as exc:
        sm.update_pipeline_execution(
            PipelineExecutionArn=arn, ParallelismConfiguration={"MaxParallelExecutionSteps": 2}
        )
    assert client_error_code(exc.value) == "ConflictException"
    assert "ParallelismConfiguration" not in describe_execution(sm, arn)


def test_update_with_a_bad_display_name_changes_nothing(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")], PipelineExecutionDisplayName="before")
    before = describe_execution(sm, arn)
    with pytest.raises(ClientError) as exc:
        sm.update_pipeline_execution(
            PipelineExecutionArn=arn, PipelineExecutionDisplayName="bad name!"
        )
    assert client_error_code(exc.value) == "ValidationException"
    assert describe_execution(sm, arn) == before


# -------------------------------------------------------------------- errors
def _calls(sm: Any) -> list[tuple[str, Any]]:
    return [
        ("describe", lambda a: sm.describe_pipeline_execution(PipelineExecutionArn=a)),
        ("steps", lambda a: sm.list_pipeline_execution_steps(PipelineExecutionArn=a)),
        (
            "update",
            lambda a: sm.update_pipeline_execution(
                PipelineExecutionArn=a, PipelineExecutionDescription="x"
            ),
        ),
        ("stop", lambda a: sm.stop_pipeline_execution(PipelineExecutionArn=a)),
        (
            "definition",
            lambda a: sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=a),
        ),
        ("parameters", lambda a: sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=a)),
    ]


@pytest.mark.parametrize(
    "call", ["describe", "steps", "update", "stop", "definition", "parameters"]
)
def test_unknown_execution_is_resource_not_found(
    pipelines: PipelinesMock, sm: Any, call: str
) -> None:
    arn = run(sm, [training_step("T")])
    before = describe_execution(sm, arn)
    for unknown in (
        UNKNOWN,
        arn[:-1] + ("a" if arn[-1] != "a" else "b"),
        arn.replace("us-east-1", "eu-west-1"),
    ):
        with pytest.raises(ClientError) as exc:
            dict(_calls(sm))[call](unknown)
        assert client_error_code(exc.value) == "ResourceNotFound", unknown
    assert describe_execution(sm, arn) == before


@pytest.mark.parametrize(
    "call", ["describe", "steps", "update", "stop", "definition", "parameters"]
)
def test_malformed_execution_arn_is_a_validation_error(
    pipelines: PipelinesMock, sm: Any, call: str
) -> None:
    arn = run(sm, [training_step("T")])
    before = describe_execution(sm, arn)
    for malformed in MALFORMED:
        with pytest.raises(ClientError) as exc:
            dict(_calls(sm))[call](malformed)
        assert client_error_code(exc.value) == "ValidationException", malformed
    assert describe_execution(sm, arn) == before


def test_steps_without_an_execution_arn(pipelines: PipelinesMock, sm: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sm.list_pipeline_execution_steps()
    assert client_error_code(exc.value) == "ValidationException"


def test_execution_of_another_account_is_not_found(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    other = arn.replace(ACCOUNT, "111122223333")
    with pytest.raises(ClientError) as exc:
        sm.describe_pipeline_execution(PipelineExecutionArn=other)
    assert client_error_code(exc.value) == "ResourceNotFound"


def test_steps_listed_without_max_results_come_back_in_one_page(
    pipelines: PipelinesMock, sm: Any
) -> None:
    """The SageMaker SDK's ``list_steps()`` makes one call without MaxResults (spec section 3)."""
    steps = [training_step(f"T{i}") for i in range(130)]
    create(sm, steps, name="wide")
    arn = start(sm, "wide")
    pipelines.run_until_idle()
    page = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)
    assert len(page["PipelineExecutionSteps"]) == 130
    assert "NextToken" not in page
    limited = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=100)
    assert len(limited["PipelineExecutionSteps"]) == 100 and "NextToken" in limited
