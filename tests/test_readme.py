"""The README stays true: its Python examples run, and CI runs its test command."""

from __future__ import annotations

import re

import pytest

from .support import ROOT

README = (ROOT / "README.md").read_text()


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, re.S)


def test_readme_opens_with_the_main_job_and_the_test_command() -> None:
    first, second = (block.strip() for block in _bash_blocks()[:2])
    assert "mock-sagemaker-pipelines simulate examples/" in first
    assert "pip install -e ." in first
    assert 'pip install -e ".[test]"' in second and "pytest" in second
    assert README.index(first) < 1500, "the two commands must open the README"


def _install_and_test(command: str) -> str:
    """A README command after its venv creation and activation, as ``.ci/run`` spells it."""
    return command.split("&&", 2)[-1].strip().replace("pip install", "python -m pip install", 1)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert _install_and_test(_bash_blocks()[1].strip()) in ci


def test_ci_runs_each_sdk_suite_as_the_readme_shows_in_its_own_environment() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [
        line
        for block in _bash_blocks()
        for line in block.splitlines()
        if "pytest" in line and "examples/sdk" in line
    ]
    for command in commands:
        venv = command.split("&&", 1)[0].split()[-1]  # python3 -m venv .venv-sdkN
        assert f"python3 -m venv {venv} && . {venv}/bin/activate" in ci
        assert _install_and_test(command) in ci
    assert {c.split()[-1] for c in commands} == {"examples/sdk_suite", "examples/sdk3_suite"}


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_example_runs(index: int) -> None:
    block = _python_blocks()[index]
    if "# not runnable" in block:
        pytest.skip("illustration only")
    if block.startswith("# recipe:"):
        pytest.skip("a client recipe: tests/test_recipes.py or an SDK example suite runs it")
    exec(compile(block, f"README.md python block {index}", "exec"), {})
