"""The built wheel: one top-level package, the LICENSE, the project URLs, the plugin's entry
point and the server's needs in the plain dependencies (issue 14, items 1 and 7)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from .support import ROOT

hatchling = pytest.importorskip("hatchling", reason="the test extra installs hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel of this checkout, built with hatchling (no network, no build isolation)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("mock_sagemaker_pipelines-*.whl")
    return zipfile.ZipFile(built)


def _dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    (path,) = [n for n in wheel.namelist() if n.split("/")[0].endswith(".dist-info") and n.endswith(name)]
    return wheel.read(path).decode()


def test_the_wheel_installs_one_top_level_package(wheel: zipfile.ZipFile) -> None:
    tops = {n.split("/")[0] for n in wheel.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"mock_sagemaker_pipelines"}
    assert "mock_sagemaker_pipelines/pytest_plugin.py" in wheel.namelist()
    assert not any(n.startswith("conftest_plugin") for n in wheel.namelist())


def test_the_pytest_entry_point_names_the_packaged_plugin(wheel: zipfile.ZipFile) -> None:
    entry_points = _dist_info(wheel, "entry_points.txt")
    assert "[pytest11]\nsagemaker_pipelines = mock_sagemaker_pipelines.pytest_plugin" in entry_points


def test_the_license_is_in_the_repository_and_the_wheel(wheel: zipfile.ZipFile) -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("Apache License")
    assert "Version 2.0, January 2004" in text
    assert _dist_info(wheel, "licenses/LICENSE") == text
    metadata = Parser().parsestr(_dist_info(wheel, "METADATA"))
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_metadata_has_project_urls_and_the_server_needs(wheel: zipfile.ZipFile) -> None:
    metadata = Parser().parsestr(_dist_info(wheel, "METADATA"))
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues"} <= set(urls)
    assert all(u.startswith("https://") for u in urls.values())
    plain = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert any(r.startswith("flask") and not r.startswith("flask-cors") for r in plain)
    assert any(r.startswith("flask-cors") for r in plain)


def test_importing_the_package_does_not_import_moto() -> None:
    """The pytest plugin lives in the package, so every pytest session imports the package."""
    code = (
        "import sys, mock_sagemaker_pipelines, mock_sagemaker_pipelines.pytest_plugin;"
        "print('moto' in sys.modules);"
        "from mock_sagemaker_pipelines import mock_sagemaker_pipelines as m;"
        "print(callable(m), 'moto' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=Path.home()
    ).stdout.split()
    assert out == ["False", "True", "True"]


def test_ci_checks_the_types_with_the_lint_extra() -> None:
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11 reads pyproject.toml")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lint = " ".join(project["optional-dependencies"]["lint"])
    assert "mypy" in lint and "boto3-stubs" in lint and "botocore-stubs" in lint
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'python -m pip install --quiet -e ".[lint]"\nmypy --strict mock_sagemaker_pipelines' in ci
