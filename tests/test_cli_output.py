"""What the command line prints: a table that fits the terminal, the stop, help and version."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest

from mock_sagemaker_pipelines.cli import main

from .support import DEFINITIONS, ROOT

SCENARIOS = ROOT / "examples" / "scenarios"
DEF01 = str(next(DEFINITIONS.glob("01-*.json")))
DEF03 = str(next(DEFINITIONS.glob("03-*.json")))
PASS = str(SCENARIOS / "abalone-pass.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_lines(out: str) -> list[str]:
    """Every printed line but the execution ARN, which is never cut."""
    return [line for line in out.splitlines() if not line.startswith("Execution  arn:")]


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal_and_json_keeps_the_full_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "simulate", DEF03, "--scenario", PASS)
    assert code == 0
    assert max(len(line) for line in table_lines(out)) <= columns
    code, full, _ = run(capsys, "simulate", DEF03, "--scenario", PASS, "--format", "json")
    names = {s["StepName"] for s in json.loads(full)["Steps"]}
    assert "AbaloneRegisterModel-RegisterModel" in names
    if columns == 80:
        assert "AbaloneRegisterModel-RegisterModel" not in out
        assert any(line.startswith("AbaloneRegi") and "…" in line for line in out.splitlines())


def test_a_narrow_terminal_cuts_the_failure_reason_with_an_ellipsis(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    reason = "ClientError:" + " a very long reason" * 10
    code, out, _ = run(capsys, "simulate", DEF01, "--outcome", f"TrainModel=fail:{reason}")
    assert code == 0
    assert max(len(line) for line in table_lines(out)) <= 60
    reason_line = next(line for line in out.splitlines() if line.startswith("  TrainModel: "))
    assert reason_line.endswith("…")
    code, full, _ = run(
        capsys, "simulate", DEF01, "--outcome", f"TrainModel=fail:{reason}", "--format", "json"
    )
    steps = {s["StepName"]: s for s in json.loads(full)["Steps"]}
    assert steps["TrainModel"]["FailureReason"] == reason


def test_output_to_a_pipe_is_not_cut() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mock_sagemaker_pipelines", "simulate", DEF03, "--scenario", PASS],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
    )
    assert done.returncode == 0, done.stderr
    assert "AbaloneRegisterModel-RegisterModel  RegisterModel" in done.stdout


def test_the_stop_is_marked_when_it_was_sent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "simulate", DEF01, "--stop-at", "100", "--width", "20")
    assert code == 0
    assert "Stop sent  T+100s" in out
    bars = [line[line.index("|") :] for line in out.splitlines() if line.endswith("|")]
    assert len(bars) == 4
    # T+100s of a run that ended at T+102s: the 20th of 20 columns, in every row.
    assert all(bar.index("!") == 20 for bar in bars)


def test_no_stop_line_when_the_run_ended_before_the_stop_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "simulate", DEF01, "--stop-at", "100000")
    assert code == 0
    assert "Stop" not in out and "!" not in out
    assert "Execution Succeeded" in out
    assert "no stop was sent at T+100000s: the execution was already Succeeded" in err


def test_help_documents_the_exit_codes_and_the_scenario_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "exit status:" in out and "simulate --strict stopped" in out and "graph" in out
    code, out, _ = run(capsys, "simulate", "--help")
    assert code == 0
    assert "exit status:" in out
    assert "scenario files (--scenario FILE)" in out
    for key in ('"parameters"', '"outcomes"', '"durations"', '"step_durations"', '"stop_at"'):
        assert key in out
    assert "--html FILE" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"mock-sagemaker-pipelines {version('mock-sagemaker-pipelines')}"


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mock_sagemaker_pipelines", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("mock-sagemaker-pipelines ")
    bad = subprocess.run(
        [sys.executable, "-m", "mock_sagemaker_pipelines", "simulate", "missing.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "cannot read definition missing.json" in bad.stderr


def test_the_console_script_exits_with_the_command_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (script,) = entry_points(group="console_scripts", name="mock-sagemaker-pipelines")
    run_script = script.load()
    monkeypatch.setattr(
        sys, "argv", ["mock-sagemaker-pipelines", "simulate", DEF03, "--expect", "Succeeded"]
    )
    try:
        with pytest.raises(SystemExit) as exited:
            run_script()
    finally:
        gc.unfreeze()  # the script freezes what is alive just before the process ends
    assert exited.value.code == 1
    assert "the execution ended Failed, expected Succeeded" in capsys.readouterr().err


def test_a_pipe_closed_early_ends_the_command_quietly(tmp_path: Path) -> None:
    steps = [{"Name": f"S{i}", "Type": "Fail", "Arguments": {}} for i in range(3000)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"Version": "2020-12-01", "Steps": steps}))
    reader = subprocess.Popen(
        ["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-m", "mock_sagemaker_pipelines", "graph", str(big), "--format", "dot"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    reader.stdin.close()
    reader.wait()
    assert done.returncode == 141
    assert done.stderr == ""
