"""Pipeline version aliases through boto3 (botocore 1.44 model; ``docs/behaviour.md``).

CreatePipeline/UpdatePipeline ``PipelineVersionAliases``, UpdatePipelineVersion
``PipelineVersionAliasOperations``, ``PipelineVersionAlias`` on DescribePipeline,
StartPipelineExecution and ListPipelineExecutions, the aliases echoed in every shape that
carries them, and every documented refusal leaving the state as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .support import ROLE, callback_step, client_error_code, definition, training_step

V1 = definition([training_step("Train")])
V2 = definition([training_step("Train"), training_step("Evaluate", depends_on=["Train"])])
V3 = definition([training_step("Only")])


def _create(sm: Any, aliases: list[str] | None = None, name: str = "pipe") -> str:
    extra = {"PipelineVersionAliases": aliases} if aliases is not None else {}
    return str(
        sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=V1, **extra)[
            "PipelineArn"
        ]
    )


def _aliases_by_version(sm: Any, name: str = "pipe") -> dict[int, list[str]]:
    versions = sm.list_pipeline_versions(PipelineName=name)["PipelineVersionSummaries"]
    return {v["PipelineVersionId"]: v.get("PipelineVersionAliases", []) for v in versions}


def _refused(call: Any, **kwargs: Any) -> ClientError:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value


def test_create_assigns_aliases_to_version_1_and_describe_echoes_them(sm: Any) -> None:
    _create(sm, ["prod", "v1.0_rc-1"])
    described = sm.describe_pipeline(PipelineName="pipe")
    assert described["PipelineVersionAliases"] == ["prod", "v1.0_rc-1"]
    by_alias = sm.describe_pipeline(PipelineName="pipe", PipelineVersionAlias="prod")
    assert by_alias["PipelineDefinition"] == V1
    assert _aliases_by_version(sm) == {1: ["prod", "v1.0_rc-1"]}


def test_a_pipeline_without_aliases_shows_none(sm: Any) -> None:
    _create(sm)
    assert "PipelineVersionAliases" not in sm.describe_pipeline(PipelineName="pipe")
    arn = sm.start_pipeline_execution(PipelineName="pipe")["PipelineExecutionArn"]
    assert "PipelineVersionAliases" not in sm.describe_pipeline_execution(
        PipelineExecutionArn=arn
    )


def test_update_puts_aliases_on_the_new_version(sm: Any) -> None:
    _create(sm, ["prod"])
    version = sm.update_pipeline(
        PipelineName="pipe", PipelineDefinition=V2, PipelineVersionAliases=["staging"]
    )["PipelineVersionId"]
    assert version == 2
    assert _aliases_by_version(sm) == {1: ["prod"], 2: ["staging"]}
    staged = sm.describe_pipeline(PipelineName="pipe", PipelineVersionAlias="staging")
    assert staged["PipelineDefinition"] == V2
    assert sm.describe_pipeline(PipelineName="pipe", PipelineVersionAlias="prod")[
        "PipelineDefinition"
    ] == V1


def test_start_from_an_alias_runs_that_version(sm: Any) -> None:
    _create(sm, ["prod"])
    sm.update_pipeline(PipelineName="pipe", PipelineDefinition=V3)
    arn = sm.start_pipeline_execution(PipelineName="pipe", PipelineVersionAlias="prod")[
        "PipelineExecutionArn"
    ]
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineVersionId"] == 1
    assert described["PipelineVersionAliases"] == ["prod"]
    definition_run = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)
    assert definition_run["PipelineDefinition"] == V1


def test_moving_an_alias_promotes_a_version(sm: Any) -> None:
    """Remove from the old version, add to the new: later starts use the new version."""
    arn = _create(sm, ["prod"])
    sm.update_pipeline(PipelineName="pipe", PipelineDefinition=V2)
    first = sm.start_pipeline_execution(PipelineName="pipe", PipelineVersionAlias="prod")[
        "PipelineExecutionArn"
    ]
    sm.update_pipeline_version(
        PipelineArn=arn,
        PipelineVersionId=1,
        PipelineVersionAliasOperations={"Remove": ["prod"]},
    )
    sm.update_pipeline_version(
        PipelineArn=arn, PipelineVersionId=2, PipelineVersionAliasOperations={"Add": ["prod"]}
    )
    second = sm.start_pipeline_execution(PipelineName="pipe", PipelineVersionAlias="prod")[
        "PipelineExecutionArn"
    ]
    assert sm.describe_pipeline_execution(PipelineExecutionArn=second)["PipelineVersionId"] == 2
    # An execution shows the aliases its version has now, not those it started with.
    assert "PipelineVersionAliases" not in sm.describe_pipeline_execution(
        PipelineExecutionArn=first
    )
    assert _aliases_by_version(sm) == {1: [], 2: ["prod"]}


def test_list_executions_by_alias_and_summaries_carry_aliases(sm: Any) -> None:
    arn = _create(sm, ["prod"])
    old = sm.start_pipeline_execution(PipelineName="pipe")["PipelineExecutionArn"]
    sm.update_pipeline(PipelineName="pipe", PipelineDefinition=V2, PipelineVersionAliases=["beta"])
    new = sm.start_pipeline_execution(PipelineName="pipe")["PipelineExecutionArn"]
    listed = sm.list_pipeline_executions(PipelineName="pipe", PipelineVersionAlias="prod")
    assert [s["PipelineExecutionArn"] for s in listed["PipelineExecutionSummaries"]] == [old]
    everything = sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"]
    aliases = {s["PipelineExecutionArn"]: s.get("PipelineVersionAliases") for s in everything}
    assert aliases == {old: ["prod"], new: ["beta"]}
    sm.update_pipeline_version(
        PipelineArn=arn, PipelineVersionId=1, PipelineVersionAliasOperations={"Remove": ["prod"]}
    )
    error = _refused(
        sm.list_pipeline_executions, PipelineName="pipe", PipelineVersionAlias="prod"
    )
    assert client_error_code(error) == "ResourceNotFound"


def test_unknown_alias_is_resource_not_found_everywhere(sm: Any) -> None:
    _create(sm, ["prod"])
    for call, kwargs in [
        (sm.describe_pipeline, {"PipelineName": "pipe", "PipelineVersionAlias": "nope"}),
        (sm.start_pipeline_execution, {"PipelineName": "pipe", "PipelineVersionAlias": "nope"}),
        (sm.list_pipeline_executions, {"PipelineName": "pipe", "PipelineVersionAlias": "nope"}),
    ]:
        error = _refused(call, **kwargs)
        assert client_error_code(error) == "ResourceNotFound"
        assert "'nope'" in error.response["Error"]["Message"]
    assert sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"] == []


def test_alias_and_version_id_together_are_refused(sm: Any) -> None:
    _create(sm, ["prod"])
    for call in (sm.describe_pipeline, sm.start_pipeline_execution):
        error = _refused(call, PipelineName="pipe", PipelineVersionId=1, PipelineVersionAlias="prod")
        assert client_error_code(error) == "ValidationException"
    assert sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"] == []


@pytest.mark.parametrize(
    ("aliases", "code"),
    [
        (["123"], "ValidationException"),  # numbers only (DG "Pipeline version aliases")
        (["prod", "prod"], "ValidationException"),  # an alias is unique within a pipeline
        (["bad alias"], "ValidationException"),  # the model's pattern
        ([f"a{i}" for i in range(11)], "ValidationException"),  # up to 10 per version
        (["x" * 129], "ValidationException"),  # 1-128 characters
    ],
)
def test_create_refuses_bad_aliases_and_creates_nothing(
    sm: Any, aliases: list[str], code: str
) -> None:
    error = _refused(
        sm.create_pipeline,
        PipelineName="pipe",
        RoleArn=ROLE,
        PipelineDefinition=V1,
        PipelineVersionAliases=aliases,
    )
    assert client_error_code(error) == code
    assert sm.list_pipelines()["PipelineSummaries"] == []


def test_update_with_an_alias_another_version_has_is_a_conflict(sm: Any) -> None:
    _create(sm, ["prod"])
    error = _refused(
        sm.update_pipeline,
        PipelineName="pipe",
        PipelineDefinition=V2,
        PipelineVersionAliases=["prod"],
    )
    assert client_error_code(error) == "ConflictException"
    assert "version 1" in error.response["Error"]["Message"]
    assert _aliases_by_version(sm) == {1: ["prod"]}


def test_update_with_aliases_but_no_definition_change_is_refused(sm: Any) -> None:
    """DG: "If you pass pipeline_version_aliases and the update doesn't change the pipeline
    definition, no new version is created and the request fails with a validation error"."""
    _create(sm)
    for extra in ({}, {"PipelineDefinition": V1}):
        error = _refused(
            sm.update_pipeline,
            PipelineName="pipe",
            PipelineVersionAliases=["prod"],
            PipelineDescription="new",
            **extra,
        )
        assert client_error_code(error) == "ValidationException"
    assert _aliases_by_version(sm) == {1: []}
    assert "PipelineDescription" not in sm.describe_pipeline(PipelineName="pipe")


@pytest.mark.parametrize(
    ("operations", "code"),
    [
        ({"Add": ["prod"], "Remove": ["prod"]}, "ValidationException"),  # in both lists
        ({"Remove": ["never-there"]}, "ValidationException"),
        ({"Add": ["staging"]}, "ConflictException"),  # version 2 has it
        ({"Add": [f"extra{i}" for i in range(10)]}, "ValidationException"),  # 11 after update
        ({"Add": ["42"]}, "ValidationException"),
    ],
)
def test_update_pipeline_version_refusals_change_nothing(
    sm: Any, operations: dict[str, list[str]], code: str
) -> None:
    arn = _create(sm, ["prod"])
    sm.update_pipeline(PipelineName="pipe", PipelineDefinition=V2, PipelineVersionAliases=["staging"])
    before = _aliases_by_version(sm)
    error = _refused(
        sm.update_pipeline_version,
        PipelineArn=arn,
        PipelineVersionId=1,
        PipelineVersionDisplayName="renamed",
        PipelineVersionAliasOperations=operations,
    )
    assert client_error_code(error) == code
    assert _aliases_by_version(sm) == before
    assert "PipelineVersionDisplayName" not in sm.describe_pipeline(
        PipelineName="pipe", PipelineVersionId=1
    )


def test_update_pipeline_version_adds_and_removes_in_one_call(sm: Any) -> None:
    arn = _create(sm, ["prod", "old"])
    response = sm.update_pipeline_version(
        PipelineArn=arn,
        PipelineVersionId=1,
        PipelineVersionAliasOperations={"Add": ["new", "prod"], "Remove": ["old"]},
    )
    assert response["PipelineVersionId"] == 1
    assert _aliases_by_version(sm) == {1: ["prod", "new"]}


def test_aliases_are_per_pipeline(sm: Any) -> None:
    _create(sm, ["prod"], name="one")
    _create(sm, ["prod"], name="two")
    assert sm.describe_pipeline(PipelineName="two", PipelineVersionAlias="prod")[
        "PipelineName"
    ] == "two"


def test_create_idempotency_token_covers_aliases(sm: Any) -> None:
    token = "token-0123456789abcdef0123456789ab"
    kwargs = {"PipelineName": "pipe", "RoleArn": ROLE, "PipelineDefinition": V1}
    sm.create_pipeline(ClientRequestToken=token, PipelineVersionAliases=["a"], **kwargs)
    error = _refused(
        sm.create_pipeline, ClientRequestToken=token, PipelineVersionAliases=["b"], **kwargs
    )
    assert client_error_code(error) == "ValidationException"
    assert _aliases_by_version(sm) == {1: ["a"]}


def test_role_arn_on_start_is_refused_for_a_customer_pipeline(sm: Any) -> None:
    """Model: RoleArn "can't" be specified "for a pipeline that you create"."""
    sm.create_pipeline(
        PipelineName="pipe",
        RoleArn=ROLE,
        PipelineDefinition=definition([callback_step("Wait", "https://sqs.us-east-1.amazonaws.com/123456789012/q")]),
    )
    error = _refused(sm.start_pipeline_execution, PipelineName="pipe", RoleArn=ROLE)
    assert client_error_code(error) == "ValidationException"
    assert sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"] == []
    arn = sm.start_pipeline_execution(PipelineName="pipe")["PipelineExecutionArn"]
    # Describe returns RoleArn "only for executions of pipelines that AWS manages".
    assert "RoleArn" not in sm.describe_pipeline_execution(PipelineExecutionArn=arn)


def test_list_pipelines_managed_by(sm: Any) -> None:
    _create(sm)
    names = lambda **kw: [p["PipelineName"] for p in sm.list_pipelines(**kw)["PipelineSummaries"]]  # noqa: E731
    assert names() == ["pipe"]
    assert names(ManagedBy="CUSTOMER") == ["pipe"]
    assert names(ManagedBy="AWS") == []
    error = _refused(sm.list_pipelines, ManagedBy="SOMEONE")
    assert client_error_code(error) == "ValidationException"
