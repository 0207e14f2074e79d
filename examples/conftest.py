"""Fixtures shared by the SDK example suites (``sdk_suite``: SDK 2.x, ``sdk3_suite``: SDK 3.x)
that keep the SageMaker Python SDK offline: no credentials, no network.

The mock itself comes from the ``sagemaker_pipelines`` fixture of the package's pytest plugin
(configured with ``@pytest.mark.sagemaker_pipelines(...)`` in the test modules). The two SDK
lines cannot share one environment, so each suite runs in its own (``.ci/run``).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"

#: Environment variables that could hand the SDK real credentials or a real profile.
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


def _is_loopback(address: Any) -> bool:
    """Whether a socket address is local (loopback or a Unix socket path)."""
    if not isinstance(address, tuple):
        return True
    try:
        return ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        return address[0] == "localhost"


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Block and record every non-loopback connection the test makes."""
    attempts: list[Any] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def connect(sock: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            attempts.append(address)
            raise OSError(f"network access blocked in the offline SDK suite: {address!r}")
        original_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not _is_loopback(address):
            attempts.append(address)
            return 1
        return original_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return attempts


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, network_attempts: list[Any]) -> None:
    """No credentials, no AWS config files, no metadata endpoint, no network.

    moto's ``mock_aws`` (started by the ``sagemaker_pipelines`` fixture, which must come after
    this one) then supplies fake credentials for the duration of the test.
    """
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("SAGEMAKER_SUPPRESS_V2_WARNING", "1")


@pytest.fixture
def no_network_afterwards(network_attempts: list[Any]) -> Iterator[None]:
    """Fail the test (at teardown) if it tried to reach the network."""
    yield
    assert network_attempts == [], f"the SDK tried to reach the network: {network_attempts}"


def readme_recipe(sdk_line: str) -> str:
    """The README's Python block headed ``# recipe: SageMaker Python SDK <sdk_line>``.

    The core suite (``tests/test_readme.py``) leaves these blocks to the SDK suites, which run
    them in the SDK's own environment.
    """
    heading = f"# recipe: SageMaker Python SDK {sdk_line} "
    blocks = [
        block
        for block in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
        if block.startswith(heading)
    ]
    assert len(blocks) == 1, f"README.md needs exactly one block headed {heading!r}"
    return blocks[0]


@pytest.fixture
def run_readme_recipe(
    offline: None, no_network_afterwards: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], None]]:
    """Run the README's recipe for an SDK line (``"2.x"``, ``"3.x"``) offline, as a user would.

    The recipe starts its own mock; the environment it sets is put back afterwards.
    """
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    def run(sdk_line: str) -> None:
        exec(compile(readme_recipe(sdk_line), f"README.md SDK {sdk_line} recipe", "exec"), {})

    yield run
