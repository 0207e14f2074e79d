"""The Dockerfile for a team's shared server (issue 14, item 1), checked without Docker: its
instructions, what the build context holds, the README's run command, and its ENTRYPOINT and
HEALTHCHECK run here as the container would run them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .support import ROOT, served

DOCKERFILE = ROOT / "Dockerfile"
tomllib = pytest.importorskip("tomllib", reason="Python 3.11 reads pyproject.toml")


def instructions() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` per instruction, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            joined.append(current.strip())
            current = ""
    assert current == "", "a continuation line ends the file"
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in joined]


def only(name: str) -> str:
    (found,) = [args for instruction, args in instructions() if instruction == name]
    return found


def test_the_instructions_are_known_and_the_base_meets_requires_python() -> None:
    known = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD"}
    assert {name for name, _ in instructions()} <= known
    assert instructions()[0][0] == "FROM"
    version = re.fullmatch(r"python:3\.(\d+)-slim", only("FROM"))
    assert version, only("FROM")
    minimum = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert int(version.group(1)) >= int(minimum.removeprefix(">=3."))
    assert only("USER") != "root"


def test_the_build_context_holds_what_the_copies_and_the_install_need() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in ignored  # everything is left out unless named
    allowed = {line[1:].rstrip("/") for line in ignored if line.startswith("!")}
    copied = set()
    for name, args in instructions():
        if name == "COPY":
            *sources, _ = args.split()
            copied.update(sources)
    assert copied == allowed
    assert all((ROOT / path).exists() for path in copied)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert {project["readme"], *project["license-files"]} <= copied  # what the build reads
    assert 'pip install ".[server]"' in only("RUN")
    assert "server" in project["optional-dependencies"]


def test_the_entrypoint_serves_on_the_exposed_port_and_the_readme_runs_it() -> None:
    entrypoint = json.loads(only("ENTRYPOINT"))
    assert entrypoint[:2] == ["mock-sagemaker-pipelines", "server"]
    assert entrypoint[entrypoint.index("--host") + 1] == "0.0.0.0"
    port = entrypoint[entrypoint.index("--port") + 1]
    assert only("EXPOSE") == port
    assert json.loads(only("CMD")) == []
    readme = (ROOT / "README.md").read_text()
    assert f"docker run --rm -p {port}:{port} mock-sagemaker-pipelines" in readme
    assert "docker build -t mock-sagemaker-pipelines ." in readme


def test_the_entrypoint_and_the_healthcheck_work_as_in_the_container() -> None:
    script = Path(sys.executable).parent / "mock-sagemaker-pipelines"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    entrypoint = json.loads(only("ENTRYPOINT"))
    health = json.loads(only("HEALTHCHECK").split(" CMD ", 1)[1])
    with served("--speed", "60", "--no-docker", command=[str(script), *entrypoint[1:]]) as url:
        port = url.rsplit(":", 1)[1]
        probe = [sys.executable if health[0] == "python" else health[0], *health[1:]]
        probe[-1] = probe[-1].replace("127.0.0.1:5000", f"127.0.0.1:{port}")
        assert subprocess.run(probe, timeout=60).returncode == 0


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint is not installed")
def test_hadolint_finds_nothing() -> None:
    done = subprocess.run(["hadolint", str(DOCKERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
