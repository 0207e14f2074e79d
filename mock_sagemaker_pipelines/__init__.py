"""mock-sagemaker-pipelines: a moto plugin that simulates Amazon SageMaker Pipelines.

Public API: :func:`mock_sagemaker_pipelines` (decorator and context manager),
:class:`PipelinesMock` (the controller it yields), :class:`StepScript` (scripted outcomes) and
:class:`PendingCallback`; for job handlers :class:`JobContext` and :class:`JobFailed`.

The names are imported on first use (PEP 562 ``__getattr__``): importing the package itself, as
the pytest plugin (:mod:`mock_sagemaker_pipelines.pytest_plugin`) does in every session, does not
import moto.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Public name -> the module that defines it.
_PUBLIC = {
    "DefinitionWarning": ".engine.simulation",
    "FunctionStepWarning": ".engine.function_steps",
    "JobContext": ".engine.job_handlers",
    "JobFailed": ".engine.job_handlers",
    "PropertyFileUse": ".engine.property_hints",
    "MockSageMakerPipelines": ".mock",
    "PendingCallback": ".mock",
    "PipelinesMock": ".mock",
    "UnusedOutcomesWarning": ".mock",
    "mock_sagemaker_pipelines": ".mock",
    "ScriptedOutcome": ".outcomes",
    "StepScript": ".outcomes",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name on first use (``AttributeError`` for any other name)."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
