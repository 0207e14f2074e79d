"""Server-side input validation for SageMaker requests, driven by the botocore service model.

The constraints come from the botocore model of the service,
``botocore/data/sagemaker/2017-07-24/service-2.json``: each operation's input shape is walked
member by member and checked against the shape traits ``required``, ``min``/``max`` (string
length, list/map size, numeric range), ``pattern`` and ``enum``. botocore only enforces
``required``, types and the *minimum* traits client-side (``botocore/validate.py``), so the mock
enforces the rest -- and the minimums too, for HTTP clients that bypass botocore.

Messages follow the wording of AWS JSON-protocol services (the Coral ``ValidationException`` form
documented under "Common Errors" in the API references,
https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html)::

    1 validation error detected: Value 'x' at 'pipelineName' failed to satisfy constraint: ...
    2 validation errors detected: Value 'a' at 'x' failed to ...; Value 'b' at 'y' failed to ...

The package holds :func:`validate_request`, which answers a request with the first error AWS
would give; the parts it is built from are

* :mod:`.json_types`: members of the wrong JSON type (``SerializationException``);
* :mod:`.nodes`: the validator tree built from the model, and the constraint messages;
* :mod:`.messages`: value rendering and the message form;
* :mod:`.java_regex`: the model's Java ``pattern`` traits rewritten for :mod:`re`;
* :mod:`.model`: the botocore service model, loaded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .json_types import request_type_error
from .nodes import validation_messages

__all__ = ["check_json_types", "request_type_error", "validate_request", "validation_messages"]


def check_json_types(operation_name: str, params: Any) -> None:
    """Raise SerializationException for a member of the wrong JSON type.

    Give it the request as sent (the decoded JSON body): moto's own parser converts some values
    (numeric strings to numbers) before the request reaches the plugin.
    """
    type_error = request_type_error(operation_name, params)
    if type_error is not None:
        from ..exceptions import SerializationException

        raise SerializationException(type_error)


def validate_request(
    operation_name: str, params: Mapping[str, Any], *, check_types: bool = True
) -> None:
    """Raise SerializationException for a member of the wrong JSON type, and ValidationException
    (AWS's ``N validation error(s) detected: ...`` form) if params violate the input shape's
    constraints. ``check_types=False`` when the caller already checked the JSON as sent."""
    if check_types:
        check_json_types(operation_name, params)
    messages = validation_messages(operation_name, params)
    if not messages:
        return
    from ..exceptions import ValidationException

    count = len(messages)
    noun = "validation error" if count == 1 else "validation errors"
    raise ValidationException(f"{count} {noun} detected: " + "; ".join(messages))
