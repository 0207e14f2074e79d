"""The README's client recipes run as written (issue 14, item 6): the AWS CLI and a JavaScript
(AWS SDK v3) client against the server with ``--speed`` and real sleeps, and Apache Airflow's
operator in-process with ``warp_sleep``. Each skips, saying why, when its client is missing."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .support import CLIENT_ENV, ROOT, served

README = (ROOT / "README.md").read_text()
JAVASCRIPT = ROOT / "examples" / "clients" / "javascript"


def block(language: str, containing: str) -> str:
    """The one fenced ``language`` block of the README that contains ``containing``."""
    (found,) = [b for b in re.findall(rf"```{language}\n(.*?)```", README, re.S) if containing in b]
    return str(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_aws_cli_recipe() -> None:
    script = block("bash", "aws --endpoint-url").replace("5000", str(free_port()))
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^Train\tSucceeded$", done.stdout, re.M), done.stdout
    assert '{"unused_outcomes": [], "unanswered_callbacks": [], "lines": []}' in done.stdout


def test_the_javascript_recipe_is_the_example_file() -> None:
    assert block("javascript", "SageMakerClient") == (JAVASCRIPT / "poll.mjs").read_text()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(
    not (JAVASCRIPT / "node_modules" / "@aws-sdk" / "client-sagemaker").is_dir(),
    reason="run `npm install` in examples/clients/javascript (.ci/run does)",
)
def test_the_javascript_recipe_polls_to_succeeded_at_speed() -> None:
    with served("--speed", "600") as url:
        done = subprocess.run(
            ["node", "poll.mjs"],
            cwd=JAVASCRIPT,
            env={**os.environ, **CLIENT_ENV, "ENDPOINT": url},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    arn, status = done.stdout.split()
    assert status == "Succeeded"
    assert re.fullmatch(r"arn:aws:sagemaker:us-east-1:\d{12}:pipeline/train-js/execution/\w+", arn)


def test_the_airflow_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip(
        "airflow.providers.amazon.aws.operators.sagemaker",
        reason="Apache Airflow's Amazon provider is not installed (not part of the test extra)",
    )
    monkeypatch.chdir(ROOT)
    recipe = block("python", "# recipe: airflow")
    exec(compile(recipe, "README.md Airflow recipe", "exec"), {})
