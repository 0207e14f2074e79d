"""The pytest plugin: fixture, marker, teardown report and switching it off.

Each test writes a small test file and runs pytest on it in-process with ``pytester``.
"""

from __future__ import annotations

import inspect
import os
import time

import botocore.waiter
import pytest

from mock_sagemaker_pipelines import (
    MockSageMakerPipelines,
    UnusedOutcomesWarning,
    mock_sagemaker_pipelines,
)
from mock_sagemaker_pipelines.mock import REPORT_ENV
from mock_sagemaker_pipelines.pytest_plugin import MARKER_SIGNATURE

pytest_plugins = ["pytester"]

#: Shared header of the inline test files: a pipeline with one Callback step.
HEADER = """
import json
import time

import boto3
import pytest

from mock_sagemaker_pipelines import mock_sagemaker_pipelines

ROLE = "arn:aws:iam::123456789012:role/Pipelines"


def start_callback_pipeline():
    sqs = boto3.client("sqs", region_name="us-east-1")
    sm = boto3.client("sagemaker", region_name="us-east-1")
    queue = sqs.create_queue(QueueName="q")["QueueUrl"]
    steps = [{"Name": "Approve", "Type": "Callback", "Arguments": {}, "SqsQueueUrl": queue,
              "OutputParameters": []}]
    sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=json.dumps(
        {"Version": "2020-12-01", "Parameters": [], "Steps": steps}))
    return sm, sm.start_pipeline_execution(PipelineName="p")["PipelineExecutionArn"]
"""

UNUSED_OUTCOME = (
    "*UnusedOutcomesWarning: mock_sagemaker_pipelines: "
    "scripted outcome step('NeverRuns').succeeds was never used*"
)
UNANSWERED = "*callback of step 'Approve' in arn:aws:sagemaker:*(token *) was never answered*"


@pytest.fixture(scope="module", autouse=True)
def _import_everything_first() -> None:
    """Run the scenario once in this process before any in-process pytest run.

    ``pytester`` drops the modules an inner run imported when that run ends. moto and the
    plugin import some modules lazily (moto's SQS backend, ...); imported first inside an inner
    run, they would be imported again by the next one, leaving two copies of moto's state.
    Importing them here, outside any inner run, keeps one copy.
    """
    namespace: dict[str, object] = {}
    exec(compile(HEADER, "<header>", "exec"), namespace)
    with mock_sagemaker_pipelines(report="off") as pipelines:
        pipelines.step("Approve").succeeds(after=5)
        namespace["start_callback_pipeline"]()  # type: ignore[operator]
        pipelines.run_until_idle()


#: Inner runs load only this plugin (and pytest's own), without assertion rewriting: fast.
QUIET_RUN = (
    *("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist"),
    *("-p", "no:hypothesispytest", "-p", "no:anyio", "--assert=plain"),
)


def run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    """Write ``HEADER + body`` as a test file and run pytest on it in-process."""
    pytester.makepyfile(HEADER + inspect.cleandoc(body))
    return pytester.runpytest(*QUIET_RUN, *args)


# ------------------------------------------------------------------ fixture and marker
def test_fixture_yields_a_controller_configured_by_the_marker(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        from datetime import datetime, timezone
        from mock_sagemaker_pipelines import PipelinesMock

        START = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

        @pytest.mark.sagemaker_pipelines(start_time=START, step_durations={"Approve": 30},
                                         auto_callbacks=True)
        def test_it(sagemaker_pipelines):
            assert isinstance(sagemaker_pipelines, PipelinesMock)
            assert sagemaker_pipelines.now() == START
            sm, arn = start_callback_pipeline()
            sagemaker_pipelines.run_until_idle()
            described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            assert described["PipelineExecutionStatus"] == "Succeeded"
            assert (described["LastModifiedTime"] - START).total_seconds() == 31
        """,
    )
    result.assert_outcomes(passed=1)


def test_markers_on_module_class_and_function_merge_closest_first(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        pytestmark = pytest.mark.sagemaker_pipelines(seed=1, durations={"Lambda": 5})

        @pytest.mark.sagemaker_pipelines(warp_sleep=True, durations={"Lambda": 7})
        class TestMerged:
            @pytest.mark.sagemaker_pipelines(auto_lambdas=True)
            def test_it(self, sagemaker_pipelines):
                options = sagemaker_pipelines.simulation.options
                assert options.seed == 1
                assert options.durations == {"Lambda": 7}
                assert options.auto_lambdas is True
                before = sagemaker_pipelines.now()
                time.sleep(3)
                assert (sagemaker_pipelines.now() - before).total_seconds() == 3
        """,
    )
    result.assert_outcomes(passed=1)


def test_a_marked_test_gets_the_mock_without_asking(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        @pytest.mark.sagemaker_pipelines(auto_callbacks=True)
        def test_marked():
            sm, arn = start_callback_pipeline()
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            assert status["PipelineExecutionStatus"] == "Executing"

        def test_unmarked_is_not_mocked():
            import botocore.waiter
            assert botocore.waiter.time is time
        """,
    )
    result.assert_outcomes(passed=2)


def test_each_test_gets_a_fresh_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        @pytest.mark.parametrize("attempt", [1, 2])
        def test_fresh(sagemaker_pipelines, attempt):
            sm = boto3.client("sagemaker", region_name="us-east-1")
            assert sm.list_pipelines()["PipelineSummaries"] == []
            assert sagemaker_pipelines.executions() == []
            sagemaker_pipelines.step("Approve").succeeds(after=10)
            start_callback_pipeline()
            sagemaker_pipelines.run_until_idle()
        """,
    )
    result.assert_outcomes(passed=2)


def test_an_unknown_marker_option_errors_clearly(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        @pytest.mark.sagemaker_pipelines(sede=1)
        def test_typo(sagemaker_pipelines):
            pass
        """,
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.sagemaker_pipelines(...)*sede*"])


def test_marker_is_listed_with_its_signature(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"@pytest.mark.{MARKER_SIGNATURE}: *"])


def test_marker_signature_matches_the_decorator_options() -> None:
    parameters = inspect.signature(MockSageMakerPipelines.__init__).parameters
    options = ", ".join(
        f"{name}={parameter.default!r}"
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    )
    assert f"sagemaker_pipelines(*, {options})" == MARKER_SIGNATURE


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_it(sagemaker_pipelines):
            pass
        """,
        "-p",
        "no:sagemaker_pipelines",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'sagemaker_pipelines' not found*"])


# --------------------------------------------------------------------- teardown report
LEFTOVERS = """
def test_leftovers(sagemaker_pipelines):
    sagemaker_pipelines.step("NeverRuns").succeeds()
    start_callback_pipeline()
    sagemaker_pipelines.advance(5)
"""


def test_report_warns_by_default(pytester: pytest.Pytester) -> None:
    result = run(pytester, LEFTOVERS)
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines([UNUSED_OUTCOME])
    result.stdout.fnmatch_lines([UNANSWERED])


def test_report_errors_when_asked_on_the_command_line(pytester: pytest.Pytester) -> None:
    result = run(pytester, LEFTOVERS, "--sagemaker-pipelines-report=error")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_leftovers*"])
    result.stdout.fnmatch_lines([UNUSED_OUTCOME.replace("UnusedOutcomesWarning: ", "")])
    result.stdout.fnmatch_lines([UNANSWERED])


def test_report_mode_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsagemaker_pipelines_report = error\n")
    result = run(pytester, LEFTOVERS)
    result.assert_outcomes(passed=1, errors=1)


def test_command_line_wins_over_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsagemaker_pipelines_report = error\n")
    result = run(pytester, LEFTOVERS, "--sagemaker-pipelines-report=off")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*never used*")


def test_an_invalid_ini_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nsagemaker_pipelines_report = loud\n")
    result = run(pytester, LEFTOVERS)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*sagemaker_pipelines_report must be one of warn, error, off*"])


def test_report_mode_from_the_marker(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        @pytest.mark.sagemaker_pipelines(report="error")
        def test_strict(sagemaker_pipelines):
            sagemaker_pipelines.step("NeverRuns").fails("x")

        @pytest.mark.sagemaker_pipelines(report="off")
        def test_quiet(sagemaker_pipelines):
            sagemaker_pipelines.step("NeverRuns").fails("x")
        """,
        "--sagemaker-pipelines-report=warn",
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_strict*"])
    result.stdout.fnmatch_lines(["*step('NeverRuns').fails('x') was never used*"])
    result.stdout.no_fnmatch_line("*test_quiet*never used*")


def test_nothing_to_report_when_everything_was_used(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_clean(sagemaker_pipelines):
            sagemaker_pipelines.step("Approve").succeeds(after=10)
            sm, arn = start_callback_pipeline()
            sagemaker_pipelines.run_until_idle()
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            assert status["PipelineExecutionStatus"] == "Succeeded"
        """,
        "--sagemaker-pipelines-report=error",
    )
    result.assert_outcomes(passed=1)


def test_a_failed_test_gets_no_report_on_top(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_fails(sagemaker_pipelines):
            sagemaker_pipelines.step("NeverRuns").succeeds()
            assert 1 == 2
        """,
        "--sagemaker-pipelines-report=error",
    )
    result.assert_outcomes(failed=1)
    result.stdout.no_fnmatch_line("*never used*")


def test_the_session_mode_applies_to_the_decorator_and_context_manager(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import unittest

        @mock_sagemaker_pipelines
        def test_decorated(pipelines):
            pipelines.step("NeverRuns").succeeds()

        def test_context_manager():
            with mock_sagemaker_pipelines() as pipelines:
                start_callback_pipeline()
                pipelines.advance(5)

        @mock_sagemaker_pipelines
        class TestCaseStyle(unittest.TestCase):
            def test_unittest(self):
                self.sagemaker_pipelines.step("NeverRuns").succeeds()

        def test_explicit_option_wins():
            with mock_sagemaker_pipelines(report="off") as pipelines:
                pipelines.step("NeverRuns").succeeds()
        """,
        "--sagemaker-pipelines-report=error",
    )
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*AssertionError: mock_sagemaker_pipelines: *never used*"])
    result.stdout.fnmatch_lines(["*AssertionError: mock_sagemaker_pipelines: *never answered*"])


def test_the_session_mode_does_not_outlive_the_session(pytester: pytest.Pytester) -> None:
    before = os.environ.get(REPORT_ENV)
    run(pytester, LEFTOVERS, "--sagemaker-pipelines-report=error")
    assert os.environ.get(REPORT_ENV) == before


def test_the_fixture_undoes_the_warping_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import time

        import botocore.waiter
        import pytest

        ORIGINAL = time.sleep

        @pytest.mark.sagemaker_pipelines(warp_sleep=True)
        def test_inside(sagemaker_pipelines):
            assert botocore.waiter.time is not time
            assert time.sleep is not ORIGINAL
            raise RuntimeError("boom")

        def test_after():
            assert botocore.waiter.time is time
            assert time.sleep is ORIGINAL
        """
    )
    result = pytester.runpytest(*QUIET_RUN)
    result.assert_outcomes(passed=1, failed=1)


# ------------------------------------------------ the same report without the fixture
def test_context_manager_warns_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REPORT_ENV, raising=False)
    with (
        pytest.warns(UnusedOutcomesWarning, match=r"step\('Never'\)\.succeeds was never used"),
        mock_sagemaker_pipelines() as pipelines,
    ):
        pipelines.step("Never").succeeds()


def test_the_environment_sets_the_default_for_other_runners(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(REPORT_ENV, "error")
    with (
        pytest.raises(AssertionError, match=r"step\('Never'\)\.succeeds was never used"),
        mock_sagemaker_pipelines() as pipelines,
    ):
        pipelines.step("Never").succeeds()
    monkeypatch.setenv(REPORT_ENV, "off")
    with mock_sagemaker_pipelines() as pipelines:
        pipelines.step("Never").succeeds()
    monkeypatch.setenv(REPORT_ENV, "loud")
    with (
        pytest.raises(ValueError, match=f"{REPORT_ENV} must be"),
        mock_sagemaker_pipelines() as pipelines,
    ):
        pipelines.step("Never").succeeds()
    assert botocore.waiter.time is time  # undone all the same


def test_no_report_on_top_of_an_exception() -> None:
    with (
        pytest.raises(RuntimeError, match="the test's own error"),
        mock_sagemaker_pipelines(report="error") as pipelines,
    ):
        pipelines.step("Never").succeeds()
        raise RuntimeError("the test's own error")


def test_an_invalid_report_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="report must be 'warn', 'error' or 'off'"):
        mock_sagemaker_pipelines(report="loud")
