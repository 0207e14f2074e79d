"""mock-sagemaker-pipelines: a moto plugin that simulates Amazon SageMaker Pipelines.

Public API: :func:`mock_sagemaker_pipelines` (decorator and context manager),
:class:`PipelinesMock` (the controller it yields), :class:`StepScript` (scripted outcomes) and
:class:`PendingCallback`.

The names are imported on first use (PEP 562 ``__getattr__``), so that importing a submodule
that does not need moto (the command line's argument parsing, ``validate``) does not pay for
importing moto, boto3 and the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
_EXPORTS = {
    "DefinitionWarning": ".engine.simulation",
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
    "MockSageMakerPipelines",
    "PendingCallback",
    "PipelinesMock",
    "ScriptedOutcome",
    "StepScript",
    "UnusedOutcomesWarning",
    "__version__",
    "mock_sagemaker_pipelines",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
