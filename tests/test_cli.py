"""The ``mock-sagemaker-pipelines`` command line, run as users run it (``main(argv)`` or the script)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mock_sagemaker_pipelines.cli import main

from .support import DEFINITIONS, ROOT, callback_step, definition, training_step

SCENARIOS = ROOT / "examples" / "scenarios"
DEF01 = str(next(DEFINITIONS.glob("01-*.json")))
DEF03 = str(next(DEFINITIONS.glob("03-*.json")))
DEF05 = str(next(DEFINITIONS.glob("05-*.json")))
START = "2024-03-01T12:00:00Z"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def simulate_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    """``simulate --format json``: the parsed document (the command must exit 0)."""
    code, out, err = run(capsys, "simulate", *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def rows(out: str) -> dict[str, list[str]]:
    """Table rows by step name: [type, status, start, end, attempts] (the bar left out)."""
    table: dict[str, list[str]] = {}
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("STEP "))
    for line in lines[header + 1 :]:
        if not line.strip():
            break
        cells = line.split("|", 1)[0].split()
        if cells[2] == "(not":  # "(not run)" spans two words
            cells = [*cells[:2], "(not run)", *cells[4:]]
        table[cells[0]] = cells[1:]
    return table


def final_line(out: str) -> str:
    """The closing ``Execution <status> ...`` line (the header's ``Execution  <arn>`` comes first)."""
    return next(line for line in reversed(out.splitlines()) if line.startswith("Execution "))


def steps_by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["StepName"]: s for s in doc["Steps"]}


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


# ------------------------------------------------------------------ simulate: real definitions
def test_simulate_01_runs_to_succeeded_with_placeholder_callback_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "simulate", DEF01, "--start-time", START)
    assert code == 0
    table = rows(out)
    assert list(table) == [
        "GluePrepCallbackStep",
        "TrainModel",
        "TaxiModel-CreateModel",
        "TaxiTransform",
    ]
    assert table["GluePrepCallbackStep"][:3] == ["Callback", "Succeeded", "T+0s"]
    assert all(row[1] == "Succeeded" and row[4] == "1" for row in table.values())
    assert final_line(out).startswith("Execution Succeeded at T+")
    assert "Started    2024-03-01T12:00:00+00:00" in out
    assert "Pipeline   01-examples-callback-glue-train-transform" in out


def test_simulate_05_lambda_and_callback_steps_succeed_without_a_scenario(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = simulate_json(capsys, DEF05)
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    steps = steps_by_name(doc)
    assert set(steps) == {
        "StartAutopilotJobStep",
        "CheckAutopilotJobStatusCallbackStep",
        "EvaluateBestAutopilotModelStep",
        "RegisterAutopilotModelStep",
    }
    assert all(s["StepStatus"] == "Succeeded" for s in steps.values())
    # Created where the definition's ARNs point: account 111122223333, us-east-1.
    assert doc["PipelineArn"].startswith("arn:aws:sagemaker:us-east-1:111122223333:pipeline/")
    assert steps["CheckAutopilotJobStatusCallbackStep"]["Metadata"]["Callback"]["SqsQueueUrl"] == (
        "https://sqs.us-east-1.amazonaws.com/111122223333/AutopilotSagemakerPipelinesSqsCallback"
    )


def test_simulate_03_pass_scenario_takes_the_success_branch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        "simulate",
        DEF03,
        "--scenario",
        str(SCENARIOS / "abalone-pass.json"),
        "--expect",
        "Succeeded",
    )
    assert code == 0
    table = rows(out)
    assert table["AbaloneMSECond"][1] == "Succeeded"
    for step in (
        "AbaloneRegisterModel-RegisterModel",
        "AbaloneCreateModel-CreateModel",
        "AbaloneTransform",
    ):
        assert table[step][1] == "Succeeded"
    assert table["AbaloneMSEFail"][1] == "(not run)"
    assert final_line(out).startswith("Execution Succeeded")


def test_simulate_03_fail_scenario_ends_in_the_fail_step_with_its_rendered_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "simulate", DEF03, "--scenario", str(SCENARIOS / "abalone-fail.json")
    )
    assert code == 0
    table = rows(out)
    assert table["AbaloneMSEFail"][:2] == ["Fail", "Failed"]
    assert table["AbaloneTransform"][1] == "(not run)"
    assert final_line(out).startswith("Execution Failed")
    assert "Step failure: One or multiple steps failed" in final_line(out)
    assert "  AbaloneMSEFail: Execution failed due to MSE > 6.0" in out.splitlines()


def test_simulate_03_fail_scenario_json_carries_the_fail_step_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = simulate_json(capsys, DEF03, "--scenario", str(SCENARIOS / "abalone-fail.json"))
    assert doc["PipelineExecutionStatus"] == "Failed"
    fail = steps_by_name(doc)["AbaloneMSEFail"]
    assert fail["StepStatus"] == "Failed"
    assert fail["FailureReason"] == "Execution failed due to MSE > 6.0"


def test_command_line_parameter_overrides_the_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    # mse 7.5 fails the default threshold 6.0 but passes 8.0.
    doc = simulate_json(
        capsys,
        DEF03,
        "--scenario",
        str(SCENARIOS / "abalone-fail.json"),
        "--parameter",
        "MseThreshold=8.0",
    )
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    assert "AbaloneMSEFail" not in steps_by_name(doc)


def test_simulate_03_without_a_scenario_ends_with_a_clear_condition_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = simulate_json(capsys, DEF03)
    assert doc["PipelineExecutionStatus"] == "Failed"
    cond = steps_by_name(doc)["AbaloneMSECond"]
    assert cond["StepStatus"] == "Failed"
    assert cond["FailureReason"].startswith("ClientError:")
    assert "evaluation.json" in cond["FailureReason"]


def test_outcome_given_as_json_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    report = {"regression_metrics": {"mse": {"value": 1.0}}}
    outcome = json.dumps(
        {"succeed": True, "after": 42, "property_files": {"EvaluationReport": report}}
    )
    doc = simulate_json(capsys, DEF03, "--outcome", f"AbaloneEval={outcome}")
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    ev = steps_by_name(doc)["AbaloneEval"]
    took = datetime.fromisoformat(ev["EndTime"]) - datetime.fromisoformat(ev["StartTime"])
    assert took.total_seconds() == pytest.approx(43)  # 1 s Starting + 42 s scripted


# ------------------------------------------------------------------ simulate: options
def test_json_format_is_describe_plus_steps_with_iso_timestamps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = simulate_json(capsys, DEF01, "--start-time", START)
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    assert doc["PipelineExecutionArn"].startswith(doc["PipelineArn"] + "/execution/")
    assert "ResponseMetadata" not in doc
    assert datetime.fromisoformat(doc["CreationTime"]) == datetime.fromisoformat(
        "2024-03-01T12:00:00+00:00"
    )
    assert datetime.fromisoformat(doc["LastModifiedTime"]).tzinfo is not None
    assert [s["StepName"] for s in doc["Steps"]] == [
        "GluePrepCallbackStep",
        "TrainModel",
        "TaxiModel-CreateModel",
        "TaxiTransform",
    ]
    starts = [datetime.fromisoformat(s["StartTime"]) for s in doc["Steps"]]
    assert starts == sorted(starts)
    for step in doc["Steps"]:
        assert datetime.fromisoformat(step["EndTime"]) >= datetime.fromisoformat(step["StartTime"])
    outputs = doc["Steps"][0]["Metadata"]["Callback"]["OutputParameters"]
    assert outputs == [{"Name": "s3_data_out", "Value": "s3_data_out-placeholder"}]


def test_stop_at_stops_the_execution(capsys: pytest.CaptureFixture[str]) -> None:
    doc = simulate_json(capsys, DEF01, "--stop-at", "100")
    assert doc["PipelineExecutionStatus"] == "Stopped"
    steps = steps_by_name(doc)
    assert steps["GluePrepCallbackStep"]["StepStatus"] == "Succeeded"
    assert steps["TrainModel"]["StepStatus"] == "Stopped"
    assert "TaxiTransform" not in steps


def test_stop_at_in_a_scenario_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scenario = write(tmp_path, "stop.json", {"stop_at": 100})
    code, out, _ = run(capsys, "simulate", DEF01, "--scenario", scenario)
    assert code == 0
    assert rows(out)["TrainModel"][1] == "Stopped"
    assert final_line(out).startswith("Execution Stopped")


def test_outcome_fail_gives_failed_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", DEF01, "--outcome", "TrainModel=fail:boom")
    assert code == 0
    assert rows(out)["TrainModel"][1] == "Failed"
    assert rows(out)["TaxiTransform"][1] == "(not run)"
    assert (
        final_line(out) == "Execution Failed at T+962s: Step failure: One or multiple steps failed."
    )
    assert "  TrainModel: boom" in out.splitlines()


def test_expect_turns_another_final_status_into_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "simulate", DEF01, "--outcome", "TrainModel=fail:boom", "--expect", "Succeeded"
    )
    assert code == 1
    assert "ended Failed, expected Succeeded" in err


def test_durations_from_a_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scenario = write(
        tmp_path,
        "fast.json",
        {"durations": {"Training": 60}, "step_durations": {"TaxiTransform": 5}},
    )
    doc = simulate_json(capsys, DEF01, "--scenario", scenario)
    steps = steps_by_name(doc)

    def took(name: str) -> float:
        step = steps[name]
        return (
            datetime.fromisoformat(step["EndTime"]) - datetime.fromisoformat(step["StartTime"])
        ).total_seconds()

    assert took("TrainModel") == pytest.approx(61)  # 1 s Starting + 60 s
    assert took("TaxiTransform") == pytest.approx(6)


def test_same_seed_and_start_time_give_identical_output(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "simulate", DEF05, "--seed", "7", "--start-time", START)
    second = run(capsys, "simulate", DEF05, "--seed", "7", "--start-time", START)
    other = run(capsys, "simulate", DEF05, "--seed", "8", "--start-time", START)
    assert first[0] == 0
    assert first[1] == second[1]
    assert first[1] != other[1]  # the execution id differs


def test_region_and_account_options_override_the_definition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = simulate_json(capsys, DEF05, "--region", "eu-west-1", "--account", "444455556666")
    assert doc["PipelineArn"].startswith("arn:aws:sagemaker:eu-west-1:444455556666:pipeline/")
    # The queue still lives where its URL says, so the Callback step can send to it.
    assert doc["PipelineExecutionStatus"] == "Succeeded"


def test_queue_url_from_a_parameter_is_created_where_it_points(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    queue = {
        "Std:Join": {
            "On": "/",
            "Values": [
                "https://sqs.ap-southeast-2.amazonaws.com/444455556666",
                {"Get": "Parameters.Queue"},
            ],
        }
    }
    text = definition(
        [
            callback_step("Wait", {"Get": "Parameters.QueueUrl"}, outputs=[("n", "Integer")]),
            callback_step("Join", queue, DependsOn=["Wait"]),
            training_step("Train", depends_on=["Join"]),
        ],
        parameters=[
            {
                "Name": "QueueUrl",
                "Type": "String",
                "DefaultValue": "https://sqs.eu-central-1.amazonaws.com/444455556666/default-q",
            },
            {"Name": "Queue", "Type": "String", "DefaultValue": "q1"},
        ],
    )
    path = write(tmp_path, "queues.json", text)
    doc = simulate_json(
        capsys,
        path,
        "--parameter",
        "QueueUrl=https://sqs.eu-central-1.amazonaws.com/444455556666/given-q",
        "--parameter",
        "Queue=joined-q",
    )
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    steps = steps_by_name(doc)
    assert steps["Wait"]["Metadata"]["Callback"]["SqsQueueUrl"].endswith("/444455556666/given-q")
    assert steps["Wait"]["Metadata"]["Callback"]["OutputParameters"] == [
        {"Name": "n", "Value": "0"}
    ]
    assert steps["Join"]["Metadata"]["Callback"]["SqsQueueUrl"] == (
        "https://sqs.ap-southeast-2.amazonaws.com/444455556666/joined-q"
    )


def test_strict_names_the_callback_step_waiting(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "simulate", DEF01, "--strict")
    assert code == 3
    assert rows(out)["GluePrepCallbackStep"][1] == "Executing"
    assert final_line(out).startswith("Execution Executing")
    assert "Steps waiting on outside input:" in err
    assert "GluePrepCallbackStep (Callback)" in err
    assert "TrainModel" not in err


def test_strict_names_a_lambda_step_that_had_nothing_to_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "simulate", DEF05, "--strict")
    assert code == 3
    assert "StartAutopilotJobStep (Lambda)" in err
    assert "--outcome StartAutopilotJobStep=succeed" in err


def test_strict_with_every_outside_step_scripted_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "simulate",
        DEF05,
        "--strict",
        "--outcome",
        "StartAutopilotJobStep=succeed",
        "--outcome",
        "CheckAutopilotJobStatusCallbackStep=succeed:600",
        "--outcome",
        "RegisterAutopilotModelStep=succeed",
    )
    assert code == 0, err
    assert rows(out)["CheckAutopilotJobStatusCallbackStep"][:4] == [
        "Callback",
        "Succeeded",
        "T+11s",
        "T+612s",
    ]
    assert "waiting" not in err


# ------------------------------------------------------------------ simulate: bad input
def test_bad_parameter_type_is_a_clean_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "simulate", DEF01, "--parameter", "TrainingInstanceCount=abc")
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "mock-sagemaker-pipelines: error: Value 'abc' for parameter 'TrainingInstanceCount' "
        "is not a valid Integer."
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--parameter", "Nope=1"], "unknown parameter 'Nope'"),
        (["--parameter", "NoEquals"], "expected NAME=VALUE"),
        (["--outcome", "Nope=succeed"], "unknown step 'Nope'"),
        (
            ["--outcome", "TrainModel=maybe"],
            "must be succeed, succeed:SECONDS, fail, fail:REASON or an outcome object",
        ),
        (["--outcome", "TrainModel={not json"], "is not valid JSON"),
        (["--stop-at", "-5"], "SECONDS must be between 0 and"),
        (["--stop-at", "1e300"], "SECONDS must be between 0 and"),
        (["--start-time", "yesterday"], "expected an ISO 8601 date and time"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--account", "12"], "12-digit account id"),
        (["--scenario", "/nonexistent/scenario.json"], "cannot read scenario file"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "simulate", DEF01, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({"outcome": {}}, "unknown keys ['outcome']"),
        ({"outcomes": {"TrainModel": {"succeed": False}}}, "'succeed' must be true"),
        (
            {"outcomes": {"TrainModel": {"fail": "x", "after": -1}}},
            "must be between 0 and",
        ),
        ({"parameters": {"TrainingInstanceCount": [1]}}, "must be a string, number or boolean"),
        ({"stop_at": "soon"}, "'stop_at' must be a number of simulated seconds"),
        ({"stop_at": 1e308}, "'stop_at' must be between 0 and"),
        ("{not json", "is not valid JSON"),
    ],
)
def test_bad_scenario_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scenario: Any, message: str
) -> None:
    code, out, err = run(
        capsys, "simulate", DEF01, "--scenario", write(tmp_path, "s.json", scenario)
    )
    assert code == 2
    assert out == ""
    assert message in err


def test_invalid_definition_is_a_usage_error_for_simulate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path, "bad.json", definition([{"Name": "F", "Type": "Fail", "DependsOn": ["Nope"]}])
    )
    code, out, err = run(capsys, "simulate", path)
    assert code == 2
    assert out == ""
    assert "depends on step 'Nope'" in err


def test_parameter_without_default_needs_a_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "p.json",
        definition([training_step("T")], parameters=[{"Name": "Must", "Type": "String"}]),
    )
    code, _, err = run(capsys, "simulate", path)
    assert code == 2
    assert "Must" in err
    doc = simulate_json(capsys, path, "--parameter", "Must=x")
    assert doc["PipelineExecutionStatus"] == "Succeeded"


# ------------------------------------------------------------------ validate
def test_validate_good_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", DEF01, DEF03, DEF05)
    assert code == 0
    assert out.splitlines() == [f"{DEF01}: OK", f"{DEF03}: OK", f"{DEF05}: OK"]


def test_validate_prints_one_line_per_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = {
        "Version": "2020-12-01",
        "Parameters": [
            {"Name": "X", "Type": "Integer", "DefaultValue": "abc"},
            {"Name": "Y", "Type": "Weird"},
        ],
        "Steps": [
            {
                "Name": "F",
                "Type": "Fail",
                "Arguments": {"ErrorMessage": {"Get": "Parameters.Missing"}},
            },
            {"Name": "G", "Type": "Fail", "DependsOn": ["Nope"]},
        ],
    }
    path = write(tmp_path, "bad.json", bad)
    code, out, _ = run(capsys, "validate", path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any("Parameter 'X'" in line for line in lines)
    assert any("Parameter 'Y'" in line for line in lines)
    assert any("'Missing'" in line for line in lines)
    assert any("'Nope'" in line for line in lines)


def test_validate_malformed_json_and_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", write(tmp_path, "x.json", "{nope"))
    assert code == 1
    assert len(out.splitlines()) == 1
    assert "malformed" in out
    code, out, err = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert code == 2
    assert "cannot read definition" in err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "usage: mock-sagemaker-pipelines" in err


# ------------------------------------------------------------------ the installed script
def test_console_script_runs_simulate() -> None:
    bindir = str(Path(sys.executable).parent)
    script = shutil.which(
        "mock-sagemaker-pipelines", path=bindir + os.pathsep + os.environ.get("PATH", "")
    )
    assert script is not None, "the mock-sagemaker-pipelines console script is not installed"
    done = subprocess.run(
        [
            script,
            "simulate",
            DEF03,
            "--scenario",
            str(SCENARIOS / "abalone-pass.json"),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["PipelineExecutionStatus"] == "Succeeded"
    assert steps_by_name(doc)["AbaloneTransform"]["StepStatus"] == "Succeeded"
    bad = subprocess.run(
        [script, "simulate", DEF01, "--parameter", "TrainingInstanceCount=1.5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "not a valid Integer" in bad.stderr
