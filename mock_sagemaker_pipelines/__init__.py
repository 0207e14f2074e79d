"""mock-sagemaker-pipelines: a moto plugin that simulates Amazon SageMaker Pipelines.

Public API: :func:`mock_sagemaker_pipelines` (decorator and context manager),
:class:`PipelinesMock` (the controller it yields), :class:`StepScript` (scripted outcomes) and
:class:`PendingCallback`; for job handlers :class:`JobContext` and :class:`JobFailed`.
"""

from .engine.function_steps import FunctionStepWarning
from .engine.job_handlers import JobContext, JobFailed
from .engine.property_hints import PropertyFileUse
from .engine.simulation import DefinitionWarning
from .mock import (
    MockSageMakerPipelines,
    PendingCallback,
    PipelinesMock,
    UnusedOutcomesWarning,
    mock_sagemaker_pipelines,
)
from .outcomes import ScriptedOutcome, StepScript

__version__ = "0.1.0"

__all__ = [
    "DefinitionWarning",
    "FunctionStepWarning",
    "JobContext",
    "JobFailed",
    "MockSageMakerPipelines",
    "PendingCallback",
    "PipelinesMock",
    "PropertyFileUse",
    "ScriptedOutcome",
    "StepScript",
    "UnusedOutcomesWarning",
    "__version__",
    "mock_sagemaker_pipelines",
]
