"""``simulate --html``: the page opened in a real headless browser (Debian's chromium).

The page must render (its script runs to the end and marks ``<body data-ready="true">``), draw
one Gantt bar per attempt of every step ListPipelineExecutionSteps lists, grey the untaken
Condition branch, mark the stop, and log nothing to the console. ``.ci/run`` installs the
browser; without one these tests skip and say so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mock_sagemaker_pipelines.cli import main

from .support import (
    DEFINITIONS,
    ROOT,
    definition,
    elements,
    find_browser,
    render_in_browser,
    training_step,
)

SCENARIOS = ROOT / "examples" / "scenarios"
DEF01 = str(next(DEFINITIONS.glob("01-*.json")))
DEF03 = str(next(DEFINITIONS.glob("03-*.json")))
START = "2024-03-01T12:00:00Z"


@pytest.fixture(scope="module")
def browser() -> str:
    found = find_browser()
    if found is None:
        pytest.skip(
            "no headless browser: install Debian's chromium (apt-get install -y chromium, as "
            ".ci/run does) or name one in MOCK_SAGEMAKER_PIPELINES_BROWSER"
        )
    return found


def simulate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str
) -> tuple[Path, dict[str, Any]]:
    """Run ``simulate ... --html`` and ``--format json`` alike: (the page, the JSON document)."""
    page = tmp_path / "run.html"
    assert main(["simulate", *argv, "--start-time", START, "--html", str(page)]) == 0
    assert page.exists()
    capsys.readouterr()
    assert main(["simulate", *argv, "--start-time", START, "--format", "json"]) == 0
    return page, json.loads(capsys.readouterr().out)


def bars_by_step(dom: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for bar in elements(dom, "rect", "bar"):
        found.setdefault(bar["data-step"], []).append(bar)
    return found


def test_the_page_renders_a_bar_per_listed_step_and_greys_the_untaken_branch(
    browser: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page, doc = simulate(
        capsys, tmp_path, DEF03, "--scenario", str(SCENARIOS / "abalone-pass.json")
    )
    dom, console = render_in_browser(browser, page, tmp_path / "profile")
    assert console == []
    (body,) = elements(dom, "body")
    assert body.get("data-ready") == "true"  # the page's script ran to its end
    listed = [s["StepName"] for s in doc["Steps"]]
    bars = bars_by_step(dom)
    assert sorted(bars) == sorted(listed)
    assert all(len(bars[name]) == 1 for name in listed)
    assert {b[0]["data-status"] for b in bars.values()} == {"Succeeded"}
    (skipped,) = elements(dom, "rect", "skipped")
    assert skipped["data-step"] == "AbaloneMSEFail"
    assert skipped["data-reason"] == "untaken-branch"
    nodes = {n["data-step"]: n for n in elements(dom, "g", "node")}
    assert len(nodes) == 8
    assert nodes["AbaloneMSEFail"]["data-status"] == "untaken-branch"
    assert "fail" in nodes["AbaloneMSEFail"]["class"].split()
    boxes = {d["id"] for d in elements(dom, "details") if "id" in d}
    assert boxes == {f"step-{n}" for n in nodes}
    # Per step: the resolved Arguments (parameter values, no expressions), the job's properties.
    train = dom.split('id="step-AbaloneTrain"', 1)[1].split("Properties (what", 1)[0]
    assert '"ml.m5.xlarge"' in train and '"Get"' not in train
    assert '"S3ModelArtifacts"' in dom


def test_a_retried_step_has_a_bar_per_attempt_and_the_stop_is_marked(
    browser: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = {"ExceptionType": ["SageMaker.CAPACITY_ERROR"], "IntervalSeconds": 10}
    path = tmp_path / "retry.json"
    path.write_text(
        definition(
            [
                training_step("Train", RetryPolicies=[policy]),
                training_step("After", depends_on=["Train"]),
            ]
        )
    )
    scenario = tmp_path / "scenario.json"
    flaky = {"fail": "ClientError: capacity", "exception_type": "SageMaker.CAPACITY_ERROR"}
    scenario.write_text(
        json.dumps(
            {
                "outcomes": {"Train": [flaky, {"succeed": True, "after": 50}]},
                "step_durations": {"Train": 30, "After": 100},
            }
        )
    )
    page, doc = simulate(
        capsys, tmp_path, str(path), "--scenario", str(scenario), "--stop-at", "120"
    )
    assert doc["PipelineExecutionStatus"] == "Stopped"
    dom, console = render_in_browser(browser, page, tmp_path / "profile")
    assert console == []
    bars = bars_by_step(dom)
    attempts = {s["StepName"]: s["AttemptCount"] for s in doc["Steps"]}
    assert attempts == {"Train": 2, "After": 1}
    assert {name: len(found) for name, found in bars.items()} == attempts
    assert [b["data-attempt"] for b in bars["Train"]] == ["1", "2"]
    assert [b["data-status"] for b in bars["Train"]] == ["Failed", "Succeeded"]
    assert bars["After"][0]["data-status"] == "Stopped"
    assert len(elements(dom, "line", "stop")) == 1
    assert len(elements(dom, "rect", "stopping")) == 1
    assert "stop requested T+120s" in dom


def test_the_page_needs_no_network(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page, _ = simulate(capsys, tmp_path, DEF01, "--stop-at", "100")
    text = page.read_text()
    assert "<style>" in text and "<script>" in text
    # Nothing is loaded from elsewhere: no src/href attributes, no stylesheet links, no imports.
    assert re.findall(r"\b(?:src|href)\s*=", text) == []
    assert "<link" not in text and "@import" not in text and "url(http" not in text
