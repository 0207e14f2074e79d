"""Black-box tests of create-time definition validation, through CreatePipeline and UpdatePipeline.

Rules from ``shared/spec/sagemaker-pipelines-semantics.md`` sections 3.1 and 10: malformed JSON is
rejected naming the position, the ``Version`` enum, each step name once in the whole definition
(Condition branches included), ``DependsOn`` naming existing non-Fail steps, no cycles over
``DependsOn`` or data references, ``Get`` only on declared parameters / existing steps / known
execution variables, condition and function shapes, parameter types and defaults. Unknown step
types are refused (``tests/test_definition_schema.py``). Every rejection is a ``ValidationException`` and changes nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import (
    ROLE,
    client_error_code,
    condition_step,
    definition,
    real_definition,
    training_step,
)

VALID = definition([training_step("Train")])


def fail_step(name: str, message: Any = "failed", **extra: Any) -> dict[str, Any]:
    """A Fail step with an ErrorMessage."""
    step: dict[str, Any] = {"Name": name, "Type": "Fail", "Arguments": {"ErrorMessage": message}}
    step.update(extra)
    return step


def equals(left: Any, right: Any) -> dict[str, Any]:
    """An Equals condition."""
    return {"Type": "Equals", "LeftValue": left, "RightValue": right}


def processing_step(name: str, property_file: str | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal Processing step, optionally declaring a property file."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Processing",
        "Arguments": {
            "AppSpecification": {"ImageUri": "image:latest"},
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.xlarge",
                    "VolumeSizeInGB": 30,
                }
            },
            "ProcessingOutputConfig": {
                "Outputs": [
                    {
                        "OutputName": "evaluation",
                        "S3Output": {
                            "S3Uri": "s3://bucket/eval",
                            "LocalPath": "/opt/ml/processing/evaluation",
                            "S3UploadMode": "EndOfJob",
                        },
                    }
                ]
            },
            "RoleArn": ROLE,
        },
    }
    if property_file:
        step["PropertyFiles"] = [
            {
                "PropertyFileName": property_file,
                "OutputName": "evaluation",
                "FilePath": "evaluation.json",
            }
        ]
    step.update(extra)
    return step


def train_with(name: str, value: Any, depends_on: list[str] | None = None) -> dict[str, Any]:
    """A Training step whose output path is ``value`` (an expression under test)."""
    step = training_step(name, depends_on=depends_on)
    step["Arguments"]["OutputDataConfig"]["S3OutputPath"] = value
    return step


def step_ref(step: str) -> dict[str, Any]:
    """A data reference to a Training step's model artifacts."""
    return {"Get": f"Steps.{step}.ModelArtifacts.S3ModelArtifacts"}


def _doc(**top: Any) -> str:
    document = {"Version": "2020-12-01", "Metadata": {}, "Parameters": [], "Steps": []}
    document.update(top)
    return json.dumps(document)


def _param(
    name: str, ptype: str | None = None, default: Any = None, **extra: Any
) -> dict[str, Any]:
    param: dict[str, Any] = {"Name": name}
    if ptype is not None:
        param["Type"] = ptype
    if default is not None:
        param["DefaultValue"] = default
    param.update(extra)
    return param


# (id, definition, substrings the message must contain)
INVALID: list[tuple[str, str, list[str]]] = [
    # --- document
    ("not-an-object", json.dumps(["Steps"]), []),
    ("unsupported-version", _doc(Version="2019-01-01", Steps=[training_step("T")]), ["2019-01-01"]),
    ("version-not-a-string", _doc(Version=2020, Steps=[training_step("T")]), ["2020"]),
    ("steps-missing", json.dumps({"Version": "2020-12-01"}), ["Steps"]),
    ("steps-not-a-list", _doc(Steps={"Name": "T"}), ["Steps"]),
    ("unknown-top-level-key", _doc(Steps=[training_step("T")], Bogus=1), ["Bogus"]),
    ("step-without-name", _doc(Steps=[{"Type": "Training", "Arguments": {}}]), ["Name"]),
    ("step-without-type", _doc(Steps=[{"Name": "T", "Arguments": {}}]), ["T"]),
    ("invalid-step-name", _doc(Steps=[training_step("bad name!")]), ["bad name!"]),
    # --- duplicate step names
    (
        "duplicate-top-level",
        definition([training_step("Twice"), training_step("Twice")]),
        ["Twice"],
    ),
    (
        "duplicate-inside-branches",
        definition(
            [
                condition_step(
                    "Check",
                    [equals(1, 1)],
                    if_steps=[training_step("Same")],
                    else_steps=[training_step("Same")],
                )
            ]
        ),
        ["Same"],
    ),
    (
        "duplicate-inside-one-branch",
        definition(
            [
                condition_step(
                    "Check", [equals(1, 1)], if_steps=[training_step("X"), training_step("X")]
                )
            ]
        ),
        ["X"],
    ),
    (
        "branch-step-also-top-level",
        definition(
            [
                training_step("Shared"),
                condition_step("Check", [equals(1, 1)], if_steps=[training_step("Shared")]),
            ]
        ),
        ["Shared"],
    ),
    (
        "branch-step-also-top-level-after",
        definition(
            [
                condition_step("Check", [equals(1, 1)], else_steps=[training_step("Shared")]),
                training_step("Shared"),
            ]
        ),
        ["Shared"],
    ),
    (
        "step-named-like-its-condition",
        definition([condition_step("Check", [equals(1, 1)], if_steps=[training_step("Check")])]),
        ["Check"],
    ),
    # --- DependsOn
    (
        "depends-on-missing-step",
        definition([training_step("A", depends_on=["Ghost"])]),
        ["Ghost"],
    ),
    (
        "depends-on-not-a-list",
        definition([training_step("A", DependsOn="B"), training_step("B")]),
        ["A"],
    ),
    (
        "depends-on-fail-step",
        definition(
            [
                fail_step("FailStep"),
                condition_step("CondStep", [equals(1, 1)], DependsOn=["FailStep"]),
            ]
        ),
        ["CondStep can not depends on FailStep"],
    ),
    (
        "training-depends-on-fail-step",
        definition([fail_step("Stop"), training_step("Train", depends_on=["Stop"])]),
        ["Train can not depends on Stop"],
    ),
    # --- cycles
    (
        "self-dependency",
        definition([training_step("A", depends_on=["A"])]),
        ["A"],
    ),
    (
        "depends-on-cycle",
        definition(
            [
                training_step("A", depends_on=["C"]),
                training_step("B", depends_on=["A"]),
                training_step("C", depends_on=["B"]),
                training_step("Free"),
            ]
        ),
        ["A", "B", "C"],
    ),
    (
        "data-reference-cycle",
        definition([train_with("A", step_ref("B")), train_with("B", step_ref("A"))]),
        ["A", "B"],
    ),
    (
        "mixed-cycle",
        definition([train_with("A", step_ref("B")), training_step("B", depends_on=["A"])]),
        ["A", "B"],
    ),
    (
        "self-data-reference",
        definition([train_with("A", step_ref("A"))]),
        ["A"],
    ),
    # --- Get
    (
        "undeclared-parameter",
        definition([train_with("A", {"Get": "Parameters.Missing"})]),
        ["Missing"],
    ),
    (
        "undeclared-parameter-in-join",
        definition(
            [
                train_with(
                    "A", {"Std:Join": {"On": "/", "Values": ["s3:/", {"Get": "Parameters.Nope"}]}}
                )
            ],
            parameters=[_param("Other", "String", "x")],
        ),
        ["Nope"],
    ),
    (
        "undeclared-parameter-in-condition",
        definition([condition_step("Check", [equals({"Get": "Parameters.Absent"}, 1)])]),
        ["Absent"],
    ),
    (
        "get-on-missing-step",
        definition([train_with("A", step_ref("Ghost"))]),
        ["Ghost"],
    ),
    (
        "get-on-fail-step",
        definition([fail_step("Stop"), train_with("A", {"Get": "Steps.Stop.ErrorMessage"})]),
        ["Stop"],
    ),
    (
        "unknown-execution-variable",
        definition([train_with("A", {"Get": "Execution.Bogus"})]),
        ["Execution.Bogus"],
    ),
    (
        "unknown-get-root",
        definition([train_with("A", {"Get": "Somewhere.Else"})]),
        ["Somewhere.Else"],
    ),
    (
        "get-not-a-string",
        definition([train_with("A", {"Get": 5})]),
        ["A"],
    ),
    (
        "get-on-step-without-property",
        definition([training_step("T"), train_with("A", {"Get": "Steps.T"})]),
        ["Steps.T"],
    ),
    # --- conditions
    (
        "unknown-condition-type",
        definition([condition_step("Check", [{"Type": "Bogus", "LeftValue": 1, "RightValue": 1}])]),
        ["Bogus"],
    ),
    (
        "equals-without-right-value",
        definition([condition_step("Check", [{"Type": "Equals", "LeftValue": 1}])]),
        ["RightValue"],
    ),
    (
        "in-without-values",
        definition([condition_step("Check", [{"Type": "In", "QueryValue": 1}])]),
        ["Values"],
    ),
    (
        "in-values-not-a-list",
        definition([condition_step("Check", [{"Type": "In", "QueryValue": 1, "Values": 1}])]),
        ["Values"],
    ),
    (
        "not-without-inner-condition",
        definition([condition_step("Check", [{"Type": "Not"}])]),
        ["Not"],
    ),
    (
        "or-without-conditions",
        definition([condition_step("Check", [{"Type": "Or"}])]),
        ["Conditions"],
    ),
    (
        "bad-condition-inside-or",
        definition([condition_step("Check", [{"Type": "Or", "Conditions": [{"Type": "Equals"}]}])]),
        ["LeftValue"],
    ),
    (
        "condition-type-an-object",
        definition([condition_step("Check", [{"Type": {}, "LeftValue": 1, "RightValue": 1}])]),
        ["unsupported condition Type {}"],
    ),
    (
        "condition-type-an-array",
        definition([condition_step("Check", [{"Type": ["Equals"], "LeftValue": 1}])]),
        ["unsupported condition Type"],
    ),
    (
        "condition-not-an-object",
        definition([condition_step("Check", ["Equals"])]),
        ["Check"],
    ),
    (
        "conditions-not-a-list",
        definition(
            [{"Name": "Check", "Type": "Condition", "Arguments": {"Conditions": equals(1, 1)}}]
        ),
        ["Conditions"],
    ),
    (
        "condition-step-without-arguments",
        definition([{"Name": "Check", "Type": "Condition"}]),
        ["Check"],
    ),
    # --- functions
    (
        "join-without-on",
        definition([train_with("A", {"Std:Join": {"Values": ["a", "b"]}})]),
        ["Std:Join"],
    ),
    (
        "join-values-not-a-list",
        definition([train_with("A", {"Std:Join": {"On": "-", "Values": "ab"}})]),
        ["Std:Join"],
    ),
    (
        "jsonget-without-path",
        definition(
            [
                processing_step("Eval", property_file="Report"),
                condition_step(
                    "Check",
                    [
                        equals(
                            {
                                "Std:JsonGet": {
                                    "PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"}
                                }
                            },
                            1,
                        )
                    ],
                ),
            ]
        ),
        ["Path"],
    ),
    (
        "jsonget-with-undeclared-property-file",
        definition(
            [
                processing_step("Eval", property_file="Report"),
                condition_step(
                    "Check",
                    [
                        equals(
                            {
                                "Std:JsonGet": {
                                    "PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Other"},
                                    "Path": "metrics.accuracy",
                                }
                            },
                            1,
                        )
                    ],
                ),
            ]
        ),
        ["Other"],
    ),
    (
        "jsonget-with-both-sources",
        definition(
            [
                processing_step("Eval", property_file="Report"),
                condition_step(
                    "Check",
                    [
                        equals(
                            {
                                "Std:JsonGet": {
                                    "PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"},
                                    "S3Uri": "s3://bucket/x.json",
                                    "Path": "a",
                                }
                            },
                            1,
                        )
                    ],
                ),
            ]
        ),
        ["PropertyFile"],
    ),
    (
        "property-files-used-outside-jsonget",
        definition(
            [
                processing_step("Eval", property_file="Report"),
                train_with("A", {"Get": "Steps.Eval.PropertyFiles.Report"}),
            ]
        ),
        ["PropertyFiles"],
    ),
    # --- parameters
    (
        "unknown-parameter-type",
        definition([training_step("A")], parameters=[_param("P", "Double", 1.0)]),
        ["Double"],
    ),
    (
        "integer-default-not-an-integer",
        definition([training_step("A")], parameters=[_param("P", "Integer", "abc")]),
        ["P"],
    ),
    (
        "integer-default-is-a-float",
        definition([training_step("A")], parameters=[_param("P", "Integer", 1.5)]),
        ["P"],
    ),
    (
        "boolean-default-is-a-string",
        definition([training_step("A")], parameters=[_param("P", "Boolean", "true")]),
        ["P"],
    ),
    (
        "float-default-is-a-string",
        definition([training_step("A")], parameters=[_param("P", "Float", "0.5")]),
        ["P"],
    ),
    (
        "float-default-beyond-a-double",
        definition([training_step("A")], parameters=[_param("P", "Float", 10**400)]),
        ["P", "not a valid Float"],
    ),
    (
        "float-default-infinite",
        definition([training_step("A")], parameters=[_param("P", "Float", 1.5)]).replace(
            "1.5", "1e999"
        ),
        ["JSON is malformed", "1e999 is beyond the range of a double"],
    ),
    (
        "string-default-is-a-number",
        definition([training_step("A")], parameters=[_param("P", "String", 5)]),
        ["P"],
    ),
    (
        "untyped-parameter-default-is-a-number",
        definition([training_step("A")], parameters=[_param("P", None, 5)]),
        ["P"],
    ),
    (
        "duplicate-parameter",
        definition(
            [training_step("A")],
            parameters=[_param("P", "String", "a"), _param("P", "String", "b")],
        ),
        ["P"],
    ),
    (
        "parameter-without-name",
        definition([training_step("A")], parameters=[{"Type": "String"}]),
        ["Name"],
    ),
    (
        "default-outside-enum-values",
        definition(
            [training_step("A")],
            parameters=[_param("Env", "String", "qa", EnumValues=["dev", "prod"])],
        ),
        ["Env"],
    ),
    (
        "parameters-not-a-list",
        _doc(Parameters={"Name": "P"}, Steps=[training_step("A")]),
        ["Parameters"],
    ),
]


@pytest.fixture
def existing(sm: Any) -> str:
    """A pipeline ``existing`` at version 1 with the VALID definition; returns its ARN."""
    return sm.create_pipeline(PipelineName="existing", RoleArn=ROLE, PipelineDefinition=VALID)[
        "PipelineArn"
    ]


def _assert_rejected(excinfo: pytest.ExceptionInfo[ClientError], needles: list[str]) -> str:
    assert client_error_code(excinfo.value) == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message = excinfo.value.response["Error"]["Message"]
    for needle in needles:
        assert needle in message, message
    return message


@pytest.mark.parametrize(("body", "needles"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_create_rejects_an_invalid_definition_and_creates_nothing(
    sm: Any, body: str, needles: list[str]
) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="rejected", RoleArn=ROLE, PipelineDefinition=body)

    _assert_rejected(excinfo, needles)
    assert sm.list_pipelines()["PipelineSummaries"] == []
    with pytest.raises(ClientError) as missing:
        sm.describe_pipeline(PipelineName="rejected")
    assert client_error_code(missing.value) == "ResourceNotFound"


@pytest.mark.parametrize(("body", "needles"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_update_rejects_an_invalid_definition_and_keeps_the_version(
    sm: Any, existing: str, body: str, needles: list[str]
) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.update_pipeline(
            PipelineName="existing", PipelineDefinition=body, PipelineDescription="changed"
        )

    _assert_rejected(excinfo, needles)
    described = sm.describe_pipeline(PipelineName="existing")
    assert described["PipelineDefinition"] == VALID
    assert "PipelineDescription" not in described
    versions = sm.list_pipeline_versions(PipelineName="existing")["PipelineVersionSummaries"]
    assert [v["PipelineVersionId"] for v in versions] == [1]


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ('{"Version": "2020-12-01", "Steps": [}', 1, 37),
        ('{\n  "Version": "2020-12-01",\n  "Steps": [\n    {"Name": "A",}\n  ]\n}', 4, 18),
        ('{"Version": "2020-12-01" "Steps": []}', 1, 26),
        ("", 1, 1),
        ("not json", 1, 1),
    ],
)
def test_malformed_json_is_rejected_naming_the_position(
    sm: Any, existing: str, body: str, line: int, column: int
) -> None:
    for call in (
        lambda: sm.create_pipeline(
            PipelineName="bad", RoleArn=ROLE, PipelineDefinition=body or " "
        ),
        lambda: sm.update_pipeline(PipelineName="existing", PipelineDefinition=body or " "),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        message = _assert_rejected(excinfo, [])
        if body:
            assert re.search(rf"\bline {line}\b", message), message
            assert re.search(rf"\bcolumn {column}\b", message), message
    names = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
    assert names == ["existing"]
    assert sm.describe_pipeline(PipelineName="existing")["PipelineDefinition"] == VALID


def test_every_problem_is_reported_at_once(sm: Any) -> None:
    body = definition(
        [training_step("A", depends_on=["Ghost"]), train_with("B", {"Get": "Parameters.Nope"})]
    )

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=body)

    _assert_rejected(excinfo, ["Ghost", "Nope"])


# ------------------------------------------------------------------------ accepted definitions

VALID_CASES: list[tuple[str, str]] = [
    ("no-steps", _doc()),
    ("only-steps", json.dumps({"Steps": [training_step("A")]})),
    (
        "untyped-string-parameter",
        definition(
            [train_with("A", {"Get": "Parameters.InputDataSource"})],
            parameters=[{"Name": "InputDataSource"}],
        ),
    ),
    (
        "every-parameter-type",
        definition(
            [training_step("A")],
            parameters=[
                _param("S", "String", "x"),
                _param("E", "String", "dev", EnumValues=["dev", "prod"]),
                _param("I", "Integer", 3),
                _param("F", "Float", 0.5),
                _param("FInt", "Float", 1),
                _param("B", "Boolean", False),
                _param("NoDefault", "Integer"),
            ],
        ),
    ),
    (
        "every-execution-variable",
        definition(
            [
                train_with(
                    "A",
                    {
                        "Std:Join": {
                            "On": "/",
                            "Values": [
                                {"Get": f"Execution.{v}"}
                                for v in (
                                    "StartDateTime",
                                    "CurrentDateTime",
                                    "PipelineName",
                                    "PipelineArn",
                                    "PipelineExecutionId",
                                    "PipelineExecutionArn",
                                )
                            ],
                        }
                    },
                )
            ]
        ),
    ),
    (
        "data-reference-and-depends-on",
        definition([training_step("A"), train_with("B", step_ref("A"), depends_on=["A"])]),
    ),
    (
        "sdk-condition-forms-and-branches",
        definition(
            [
                processing_step("Eval", property_file="Report"),
                condition_step(
                    "Check",
                    [
                        {
                            "Type": "GreaterThanOrEqualTo",
                            "LeftValue": {
                                "Std:JsonGet": {
                                    "PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"},
                                    "Path": "metrics.accuracy.value",
                                }
                            },
                            "RightValue": {"Get": "Parameters.Threshold"},
                        },
                        {"Type": "Not", "Condition": equals(1, 2)},
                        {"Type": "Or", "Conditions": [equals(1, 1), equals(2, 3)]},
                        {"Type": "In", "QueryValue": "a", "Values": ["a", "b"]},
                    ],
                    if_steps=[training_step("Train", depends_on=["Eval"])],
                    else_steps=[fail_step("Stop", {"Get": "Parameters.Threshold"})],
                ),
            ],
            parameters=[_param("Threshold", "Float", 0.7)],
        ),
    ),
    (
        "branch-step-references-sibling",
        definition(
            [
                condition_step(
                    "Check",
                    [equals(1, 1)],
                    if_steps=[training_step("First"), train_with("Second", step_ref("First"))],
                )
            ]
        ),
    ),
    (
        "fail-step-in-else-branch",
        definition([condition_step("Check", [equals(1, 1)], else_steps=[fail_step("Stop", "no")])]),
    ),
    (
        "experiment-config",
        json.dumps(
            {
                "Version": "2020-12-01",
                "Parameters": [],
                "PipelineExperimentConfig": {
                    "ExperimentName": {"Get": "Execution.PipelineName"},
                    "TrialName": {"Get": "Execution.PipelineExecutionId"},
                },
                "Steps": [training_step("A")],
            }
        ),
    ),
]


@pytest.mark.parametrize("body", [c[1] for c in VALID_CASES], ids=[c[0] for c in VALID_CASES])
def test_valid_definitions_are_accepted_verbatim(sm: Any, existing: str, body: str) -> None:
    sm.create_pipeline(PipelineName="accepted", RoleArn=ROLE, PipelineDefinition=body)
    version = sm.update_pipeline(PipelineName="existing", PipelineDefinition=body)

    assert sm.describe_pipeline(PipelineName="accepted")["PipelineDefinition"] == body
    assert version["PipelineVersionId"] == 2
    assert sm.describe_pipeline(PipelineName="existing")["PipelineDefinition"] == body


def test_the_real_definitions_pass_update_too(sm: Any, existing: str) -> None:
    for index, prefix in enumerate(("01", "03", "05"), start=2):
        body = real_definition(prefix)
        version = sm.update_pipeline(PipelineName="existing", PipelineDefinition=body)
        assert version["PipelineVersionId"] == index
        assert sm.describe_pipeline(PipelineName="existing")["PipelineDefinition"] == body


def test_external_resources_are_not_checked_at_create_time(sm: Any) -> None:
    body = definition(
        [
            {
                "Name": "Invoke",
                "Type": "Lambda",
                "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:does-not-exist",
                "Arguments": {},
                "OutputParameters": [],
            },
            {
                "Name": "Wait",
                "Type": "Callback",
                "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/no-such-queue",
                "Arguments": {},
                "OutputParameters": [],
            },
        ]
    )

    arn = sm.create_pipeline(PipelineName="ext", RoleArn=ROLE, PipelineDefinition=body)[
        "PipelineArn"
    ]

    assert arn.endswith(":pipeline/ext")


# ------------------------------------------------------------------------------- properties

_STEP_NAMES = st.sampled_from(["A", "B", "C", "D"])


@st.composite
def _random_graphs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to four Training steps with random DependsOn edges and data references (cycles too)."""
    names = draw(st.lists(_STEP_NAMES, min_size=1, max_size=4, unique=True))
    steps = []
    for name in names:
        deps = draw(st.lists(st.sampled_from([*names, "Ghost"]), max_size=2, unique=True))
        ref = draw(st.one_of(st.none(), st.sampled_from(names)))
        step = train_with(name, step_ref(ref)) if ref else training_step(name)
        if deps:
            step["DependsOn"] = deps
        steps.append(step)
    return steps


def _has_cycle_or_ghost(steps: list[dict[str, Any]]) -> bool:
    edges: dict[str, set[str]] = {}
    for step in steps:
        deps = set(step.get("DependsOn", []))
        out = step["Arguments"]["OutputDataConfig"]["S3OutputPath"]
        if isinstance(out, dict):
            deps.add(out["Get"].split(".")[1])
        edges[step["Name"]] = deps
    if any("Ghost" in d for d in edges.values()):
        return True
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2:
            return False
        state[node] = 1
        found = any(visit(d) for d in edges[node])
        state[node] = 2
        return found

    return any(visit(n) for n in edges)


def test_random_step_graphs_are_accepted_exactly_when_acyclic(sm: Any) -> None:
    counter = iter(range(10_000))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(steps=_random_graphs())
    def check(steps: list[dict[str, Any]]) -> None:
        name = f"g{next(counter)}"
        body = definition(steps)
        try:
            sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=body)
        except ClientError as exc:
            assert client_error_code(exc) == "ValidationException"
            assert _has_cycle_or_ghost(steps), exc.response["Error"]["Message"]
        else:
            assert not _has_cycle_or_ghost(steps), body
            sm.delete_pipeline(PipelineName=name)

    check()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1.5e999"])
def test_numbers_no_json_can_carry_are_refused(sm: Any, literal: str) -> None:
    body = definition([fail_step("F")]).replace('"failed"', literal)
    assert literal in body
    with pytest.raises(ClientError) as err:
        sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=body)
    assert client_error_code(err.value) == "ValidationException"
    assert "JSON is malformed" in err.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []
