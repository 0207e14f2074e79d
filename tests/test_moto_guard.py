"""Guard test: the moto internals this plugin relies on are still there, and moto has not grown
pipeline actions of its own that our subclass would silently shadow.

``shared/spec/moto-plugin-and-peers.md`` section 2.5 ("Fragility") and its mitigations: every
private name the plugin uses is listed in a ``MOTO_INTERNALS`` tuple; this test resolves each one
against the installed moto, checks that moto's single SageMaker route key still exists and is
moto's own handler when the plugin is inactive, and fails loudly when moto starts implementing an
action we own (then read moto's implementation and decide whether ours still needs to win).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from types import ModuleType
from typing import Any

import botocore.session
import moto.sagemaker.urls as sagemaker_urls
import pytest
from moto.sagemaker.responses import SageMakerResponse

import mock_sagemaker_pipelines._moto as moto_glue
import mock_sagemaker_pipelines._moto.backends as moto_backends
import mock_sagemaker_pipelines._moto.experiments as moto_experiments
import mock_sagemaker_pipelines._moto.fast as moto_fast
import mock_sagemaker_pipelines._moto.handover as moto_handover
import mock_sagemaker_pipelines._moto.jobs as moto_jobs
import mock_sagemaker_pipelines._moto.peers as moto_peers
import mock_sagemaker_pipelines._moto.sqs as moto_sqs
from mock_sagemaker_pipelines.responses import OWNED_ACTIONS, PipelinesResponse

#: The SageMaker pipeline actions moto 5.2.5 already implements (its docs checklist,
#: ``docs/docs/services/sagemaker.rst``; spec section 6). Our subclass overrides these on purpose.
MOTO_5_2_5_PIPELINE_ACTIONS = frozenset(
    {
        "create_pipeline",
        "delete_pipeline",
        "describe_pipeline",
        "describe_pipeline_definition_for_execution",
        "describe_pipeline_execution",
        "list_pipeline_executions",
        "list_pipeline_parameters_for_execution",
        "list_pipelines",
        "start_pipeline_execution",
        "update_pipeline",
    }
)

INTERNALS_MODULES: list[ModuleType] = [
    moto_glue,
    moto_backends,
    moto_experiments,
    moto_fast,
    moto_handover,
    moto_jobs,
    moto_peers,
    moto_sqs,
]


def snake_case(action: str) -> str:
    """``StopPipelineExecution`` -> ``stop_pipeline_execution`` (moto's action-to-method rule)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


@functools.cache
def _class_source(klass: type) -> str:
    """The source of one class ('' if unavailable); cached, moto's models module is large."""
    if klass.__module__ == "builtins":
        return ""
    try:
        return inspect.getsource(klass)
    except (OSError, TypeError):
        return ""


def _assigned_in_class(cls: type, attribute: str) -> bool:
    """Whether some class in ``cls``'s MRO assigns ``self.<attribute>`` (an instance field)."""
    assignment = re.compile(rf"\bself\.{re.escape(attribute)}\s*(:[^=\n]*)?=(?!=)")
    return any(assignment.search(_class_source(klass)) for klass in inspect.getmro(cls))


def resolve(dotted: str) -> Any:
    """Import the longest importable module prefix of ``dotted`` and follow the attributes.

    An instance attribute that moto's class assigns in a method (``self.x = ...``) counts as
    present for the last component. Raises ``LookupError`` naming what is missing.
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for index in range(cut, len(parts)):
            attribute = parts[index]
            if hasattr(obj, attribute):
                obj = getattr(obj, attribute)
                continue
            last = index == len(parts) - 1
            if last and inspect.isclass(obj) and _assigned_in_class(obj, attribute):
                return obj
            raise LookupError(f"{'.'.join(parts[: index + 1])} does not exist")
        return obj
    raise LookupError(f"no module of {dotted} can be imported")


def _all_internals() -> list[tuple[str, str]]:
    found = []
    for module in INTERNALS_MODULES:
        names = module.MOTO_INTERNALS
        assert isinstance(names, tuple)
        found.extend((module.__name__, name) for name in names)
    return found


@pytest.mark.parametrize(("owner", "dotted"), _all_internals())
def test_every_moto_internal_still_resolves(owner: str, dotted: str) -> None:
    assert dotted.startswith("moto."), f"{owner} lists a non-moto name {dotted}"
    resolve(dotted)  # raises LookupError naming the missing part


def test_every_internals_tuple_is_non_empty_and_unique() -> None:
    for module in INTERNALS_MODULES:
        names = module.MOTO_INTERNALS
        assert names, module.__name__
        assert len(set(names)) == len(names), module.__name__


def test_the_resolver_notices_missing_names() -> None:
    # the guard must be able to fail
    with pytest.raises(LookupError):
        resolve("moto.sagemaker.responses.SageMakerResponse.no_such_action_at_all")
    with pytest.raises(LookupError):
        resolve("moto.no_such_module.thing")
    with pytest.raises(LookupError):
        resolve("moto.sagemaker.models.FakeTrainingJob.no_such_field")
    assert resolve("moto.sagemaker.models.FakeTrainingJob.training_job_status") is not None


def test_owned_actions_are_model_operations() -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    operations = set(model.operation_names)
    unknown = [a for a in OWNED_ACTIONS if a not in operations]
    assert unknown == []
    assert len(set(OWNED_ACTIONS)) == len(OWNED_ACTIONS)


def test_our_response_class_defines_every_owned_action() -> None:
    missing = [a for a in OWNED_ACTIONS if snake_case(a) not in vars(PipelinesResponse)]
    assert missing == []


def test_moto_has_not_started_implementing_our_new_actions() -> None:
    new_actions = sorted({snake_case(a) for a in OWNED_ACTIONS} - MOTO_5_2_5_PIPELINE_ACTIONS)
    assert "stop_pipeline_execution" in new_actions  # the list is not accidentally empty

    now_in_moto = [name for name in new_actions if name in vars(SageMakerResponse)]

    assert now_in_moto == [], (
        f"moto's SageMakerResponse now implements {now_in_moto}; check moto's behaviour and "
        "whether PipelinesResponse should still override it, then update "
        "MOTO_5_2_5_PIPELINE_ACTIONS"
    )


def test_moto_still_implements_the_actions_we_override_on_purpose() -> None:
    # If moto drops one of these, the plugin still serves it, but the docs' claim changes.
    missing = sorted(a for a in MOTO_5_2_5_PIPELINE_ACTIONS if a not in vars(SageMakerResponse))
    assert missing == []


def test_moto_route_key_exists_and_is_moto_own_handler() -> None:
    assert moto_glue.ROUTE_KEY == "{0}/$"
    assert moto_glue.ROUTE_KEY in sagemaker_urls.url_paths
    handler = sagemaker_urls.url_paths[moto_glue.ROUTE_KEY]
    assert getattr(handler, "__self__", None) is SageMakerResponse
    assert handler == SageMakerResponse.dispatch


def test_moto_has_a_single_sagemaker_route() -> None:
    # a second route (e.g. a new REST-style path) could bypass the plugin
    assert list(sagemaker_urls.url_paths) == [moto_glue.ROUTE_KEY]


def test_moto_send_path_reads_no_queue_attribute_but_content_based_deduplication() -> None:
    # _moto/sqs.py answers Queue.attributes inside send_message with SEND_PATH_ATTRIBUTES only;
    # if moto's send path starts reading another attribute (or stops reading them: the upstream
    # fix landed), revisit the patch.
    from moto.sqs.models import Queue, SQSBackend

    sources = "".join(
        inspect.getsource(f)
        for f in (SQSBackend.send_message, SQSBackend._validate_message, Queue.add_message)
    )
    reads = re.findall(r"\.attributes\.get\(\s*\"(\w+)\"", sources)
    assert reads, "moto's send path no longer reads queue attributes: the SQS patch may go"
    assert set(reads) == set(moto_sqs.SEND_PATH_ATTRIBUTES)
    assert not re.search(r"\.attributes\[", sources)
