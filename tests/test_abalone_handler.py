"""The abalone example runs both branches with a job handler that writes its evaluation report.

``examples/scenarios/abalone_handlers.py`` stands in for ``evaluation.py`` of the ``AbaloneEval``
Processing step; the Condition reads the report it writes to moto's S3. The same handler runs
from a test (through boto3) and from a scenario file (``simulate --scenario``).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock
from mock_sagemaker_pipelines.cli import main
from mock_sagemaker_pipelines.scenario import ScenarioError, load_scenario

from .support import REGION, ROLE, ROOT, real_definition, steps_by_name

SCENARIO = ROOT / "examples" / "scenarios" / "abalone-handler.json"
DEF03 = str(next((ROOT / "examples" / "definitions").glob("03-*.json")))
PASSED = {
    "AbaloneRegisterModel-RegisterModel",
    "AbaloneCreateModel-CreateModel",
    "AbaloneTransform",
}


@pytest.mark.parametrize(
    ("threshold", "taken", "outcome"),
    [("6.0", PASSED, "True"), ("3.0", {"AbaloneMSEFail"}, "False")],
)
def test_the_handler_report_decides_the_branch(
    pipelines: PipelinesMock, sm: Any, threshold: str, taken: set[str], outcome: str
) -> None:
    for step, handler in load_scenario(SCENARIO).job_handlers.items():
        pipelines.job_handler(step, handler)
    sm.create_pipeline(
        PipelineName="abalone", RoleArn=ROLE, PipelineDefinition=real_definition("03")
    )
    arn = sm.start_pipeline_execution(
        PipelineName="abalone",
        PipelineParameters=[{"Name": "MseThreshold", "Value": threshold}],
    )["PipelineExecutionArn"]
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert steps["AbaloneMSECond"]["Metadata"]["Condition"]["Outcome"] == outcome
    branch = set(steps) & (PASSED | {"AbaloneMSEFail"})
    assert branch == taken
    (use,) = pipelines.property_files("abalone")
    bucket, key = use.location[len("s3://") :].split("/", 1)
    report = json.loads(
        boto3.client("s3", region_name=REGION).get_object(Bucket=bucket, Key=key)["Body"].read()
    )
    assert report["regression_metrics"]["mse"]["value"] == 4.2
    assert report["model"].endswith("/output/model.tar.gz")


@pytest.mark.parametrize(
    ("extra", "status", "taken"),
    [
        ((), "Succeeded", "AbaloneTransform"),
        (("-p", "MseThreshold=3.0"), "Failed", "AbaloneMSEFail"),
    ],
)
def test_the_scenario_file_runs_the_handler(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], status: str, taken: str
) -> None:
    code = main(["simulate", DEF03, "--scenario", str(SCENARIO), *extra, "--format", "json"])
    out, err = capsys.readouterr()

    assert code == 0, err
    doc = json.loads(out)
    assert doc["PipelineExecutionStatus"] == status
    steps = {s["StepName"]: s for s in doc["Steps"]}
    assert steps[taken]["StepStatus"] == ("Failed" if taken == "AbaloneMSEFail" else "Succeeded")
    assert "property file" not in err


def test_simulate_says_which_property_file_was_missing(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", DEF03])
    out, err = capsys.readouterr()

    assert code == 0
    assert "Property file 'EvaluationReport' of step 'AbaloneEval' could not be read" in out
    note = next(line for line in err.splitlines() if "writes property file" in line)
    assert "AbaloneEval writes property file EvaluationReport to s3://example-bucket/" in note
    assert "/output/evaluation/evaluation.json, read by AbaloneMSECond" in note
    assert "(regression_metrics.mse.value)" in note
    assert """--outcome AbaloneEval='{"succeed": true, "property_files": """ in note


def test_a_handler_path_that_does_not_import_is_a_scenario_error(tmp_path: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"handlers": {"AbaloneEval": "no_such_module:handler"}}))
    with pytest.raises(ScenarioError, match="cannot import no_such_module"):
        load_scenario(bad)
    bad.write_text(json.dumps({"handlers": {"AbaloneEval": "json:nothing"}}))
    with pytest.raises(ScenarioError, match="json has no nothing"):
        load_scenario(bad)
    bad.write_text(json.dumps({"handlers": {"AbaloneEval": 3}}))
    with pytest.raises(ScenarioError, match="must be a dotted path"):
        load_scenario(bad)


def test_simulate_refuses_a_handler_for_an_unknown_step(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "unknown.json"
    scenario.write_text(
        json.dumps({"handlers": {"Nope": "abalone_handlers:write_evaluation_report"}})
    )
    # The handler module is found in the scenario file's folder.
    (tmp_path / "abalone_handlers.py").write_text(
        (SCENARIO.parent / "abalone_handlers.py").read_text()
    )

    code = main(["simulate", DEF03, "--scenario", str(scenario)])
    _, err = capsys.readouterr()

    assert code == 2
    assert "unknown step 'Nope'" in err
