"""Server mode for clients that run unattended (issue 14, item 1): the server as its own
process, a boto3 poller that sleeps for real against ``--speed``, moto's reset and config
endpoints, the report endpoint, ``--no-docker``, ``--help`` and the missing-Flask message."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mock_sagemaker_pipelines import _moto
from mock_sagemaker_pipelines.cli import build_parser
from mock_sagemaker_pipelines.server import CONTROL_PREFIX, INSTALL_HINT, PipelinesServer

from .support import (
    callback_step,
    create,
    lambda_step,
    output_values,
    served,
    served_client,
    start,
    status,
    steps_by_name,
    training_step,
)


def control(url: str, name: str, body: Any = None) -> Any:
    """POST (with a body) or GET (without) a control endpoint; the JSON answer."""
    address = f"{url}{CONTROL_PREFIX}/{name}"
    answer = requests.post(address, json=body, timeout=30) if body is not None else requests.get(address, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll(sm: Any, arn: str, sleep: float = 0.1, attempts: int = 600) -> str:
    """What a client in another language does: describe, sleep for real, until the run ends."""
    for _ in range(attempts):  # a hang guard, not a timing assertion
        current = status(sm, arn)
        if current not in ("Executing", "Stopping"):
            return current
        time.sleep(sleep)
    return status(sm, arn)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """One served mock for the tests below (starting one takes seconds); each test resets it."""
    with served("--seed", "5") as running:
        yield running


@pytest.fixture
def fresh(url: str) -> str:
    """The module's server after ``POST /moto-api/reset``, at speed 0."""
    assert requests.post(f"{url}/moto-api/reset", timeout=30).status_code == 200
    control(url, "speed", {"speed": 0})
    return url


def test_a_real_sleeping_poller_sees_the_run_end_at_the_given_speed() -> None:
    with served("--speed", "2000", "--seed", "1") as url:
        assert control(url, "clock")["speed"] == 2000
        sm = served_client(url, "sagemaker")
        create(sm, [training_step("Train"), training_step("Score", depends_on=["Train"])])
        before = control(url, "clock")["epoch"]
        arn = start(sm)

        assert poll(sm, arn) == "Succeeded"  # 2 x (1 s Starting + 900 s Training), simulated
        steps = steps_by_name(sm, arn)
        assert [steps[n]["StepStatus"] for n in ("Train", "Score")] == ["Succeeded", "Succeeded"]
        assert control(url, "clock")["epoch"] - before >= 1802


def test_speed_zero_keeps_the_manual_clock_and_the_endpoint_changes_it(fresh: str) -> None:
    sm = served_client(fresh, "sagemaker")
    create(sm, [training_step("Train")])
    arn = start(sm)
    first = control(fresh, "clock")
    time.sleep(0.3)
    assert control(fresh, "clock") == first  # speed 0: only the control endpoints move it
    assert status(sm, arn) == "Executing"

    assert control(fresh, "speed", {"speed": 5000})["speed"] == 5000
    assert poll(sm, arn) == "Succeeded"
    stopped = control(fresh, "speed", {"speed": 0})
    time.sleep(0.2)
    assert control(fresh, "clock")["epoch"] == stopped["epoch"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "'speed' is required"),
        ({"speed": -1}, "between 0 and 1,000,000"),
        ({"speed": "fast"}, "must be a number"),
        ({"speed": True}, "must be a number"),
        ({"speed": 1e7}, "between 0 and 1,000,000"),
    ],
)
def test_a_bad_speed_is_refused_and_changes_nothing(fresh: str, body: Any, message: str) -> None:
    answer = requests.post(f"{fresh}{CONTROL_PREFIX}/speed", json=body, timeout=30)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert control(fresh, "clock")["speed"] == 0


def test_motos_reset_also_starts_a_new_simulation(fresh: str) -> None:
    sm = served_client(fresh, "sagemaker")
    create(sm, [training_step("Train")])
    start(sm)
    control(fresh, "outcomes", {"step": "Export", "outcome": "succeed"})
    control(fresh, "speed", {"speed": 10})
    moved = control(fresh, "advance", {"seconds": 86400})["epoch"]

    assert requests.post(f"{fresh}/moto-api/reset", timeout=30).json() == {"status": "ok"}
    assert sm.list_pipelines()["PipelineSummaries"] == []
    clock = control(fresh, "clock")
    assert clock["epoch"] < moved - 80000  # a new clock, at the real time again
    assert clock["speed"] == 10  # the server's speed is kept
    assert control(fresh, "report")["unused_outcomes"] == []  # scripted outcomes forgotten
    create(sm, [training_step("Train")])  # and the server still serves
    assert status(sm, start(sm)) == "Executing"


def test_the_report_names_unused_outcomes_and_unanswered_callbacks(fresh: str) -> None:
    sqs, sm = served_client(fresh, "sqs"), served_client(fresh, "sagemaker")
    queue = sqs.create_queue(QueueName="exports")["QueueUrl"]
    assert control(fresh, "report") == {"unused_outcomes": [], "unanswered_callbacks": [], "lines": []}
    control(fresh, "outcomes", {"step": "Exprot", "outcome": "fail:ClientError: typo"})
    create(sm, [callback_step("Export", queue)])
    arn = start(sm)
    control(fresh, "run-until-idle", {})

    report = control(fresh, "report")
    assert report["unused_outcomes"] == [
        {"step": "Exprot", "execution": None, "outcome": "fail", "reason": "ClientError: typo", "uses": 0}
    ]
    (waiting,) = report["unanswered_callbacks"]
    assert (waiting["step_name"], waiting["pipeline_execution_arn"]) == ("Export", arn)
    assert "'Exprot'" in report["lines"][0] and "never used" in report["lines"][0]
    assert "'Export'" in report["lines"][1] and "never answered" in report["lines"][1]

    sm.send_pipeline_execution_step_success(CallbackToken=waiting["callback_token"])
    assert control(fresh, "report")["unanswered_callbacks"] == []


def _moto_function(url: str, name: str) -> str:
    iam, awslambda = served_client(url, "iam"), served_client(url, "lambda")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    return str(
        awslambda.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        )["FunctionArn"]
    )


def _echoed_lambda_step(url: str) -> dict[str, Any]:
    sm = served_client(url, "sagemaker")
    function = _moto_function(url, "echo")
    create(sm, [lambda_step("Echo", function, {"rows": 42}, [("rows", "Integer")])])
    arn = start(sm)
    control(url, "run-until-idle", {})
    assert status(sm, arn) == "Succeeded"
    return steps_by_name(sm, arn)["Echo"]


def test_no_docker_makes_motos_lambda_echo_the_event() -> None:
    with served("--no-docker") as url:
        assert requests.get(f"{url}/moto-api/config", timeout=30).json()["lambda"] == {"use_docker": False}
        assert output_values(_echoed_lambda_step(url), "Lambda") == {"rows": "42"}


def test_motos_config_endpoint_does_the_same(fresh: str) -> None:
    before = requests.get(f"{fresh}/moto-api/config", timeout=30).json()
    try:
        requests.post(f"{fresh}/moto-api/config", json={"lambda": {"use_docker": False}}, timeout=30)
        assert output_values(_echoed_lambda_step(fresh), "Lambda") == {"rows": "42"}
    finally:
        requests.post(f"{fresh}/moto-api/config", json=before, timeout=30)


def test_no_docker_is_undone_when_the_server_stops() -> None:
    before = _moto.moto_config()
    with PipelinesServer(port=0, docker=False):
        assert _moto.moto_config()["lambda"]["use_docker"] is False
    assert _moto.moto_config() == before


def test_help_lists_every_option_with_its_default() -> None:
    parser = build_parser()
    server = parser._subparsers._group_actions[0].choices["server"]  # type: ignore[union-attr]
    options = [a for a in server._actions if a.option_strings and a.dest != "help"]
    assert {a.dest for a in options} == {"host", "port", "seed", "speed", "no_docker"}
    for action in options:
        assert "(default: " in (action.help or ""), action.dest
    shown = subprocess.run(
        [sys.executable, "-m", "mock_sagemaker_pipelines.server", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout
    for flag in ("--host", "--port", "--seed", "--speed", "--no-docker"):
        assert flag in shown
    assert shown.count("(default:") == len(options)


def test_without_flask_the_error_names_the_one_command_that_fixes_it() -> None:
    code = (
        "import sys; sys.modules['flask'] = None;"
        "from mock_sagemaker_pipelines.server import main; sys.exit(main(['--port', '0']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert INSTALL_HINT in done.stderr
    assert "Traceback" not in done.stderr

