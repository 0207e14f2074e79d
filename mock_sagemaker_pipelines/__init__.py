"""mock-sagemaker-pipelines: a moto plugin that simulates Amazon SageMaker Pipelines.

Public API: :func:`mock_sagemaker_pipelines` (decorator and context manager),
:class:`PipelinesMock` (the controller it yields), :class:`StepScript` (scripted outcomes),
:class:`PendingCallback`, and the warnings :class:`UnusedOutcomesWarning` (the exit report) and
:class:`UnknownStepWarning` (a scripted step name no pipeline has).
"""

from .engine.simulation import DefinitionWarning
from .mock import (
    MockSageMakerPipelines,
    PendingCallback,
    PipelinesMock,
    UnusedOutcomesWarning,
    mock_sagemaker_pipelines,
)
from .outcomes import ScriptedOutcome, StepScript, UnknownStepWarning

__version__ = "0.1.0"

__all__ = [
    "DefinitionWarning",
    "MockSageMakerPipelines",
    "PendingCallback",
    "PipelinesMock",
    "ScriptedOutcome",
    "StepScript",
    "UnknownStepWarning",
    "UnusedOutcomesWarning",
    "__version__",
    "mock_sagemaker_pipelines",
]
