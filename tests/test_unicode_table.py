"""The precomputed Unicode table behind Java's ``\\p{..}`` classes is what a scan produces.

``scripts/generate_unicode_table.py`` writes ``validation/unicode_categories.json``; this test
regenerates the text and compares it with the checked-in file, so that the table cannot drift
from the scan it replaces.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines.validation import unicode_table

from .support import REGION, client_error_code, create, training_step

ROOT = Path(__file__).resolve().parents[1]


def _stored_version() -> str:
    import json

    return str(json.loads(unicode_table.TABLE_PATH.read_text())["unidata_version"])


@pytest.mark.skipif(
    _stored_version() != unicodedata.unidata_version,
    reason="the checked-in table is for another Unicode version; this Python scans instead",
)
def test_the_checked_in_table_is_what_the_script_writes(tmp_path: Path) -> None:
    regenerated = unicode_table.render_table(unicode_table.scan_general_categories())
    assert unicode_table.TABLE_PATH.read_text(encoding="utf-8") == regenerated
    assert unicode_table.general_category_ranges() == unicode_table.scan_general_categories()


def test_the_script_runs_from_the_repository_root(tmp_path: Path) -> None:
    copy = tmp_path / "unicode_categories.json"
    code = (
        "import runpy, sys; from pathlib import Path;"
        "from mock_sagemaker_pipelines.validation import unicode_table as t;"
        f"t.TABLE_PATH = Path({str(copy)!r});"
        "runpy.run_path('scripts/generate_unicode_table.py', run_name='__main__')"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    assert copy.read_text(encoding="utf-8") == unicode_table.render_table(
        unicode_table.scan_general_categories()
    )


@pytest.mark.parametrize(("value", "accepted"), [("caf\u00e9 \u4e2d", True), ("bad\u0007", False)])
def test_a_unicode_class_pattern_matches_as_before(
    sagemaker_pipelines: object, value: str, accepted: bool
) -> None:
    """Tag values use ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``: letters pass, a control character not."""
    sm = boto3.client("sagemaker", region_name=REGION)
    try:
        create(sm, [training_step("Train")], Tags=[{"Key": "k", "Value": value}])
    except ClientError as exc:
        assert not accepted
        assert client_error_code(exc) == "ValidationException"
    else:
        assert accepted
