"""``mock-sagemaker-pipelines graph``: the DAG of a definition as Mermaid or Graphviz dot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_sagemaker_pipelines.cli import main

from .support import DEFINITIONS, definition, fail_step, training_step

DEF03 = str(next(DEFINITIONS.glob("03-*.json")))


def graph(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["graph", *argv]) == 0
    return capsys.readouterr().out


def mermaid_ids(out: str) -> dict[str, str]:
    """Step name -> Mermaid node id, from the node lines (``s3{"Name<br/>Type"}``)."""
    return {m[2]: m[1] for m in re.finditer(r"^\s+(s\d+)\W+(?:Fail: )?([\w-]+)<br/>", out, re.M)}


def test_mermaid_labels_the_condition_branches_and_marks_the_fail_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = graph(capsys, DEF03)
    assert out.startswith("flowchart TD\n")
    ids = mermaid_ids(out)
    assert len(ids) == 8
    cond, fail = ids["AbaloneMSECond"], ids["AbaloneMSEFail"]
    assert f"{cond} -->|false| {fail}" in out
    for name in ("AbaloneRegisterModel-RegisterModel", "AbaloneCreateModel-CreateModel"):
        assert f"{cond} -->|true| {ids[name]}" in out
    assert f'{cond}{{"AbaloneMSECond<br/>Condition"}}' in out  # a diamond
    assert f'{fail}(["Fail: AbaloneMSEFail<br/>Fail"])' in out
    assert re.search(rf"^\s+class {fail} fail$", out, re.M)
    # A data reference (Steps.AbaloneEval... in the Condition) is a dotted edge.
    assert f"{ids['AbaloneEval']} -.-> {cond}" in out


def test_dot_labels_branches_and_run_conditions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "handlers.json"
    path.write_text(
        definition(
            [
                training_step("Train"),
                training_step("Cleanup", depends_on=[{"Step": "Train", "Trigger": "Failed"}]),
                training_step("Report", depends_on=["Train"]),
                fail_step("Stop", "stopped", depends_on=["Report"]),
            ]
        )
    )
    out = graph(capsys, str(path), "--format", "dot")
    assert out.startswith('digraph "pipeline" {')
    assert '"Train" -> "Cleanup" [label="Failed"];' in out
    assert '"Train" -> "Report";' in out
    assert re.search(r'"Stop" \[label="Stop\\nFail", shape=octagon, color=red', out)
    out = graph(capsys, DEF03, "-f", "dot")
    assert '"AbaloneMSECond" -> "AbaloneMSEFail" [label="false"];' in out
    assert '"AbaloneMSECond" -> "AbaloneTransform" [label="true"];' in out
    assert '"AbaloneMSECond" [label="AbaloneMSECond\\nCondition", shape=diamond];' in out


def test_an_invalid_definition_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(definition([training_step("A", depends_on=["Missing"])]))
    assert main(["graph", str(path)]) == 2
    err = capsys.readouterr().err
    assert "is not a valid pipeline definition" in err and "Missing" in err
    assert "Traceback" not in err


def test_lenient_draws_a_step_type_this_release_does_not_know(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "future.json"
    future = {"Name": "Later", "Type": "FutureStep", "Arguments": {}, "DependsOn": ["Train"]}
    path.write_text(definition([training_step("Train"), future]))
    assert main(["graph", str(path)]) == 2
    assert "FutureStep" in capsys.readouterr().err
    out = graph(capsys, str(path), "--lenient", "--format", "dot")
    assert '"Later" [label="Later\\nFutureStep"];' in out
    assert '"Train" -> "Later";' in out
