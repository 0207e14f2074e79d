"""pytest plugin: the ``sagemaker_pipelines`` fixture, its marker and the teardown report.

* Fixture ``sagemaker_pipelines`` (function scope): starts ``mock_sagemaker_pipelines`` (joining
  a ``moto.mock_aws`` the test already started) and yields the
  :class:`~mock_sagemaker_pipelines.PipelinesMock` controller; everything is undone at teardown.
* Marker ``@pytest.mark.sagemaker_pipelines(**options)``: the options of
  ``mock_sagemaker_pipelines(...)`` for the fixture. Markers on the module, class and function
  merge, the closest winning per option. A test with the marker gets the mock even if it does
  not request the fixture.
* Teardown report: scripted outcomes never used and callbacks left unanswered are reported as an
  :class:`~mock_sagemaker_pipelines.UnusedOutcomesWarning` (``warn``, the default), a test
  error (``error``) or not at all (``off``): ``--sagemaker-pipelines-report=MODE``, the ini
  option ``sagemaker_pipelines_report`` or the marker's ``report=``. The session's mode is also
  the default of ``mock_sagemaker_pipelines`` used as a decorator or context manager (passed
  through the ``MOCK_SAGEMAKER_PIPELINES_REPORT`` environment variable). The same lines are
  also the test's own report section, :data:`SECTION`, shown with the failure of a test that
  failed (then nothing is warned or raised on top) and by ``-rP`` for a test that passed.

The package is imported only when a test uses the mock, so the plugin neither slows down
sessions that do not use it nor hides the package's import from coverage tools.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mock_sagemaker_pipelines import PipelinesMock

MARKER = "sagemaker_pipelines"
FIXTURE = "sagemaker_pipelines"
INI_REPORT = "sagemaker_pipelines_report"
REPORT_MODES = ("warn", "error", "off")
#: The variable through which the session's mode reaches ``mock_sagemaker_pipelines``
#: (``mock_sagemaker_pipelines.mock.REPORT_ENV``; not imported, to keep the plugin light).
REPORT_ENV = "MOCK_SAGEMAKER_PIPELINES_REPORT"

#: The marker's signature, shown by ``pytest --markers`` (kept equal to the options of
#: ``MockSageMakerPipelines``; the plugin's tests check that).
MARKER_SIGNATURE = (
    "sagemaker_pipelines(*, durations=None, step_durations=None, seed=None, start_time=None, "
    "outcomes=None, auto_callbacks=False, auto_lambdas=False, emit_events=True, "
    "max_concurrent_executions=None, max_pipelines=500, lenient_definitions=False, warp_waiters=True, "
    "warp_sleep=False, aws_config=None, "
    "report=None)"
)

#: The title of the report section that lists unused outcomes and unanswered callbacks.
SECTION = "mock-sagemaker-pipelines report"

_previous_report = pytest.StashKey[str | None]()
_call_failed = pytest.StashKey[bool]()
#: The running fixture's controller, while the test runs (the report section reads it).
_controller = pytest.StashKey["PipelinesMock | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--sagemaker-pipelines-report`` and the ``sagemaker_pipelines_report`` ini option."""
    group = parser.getgroup("sagemaker_pipelines", "mock-sagemaker-pipelines")
    group.addoption(
        "--sagemaker-pipelines-report",
        dest="sagemaker_pipelines_report",
        choices=REPORT_MODES,
        default=None,
        help="what to do at the end of a test about scripted outcomes never used and callbacks "
        "left unanswered: warn (default), error or off.",
    )
    parser.addini(
        INI_REPORT,
        help="default of --sagemaker-pipelines-report: warn, error or off.",
        default="warn",
    )


def report_mode(config: pytest.Config) -> str:
    """The session's report mode: the command-line flag, else the ini option, else ``warn``."""
    mode = config.getoption("sagemaker_pipelines_report") or str(config.getini(INI_REPORT)).strip()
    if mode not in REPORT_MODES:
        raise pytest.UsageError(
            f"{INI_REPORT} must be one of {', '.join(REPORT_MODES)}, not {mode!r}"
        )
    return mode


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker and make the session's report mode the mocks' default."""
    config.addinivalue_line(
        "markers",
        f"{MARKER_SIGNATURE}: options of the sagemaker_pipelines fixture, the same as "
        "mock_sagemaker_pipelines(...); a test with this marker gets the mock even without "
        "requesting the fixture.",
    )
    mode = report_mode(config)
    config.stash[_previous_report] = os.environ.get(REPORT_ENV)
    os.environ[REPORT_ENV] = mode


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put back the report default that was in force before this session (nested sessions)."""
    if _previous_report not in config.stash:
        return
    previous = config.stash[_previous_report]
    if previous is None:
        os.environ.pop(REPORT_ENV, None)
    else:
        os.environ[REPORT_ENV] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Add the report section to the test body's report; remember whether the body failed."""
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
        controller = item.stash.get(_controller, None)
        lines = controller.report() if controller is not None else []
        if lines:
            report.sections.append((SECTION, section_text(lines)))
    return report


def section_text(lines: list[str]) -> str:
    """The report section: one line per unused outcome or unanswered callback, then the opt-out."""
    return "\n".join(
        [
            *lines,
            "(--sagemaker-pipelines-report=off, or report='off' on the marker, turns this off)",
        ]
    )


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """The options of every ``sagemaker_pipelines`` marker on ``node``, the closest winning."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(
                f"{node.nodeid}: @pytest.mark.{MARKER} takes keyword options only, "
                f"got positional {marker.args!r}"
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def sagemaker_pipelines(request: pytest.FixtureRequest) -> Iterator[PipelinesMock]:
    """A running SageMaker Pipelines mock (and moto); yields the ``PipelinesMock`` controller.

    Options come from ``@pytest.mark.sagemaker_pipelines(...)``. At teardown the mock stops
    (a ``mock_aws`` the test started itself keeps running with its data) and the report runs.
    """
    from mock_sagemaker_pipelines import MockSageMakerPipelines, UnusedOutcomesWarning
    from mock_sagemaker_pipelines.mock import format_report

    options = marker_options(request.node)
    mode = options.pop("report", None) or report_mode(request.config)
    try:
        mocker = MockSageMakerPipelines(report="off", **options)
    except (TypeError, ValueError) as exc:
        pytest.fail(f"@pytest.mark.{MARKER}(...): {exc}", pytrace=False)
    if mode not in REPORT_MODES:
        pytest.fail(
            f"@pytest.mark.{MARKER}(report={mode!r}): use warn, error or off", pytrace=False
        )
    controller = mocker.start()
    if mode != "off" and not mocker.joined:
        request.node.stash[_controller] = controller
    lines: list[str] = []
    try:
        yield controller
        failed = request.node.stash.get(_call_failed, False)
        if mode != "off" and not failed and not mocker.joined:
            lines = controller.report()
    finally:
        request.node.stash[_controller] = None
        mocker.stop(report=False)
    if not lines:
        return
    message = format_report(lines)
    if mode == "error":
        pytest.fail(message, pytrace=False)
    # Point the warning at the test, not at this fixture.
    _, line, _ = request.node.location
    warnings.warn_explicit(message, UnusedOutcomesWarning, str(request.node.path), (line or 0) + 1)


@pytest.fixture(autouse=True)
def _sagemaker_pipelines_marker(request: pytest.FixtureRequest) -> None:
    """Give a test marked ``sagemaker_pipelines`` the mock even if it does not ask for it."""
    if FIXTURE in request.fixturenames:
        return
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue(FIXTURE)
