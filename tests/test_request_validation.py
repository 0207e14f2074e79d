"""Server-side validation of the botocore-model constraints botocore does not check client-side.

botocore checks required members, types and *minimum* lengths/values before sending; maximum
lengths, maximum values, patterns, enums and list sizes reach the service, which answers
``ValidationException`` with the AWS JSON-protocol message form
``1 validation error detected: Value '<v>' at '<memberPath>' failed to satisfy constraint: Member must ...``
(``shared/spec/sagemaker-pipelines-semantics.md`` section 1). A client with botocore's own
validation switched off checks the minimums and required members the same way. A rejected request
changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock

from .support import REGION, ROLE, client_error_code, definition, training_step

BODY = definition([training_step("Train")])
NAME_PATTERN = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"
NAME_OR_ARN_PATTERN = (
    "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?"
    "([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})"
)
ROLE_PATTERN = "arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"
TAG_PATTERN = "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"
PIPELINE_ARN_PATTERN = "arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*"
VERSION_NAME_PATTERN = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}"
BUCKET_PATTERN = "[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9]"


def _client(**config: Any) -> Any:
    return boto3.client(
        "sagemaker",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**config) if config else None,
    )


@pytest.fixture(scope="module")
def shared_clients() -> tuple[Any, Any]:
    """(a plain boto3 client, one with botocore's parameter validation off), built once."""
    return _client(), _client(parameter_validation=False)


@pytest.fixture
def sm(pipelines: PipelinesMock, shared_clients: tuple[Any, Any]) -> Any:
    """A plain boto3 SageMaker client inside this test's mock."""
    return shared_clients[0]


@pytest.fixture
def unchecked(pipelines: PipelinesMock, shared_clients: tuple[Any, Any]) -> Any:
    """A SageMaker client that sends whatever it is given (no client-side validation)."""
    return shared_clients[1]


@pytest.fixture
def existing(sm: Any) -> str:
    """A pipeline ``existing`` (version 1); returns its ARN."""
    return sm.create_pipeline(PipelineName="existing", RoleArn=ROLE, PipelineDefinition=BODY)[
        "PipelineArn"
    ]


def one_error(value: str, path: str, constraint: str) -> str:
    """The exact message of a request with a single constraint violation."""
    return (
        f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy "
        f"constraint: Member must {constraint}"
    )


def _message(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    assert client_error_code(excinfo.value) == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return str(excinfo.value.response["Error"]["Message"])


def _pipeline_names(sm: Any) -> list[str]:
    return sorted(p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"])


LONG_DESCRIPTION = "d" * 3073
LONG_TOKEN = "t" * 129
LONG_NEXT_TOKEN = "n" * 8193
LONG_TAG_KEY = "k" * 129
LONG_PARAMETER_VALUE = "v" * 1025

# (id, operation, request, exact message)
SINGLE_ERRORS: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "create-name-pattern",
        "create_pipeline",
        {"PipelineName": "bad_name", "RoleArn": ROLE, "PipelineDefinition": BODY},
        one_error(
            "bad_name", "pipelineName", f"satisfy regular expression pattern: ^{NAME_PATTERN}"
        ),
    ),
    (
        "create-name-trailing-hyphen",
        "create_pipeline",
        {"PipelineName": "name-", "RoleArn": ROLE, "PipelineDefinition": BODY},
        one_error("name-", "pipelineName", f"satisfy regular expression pattern: ^{NAME_PATTERN}"),
    ),
    (
        "create-display-name-pattern",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "PipelineDisplayName": "has space",
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
        },
        one_error(
            "has space",
            "pipelineDisplayName",
            f"satisfy regular expression pattern: ^{NAME_PATTERN}",
        ),
    ),
    (
        "create-description-max-length",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "PipelineDescription": LONG_DESCRIPTION,
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
        },
        one_error(
            LONG_DESCRIPTION, "pipelineDescription", "have length less than or equal to 3072"
        ),
    ),
    (
        "create-token-max-length",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "ClientRequestToken": LONG_TOKEN,
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
        },
        one_error(LONG_TOKEN, "clientRequestToken", "have length less than or equal to 128"),
    ),
    (
        "create-role-pattern",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "RoleArn": "arn:aws:iam::123:role/short-account",
            "PipelineDefinition": BODY,
        },
        one_error(
            "arn:aws:iam::123:role/short-account",
            "roleArn",
            f"satisfy regular expression pattern: ^{ROLE_PATTERN}",
        ),
    ),
    (
        "create-s3-bucket-pattern",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "RoleArn": ROLE,
            "PipelineDefinitionS3Location": {"Bucket": "My_Bucket", "ObjectKey": "k.json"},
        },
        one_error(
            "My_Bucket",
            "pipelineDefinitionS3Location.bucket",
            f"satisfy regular expression pattern: ^{BUCKET_PATTERN}",
        ),
    ),
    (
        "create-tag-key-max-length",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
            "Tags": [{"Key": "fine", "Value": "v"}, {"Key": LONG_TAG_KEY, "Value": "v"}],
        },
        one_error(LONG_TAG_KEY, "tags.2.member.key", "have length less than or equal to 128"),
    ),
    (
        "create-tag-value-pattern",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
            "Tags": [{"Key": "k", "Value": "no#hash"}],
        },
        one_error(
            "no#hash", "tags.1.member.value", f"satisfy regular expression pattern: ^{TAG_PATTERN}"
        ),
    ),
    (
        "create-definition-pattern",
        "create_pipeline",
        {"PipelineName": "ok", "RoleArn": ROLE, "PipelineDefinition": "{\u2028}"},
        one_error(
            "{\u2028}",
            "pipelineDefinition",
            "satisfy regular expression pattern: ^.*(?:[ \\r\\n\\t].*)*",
        ),
    ),
    (
        "update-display-name-pattern",
        "update_pipeline",
        {"PipelineName": "existing", "PipelineDisplayName": "-dash"},
        one_error(
            "-dash", "pipelineDisplayName", f"satisfy regular expression pattern: ^{NAME_PATTERN}"
        ),
    ),
    (
        "update-role-pattern",
        "update_pipeline",
        {"PipelineName": "existing", "RoleArn": "arn:aws:iam::123456789012:user/someone"},
        one_error(
            "arn:aws:iam::123456789012:user/someone",
            "roleArn",
            f"satisfy regular expression pattern: ^{ROLE_PATTERN}",
        ),
    ),
    (
        "list-sort-by-enum",
        "list_pipelines",
        {"SortBy": "LastModifiedTime"},
        one_error("LastModifiedTime", "sortBy", "satisfy enum value set: [Name, CreationTime]"),
    ),
    (
        "list-sort-order-enum",
        "list_pipelines",
        {"SortOrder": "Up"},
        one_error("Up", "sortOrder", "satisfy enum value set: [Ascending, Descending]"),
    ),
    (
        "list-max-results-max",
        "list_pipelines",
        {"MaxResults": 101},
        one_error("101", "maxResults", "have value less than or equal to 100"),
    ),
    (
        "list-prefix-pattern",
        "list_pipelines",
        {"PipelineNamePrefix": "my_"},
        one_error(
            "my_", "pipelineNamePrefix", f"satisfy regular expression pattern: ^{NAME_PATTERN}"
        ),
    ),
    (
        "list-next-token-max-length",
        "list_pipelines",
        {"NextToken": LONG_NEXT_TOKEN},
        one_error(LONG_NEXT_TOKEN, "nextToken", "have length less than or equal to 8192"),
    ),
    (
        "versions-sort-order-enum",
        "list_pipeline_versions",
        {"PipelineName": "existing", "SortOrder": "ascending"},
        one_error("ascending", "sortOrder", "satisfy enum value set: [Ascending, Descending]"),
    ),
    (
        "versions-max-results-max",
        "list_pipeline_versions",
        {"PipelineName": "existing", "MaxResults": 1000},
        one_error("1000", "maxResults", "have value less than or equal to 100"),
    ),
    (
        "describe-name-or-arn-pattern",
        "describe_pipeline",
        {"PipelineName": "arn:aws:sagemaker:us-east-1:123456789012:model/x!"},
        one_error(
            "arn:aws:sagemaker:us-east-1:123456789012:model/x!",
            "pipelineName",
            f"satisfy regular expression pattern: ^{NAME_OR_ARN_PATTERN}",
        ),
    ),
    (
        "version-display-name-pattern",
        "update_pipeline_version",
        {
            "PipelineArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/existing",
            "PipelineVersionId": 1,
            "PipelineVersionDisplayName": "v_1",
        },
        one_error(
            "v_1",
            "pipelineVersionDisplayName",
            f"satisfy regular expression pattern: ^{VERSION_NAME_PATTERN}",
        ),
    ),
    (
        "version-description-max-length",
        "update_pipeline_version",
        {
            "PipelineArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/existing",
            "PipelineVersionId": 1,
            "PipelineVersionDescription": LONG_DESCRIPTION,
        },
        one_error(
            LONG_DESCRIPTION,
            "pipelineVersionDescription",
            "have length less than or equal to 3072",
        ),
    ),
    (
        "version-pipeline-arn-pattern",
        "update_pipeline_version",
        {"PipelineArn": "existing", "PipelineVersionId": 1},
        one_error(
            "existing",
            "pipelineArn",
            f"satisfy regular expression pattern: ^{PIPELINE_ARN_PATTERN}",
        ),
    ),
    (
        "start-parameter-value-max-length",
        "start_pipeline_execution",
        {
            "PipelineName": "existing",
            "PipelineParameters": [{"Name": "P", "Value": LONG_PARAMETER_VALUE}],
        },
        one_error(
            LONG_PARAMETER_VALUE,
            "pipelineParameters.1.member.value",
            "have length less than or equal to 1024",
        ),
    ),
    (
        "start-parameter-name-pattern",
        "start_pipeline_execution",
        {"PipelineName": "existing", "PipelineParameters": [{"Name": "a b", "Value": "x"}]},
        one_error(
            "a b",
            "pipelineParameters.1.member.name",
            "satisfy regular expression pattern: ^[A-Za-z0-9\\-_]*",
        ),
    ),
    (
        "delete-token-max-length",
        "delete_pipeline",
        {"PipelineName": "existing", "ClientRequestToken": LONG_TOKEN},
        one_error(LONG_TOKEN, "clientRequestToken", "have length less than or equal to 128"),
    ),
]


@pytest.mark.parametrize(
    ("operation", "request_", "message"),
    [c[1:] for c in SINGLE_ERRORS],
    ids=[c[0] for c in SINGLE_ERRORS],
)
def test_constraint_violation_message(
    sm: Any, existing: str, operation: str, request_: dict[str, Any], message: str
) -> None:
    before = sm.describe_pipeline(PipelineName="existing")

    with pytest.raises(ClientError) as excinfo:
        getattr(sm, operation)(**request_)

    assert _message(excinfo) == message
    assert _pipeline_names(sm) == ["existing"]
    after = sm.describe_pipeline(PipelineName="existing")
    for response in (before, after):
        response.pop("ResponseMetadata")
    assert after == before
    versions = sm.list_pipeline_versions(PipelineName="existing")["PipelineVersionSummaries"]
    assert len(versions) == 1
    assert sm.list_pipeline_executions(PipelineName="existing")["PipelineExecutionSummaries"] == []


def test_too_many_tags(sm: Any) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="ok", RoleArn=ROLE, PipelineDefinition=BODY, Tags=tags)

    message = _message(excinfo)
    assert message.startswith("1 validation error detected: Value '")
    assert message.endswith(
        "' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
    )
    assert _pipeline_names(sm) == []


def test_too_many_tags_on_add_tags(sm: Any, existing: str) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]

    with pytest.raises(ClientError) as excinfo:
        sm.add_tags(ResourceArn=existing, Tags=tags)

    assert re.search(
        r"at 'tags' failed to satisfy constraint: Member must have length less "
        r"than or equal to 50$",
        _message(excinfo),
    )
    assert sm.list_tags(ResourceArn=existing)["Tags"] == []


def test_a_long_name_breaks_length_and_pattern(sm: Any) -> None:
    name = "a" * 257

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=BODY)

    message = _message(excinfo)
    assert message.startswith("2 validation errors detected: ")
    parts = message.removeprefix("2 validation errors detected: ").split("; ")
    assert sorted(parts) == sorted(
        [
            f"Value '{name}' at 'pipelineName' failed to satisfy constraint: "
            "Member must have length less than or equal to 256",
            f"Value '{name}' at 'pipelineName' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: ^{NAME_PATTERN}",
        ]
    )
    assert _pipeline_names(sm) == []


def test_errors_in_several_members_are_all_listed(sm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.list_pipelines(SortBy="Size", SortOrder="Sideways", MaxResults=500)

    message = _message(excinfo)
    assert message.startswith("3 validation errors detected: ")
    for expected in (
        "Value 'Size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value "
        "set: [Name, CreationTime]",
        "Value 'Sideways' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum "
        "value set: [Ascending, Descending]",
        "Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less "
        "than or equal to 100",
    ):
        assert expected in message


def test_input_is_validated_before_the_pipeline_is_looked_up(sm: Any) -> None:
    for call in (
        lambda: sm.describe_pipeline(PipelineName="no_such_pipeline"),
        lambda: sm.update_pipeline(PipelineName="ghost", PipelineDisplayName="bad name"),
        lambda: sm.delete_pipeline(PipelineName="ghost", ClientRequestToken=LONG_TOKEN),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert _message(excinfo).startswith("1 validation error detected: ")


def test_values_at_the_maximum_are_accepted(sm: Any) -> None:
    name = "a" * 82  # the service's own limit on PipelineName, below the model's 256
    display_name = "a" * 256
    description = "d" * 3072
    token = "t" * 128
    tags = [{"Key": "k" * 128, "Value": "v" * 256}] + [
        {"Key": f"k{i}", "Value": ""} for i in range(49)
    ]

    arn = sm.create_pipeline(
        PipelineName=name,
        PipelineDisplayName=display_name,
        RoleArn=ROLE,
        PipelineDefinition=BODY,
        PipelineDescription=description,
        ClientRequestToken=token,
        Tags=tags,
    )["PipelineArn"]

    assert arn.endswith(f":pipeline/{name}")
    assert sm.describe_pipeline(PipelineName=name)["PipelineDescription"] == description
    assert len(sm.list_pipelines(MaxResults=100)["PipelineSummaries"]) == 1
    # (ListTags takes a ResourceArn of at most 256 characters, so tag a shorter-named pipeline.)
    tagged = sm.create_pipeline(
        PipelineName="tagged", RoleArn=ROLE, PipelineDefinition=BODY, Tags=tags
    )["PipelineArn"]
    assert len(sm.list_tags(ResourceArn=tagged, MaxResults=100)["Tags"]) == 50


def test_botocore_itself_checks_the_minimums(sm: Any) -> None:
    with pytest.raises(ParamValidationError):
        sm.create_pipeline(
            PipelineName="ok", RoleArn=ROLE, PipelineDefinition=BODY, ClientRequestToken="short"
        )
    with pytest.raises(ParamValidationError):
        sm.list_pipelines(MaxResults=0)
    assert _pipeline_names(sm) == []


# --------------------------------------------- minimums and required members, botocore bypassed

UNCHECKED: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "token-min-length",
        "create_pipeline",
        {
            "PipelineName": "ok",
            "RoleArn": ROLE,
            "PipelineDefinition": BODY,
            "ClientRequestToken": "short",
        },
        [one_error("short", "clientRequestToken", "have length greater than or equal to 32")],
    ),
    (
        "max-results-min",
        "list_pipelines",
        {"MaxResults": 0},
        [one_error("0", "maxResults", "have value greater than or equal to 1")],
    ),
    (
        "role-min-length",
        "create_pipeline",
        {"PipelineName": "ok", "RoleArn": "arn:aws:iam::1:role", "PipelineDefinition": BODY},
        [
            "Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must "
            "have length greater than or equal to 20",
            "Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must "
            f"satisfy regular expression pattern: ^{ROLE_PATTERN}",
        ],
    ),
    (
        "role-missing",
        "create_pipeline",
        {"PipelineName": "ok", "PipelineDefinition": BODY},
        [
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: "
            "Member must not be null"
        ],
    ),
    (
        "version-id-min",
        "describe_pipeline",
        {"PipelineName": "existing", "PipelineVersionId": 0},
        [one_error("0", "pipelineVersionId", "have value greater than or equal to 1")],
    ),
    (
        "parallelism-min",
        "update_pipeline",
        {"PipelineName": "existing", "ParallelismConfiguration": {"MaxParallelExecutionSteps": 0}},
        [
            one_error(
                "0",
                "parallelismConfiguration.maxParallelExecutionSteps",
                "have value greater than or equal to 1",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("operation", "request_", "expected"),
    [c[1:] for c in UNCHECKED],
    ids=[c[0] for c in UNCHECKED],
)
def test_minimums_and_required_members_are_checked_server_side_too(
    unchecked: Any, existing: str, operation: str, request_: dict[str, Any], expected: list[str]
) -> None:
    with pytest.raises(ClientError) as excinfo:
        getattr(unchecked, operation)(**request_)

    message = _message(excinfo)
    for part in expected:
        assert part in message
    names = sorted(p["PipelineName"] for p in unchecked.list_pipelines()["PipelineSummaries"])
    assert names == ["existing"]
    described = unchecked.describe_pipeline(PipelineName="existing")
    assert "ParallelismConfiguration" not in described


# ------------------------------------------------------------------------------- properties

_MESSAGE = re.compile(
    r"^(1 validation error|\d+ validation errors) detected: Value (null|'.*') at '[A-Za-z0-9.]+' "
    r"failed to satisfy constraint: Member must .+$",
    re.DOTALL,
)


def test_random_junk_gives_success_or_a_validation_exception(unchecked: Any) -> None:
    junk = st.one_of(st.none(), st.text(max_size=300), st.integers(-5, 10_000))

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        name=st.text(max_size=300),
        description=st.text(max_size=3100),
        role=st.one_of(st.just(ROLE), st.text(max_size=60)),
        sort_by=junk,
        max_results=st.integers(-5, 500),
    )
    def check(name: str, description: str, role: str, sort_by: Any, max_results: int) -> None:
        try:
            arn = unchecked.create_pipeline(
                PipelineName=name,
                RoleArn=role,
                PipelineDefinition=BODY,
                PipelineDescription=description,
            )["PipelineArn"]
        except ClientError as exc:
            assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            assert client_error_code(exc) == "ValidationException"
            assert _MESSAGE.match(exc.response["Error"]["Message"]), exc.response["Error"]
            assert unchecked.list_pipelines()["PipelineSummaries"] == []
        else:
            assert arn.endswith(f":pipeline/{name}")
            unchecked.delete_pipeline(PipelineName=name)
        try:
            request: dict[str, Any] = {"MaxResults": max_results}
            if sort_by is not None:
                request["SortBy"] = sort_by
            unchecked.list_pipelines(**request)
        except ClientError as exc:
            assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            # A number where SortBy's string goes is a serialization error, as AWS answers it.
            expected = (
                "SerializationException" if isinstance(sort_by, int) else "ValidationException"
            )
            assert client_error_code(exc) == expected
        except ParamValidationError:
            pass  # botocore still refuses a wrong *type* (an int SortBy) client-side

    check()
