"""Job handlers for the abalone example (``examples/definitions/03-...abalone...json``).

``AbaloneEval`` is a Processing step whose ``evaluation.py`` writes ``evaluation.json`` to its
``evaluation`` output; the Condition ``AbaloneMSECond`` reads ``regression_metrics.mse.value``
from it (``Std:JsonGet`` on the property file ``EvaluationReport``). The handler below stands in
for the script: it writes the report where the job would, so the Condition reads it from moto's
S3. Use it from a test (``pipelines.job_handler("AbaloneEval", write_evaluation_report)``) or a
scenario file (``"handlers": {"AbaloneEval": "abalone_handlers:write_evaluation_report"}``).
"""

from __future__ import annotations

from typing import Any

#: The mean squared error the pretend evaluation finds.
MSE = 4.2


def write_evaluation_report(arguments: dict[str, Any], context: Any) -> None:
    """Write the report ``evaluation.py`` would write, naming the model it evaluated."""
    inputs = {i["InputName"]: i["S3Input"]["S3Uri"] for i in arguments["ProcessingInputs"]}
    context.write_property_file(
        "EvaluationReport",
        {
            "regression_metrics": {"mse": {"value": MSE, "standard_deviation": 1.1}},
            "model": inputs["input-1"],
        },
    )
