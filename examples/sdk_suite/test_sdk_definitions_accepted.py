"""Definitions the SageMaker Python SDK 2.x builds, offline, for every step type it can build:
the mock's checks of job-step Arguments against the request shapes refuse none of them.

Each case builds its steps with the SDK (parameters in the slots the SDK documents them for:
instance types and counts, inputs, outputs, network config lists, environment, container
arguments), renders ``pipeline.definition()`` and creates it through boto3 on the mock.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from mock_sagemaker_pipelines.definition import check_definition

from .support import ACCOUNT, BUCKET, REGION, ROLE

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
):
    pytest.importorskip("sagemaker", minversion="2.200")
    from sagemaker.automl.automl import AutoML, AutoMLInput
    from sagemaker.clarify import BiasConfig, DataConfig
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.lambda_helper import Lambda
    from sagemaker.model import Model
    from sagemaker.model_monitor.dataset_format import DatasetFormat
    from sagemaker.network import NetworkConfig
    from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
    from sagemaker.transformer import Transformer
    from sagemaker.tuner import ContinuousParameter, HyperparameterTuner, IntegerParameter
    from sagemaker.workflow.automl_step import AutoMLStep
    from sagemaker.workflow.callback_step import (
        CallbackOutput,
        CallbackOutputTypeEnum,
        CallbackStep,
    )
    from sagemaker.workflow.check_job_config import CheckJobConfig
    from sagemaker.workflow.clarify_check_step import ClarifyCheckStep, DataBiasCheckConfig
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo
    from sagemaker.workflow.emr_step import EMRStep, EMRStepConfig
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.function_step import step
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.notebook_job_step import NotebookJobStep
    from sagemaker.workflow.parameters import (
        ParameterBoolean,
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_context import PipelineSession
    from sagemaker.workflow.pipeline_definition_config import PipelineDefinitionConfig
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.quality_check_step import DataQualityCheckConfig, QualityCheckStep
    from sagemaker.workflow.step_collections import RegisterModel
    from sagemaker.workflow.steps import (
        CreateModelStep,
        ProcessingStep,
        TrainingStep,
        TransformStep,
        TuningStep,
    )

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:latest"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:notify"


pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=7),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


class Params:
    """Parameters of every type, used where the SDK documents pipeline variables."""

    def __init__(self) -> None:
        self.instance_type = ParameterString("InstanceType", default_value="ml.m5.xlarge")
        self.instance_count = ParameterInteger("InstanceCount", default_value=1)
        self.input_uri = ParameterString("InputUri", default_value=f"s3://{BUCKET}/in")
        self.security_group = ParameterString("SecurityGroup", default_value="sg-0123")
        self.learning_rate = ParameterFloat("LearningRate", default_value=0.1)
        self.flag = ParameterBoolean("Flag", default_value=False)
        self.mode = ParameterString("Mode", default_value="fast")

    def all(self) -> list[Any]:
        return list(vars(self).values())



def _processing(session: PipelineSession, p: Params) -> list[Any]:
    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=p.instance_count,
        instance_type=p.instance_type,
        env={"MODE": p.mode},
        network_config=NetworkConfig(security_group_ids=[p.security_group], subnets=["subnet-1"]),
        sagemaker_session=session,
    )
    args = processor.run(
        code=f"s3://{BUCKET}/code/preprocess.py",
        inputs=[ProcessingInput(source=p.input_uri, destination="/opt/ml/processing/input")],
        outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train")],
        arguments=["--mode", p.mode, "--rate", p.learning_rate.to_string()],
    )
    report = PropertyFile(name="Report", output_name="train", path="report.json")
    return [ProcessingStep(name="Preprocess", step_args=args, property_files=[report])]


def _estimator(session: PipelineSession, p: Params) -> Estimator:
    return Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=p.instance_count,
        instance_type=p.instance_type,
        hyperparameters={"lr": p.learning_rate, "mode": p.mode, "epochs": 10},
        environment={"MODE": p.mode},
        subnets=["subnet-1"],
        security_group_ids=[p.security_group],
        enable_network_isolation=p.flag,
        sagemaker_session=session,
    )


def _training(session: PipelineSession, p: Params) -> list[Any]:
    args = _estimator(session, p).fit(inputs={"train": TrainingInput(s3_data=p.input_uri)})
    return [TrainingStep(name="Train", step_args=args)]


def _tuning(session: PipelineSession, p: Params) -> list[Any]:
    tuner = HyperparameterTuner(
        _estimator(session, p),
        objective_metric_name="validation:rmse",
        objective_type="Minimize",
        hyperparameter_ranges={
            "alpha": ContinuousParameter(0.01, p.learning_rate),
            "depth": IntegerParameter(1, 10),
        },
        metric_definitions=[{"Name": "validation:rmse", "Regex": "rmse=([0-9.]+)"}],
        max_jobs=p.instance_count,
        max_parallel_jobs=1,
    )
    args = tuner.fit(inputs={"train": TrainingInput(s3_data=p.input_uri)})
    return [TuningStep(name="Tune", step_args=args)]


def _model_chain(session: PipelineSession, p: Params) -> list[Any]:
    """Training -> ModelStep(create) -> Transform, ModelStep(register), legacy steps."""
    train = _training(session, p)[0]
    artifacts = train.properties.ModelArtifacts.S3ModelArtifacts
    model = Model(
        image_uri=IMAGE,
        model_data=artifacts,
        role=ROLE,
        env={"MODE": p.mode},
        sagemaker_session=session,
    )
    create = ModelStep(name="CreateModel", step_args=model.create(instance_type="ml.m5.large"))
    register = ModelStep(
        name="Register",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.large"],
            model_package_group_name="group",
            approval_status="PendingManualApproval",
            customer_metadata_properties={"team": "ml"},
        ),
    )
    transformer = Transformer(
        model_name=create.properties.ModelName,
        instance_count=p.instance_count,
        instance_type=p.instance_type,
        output_path=f"s3://{BUCKET}/transform",
        env={"MODE": p.mode},
        sagemaker_session=session,
    )
    transform = TransformStep(
        name="Transform",
        step_args=transformer.transform(data=p.input_uri, content_type="text/csv"),
    )
    legacy_model = Model(
        image_uri=IMAGE, model_data=artifacts, role=ROLE, sagemaker_session=session
    )
    legacy_create = CreateModelStep(name="LegacyCreateModel", model=legacy_model)
    legacy_register = RegisterModel(
        name="LegacyRegister",
        estimator=_estimator(session, p),
        model_data=artifacts,
        content_types=["text/csv"],
        response_types=["text/csv"],
        inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.large"],
        model_package_group_name="group",
    )
    return [train, create, register, transform, legacy_create, legacy_register]


def _checks(session: PipelineSession, p: Params) -> list[Any]:
    check_job = CheckJobConfig(
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
    )
    quality = QualityCheckStep(
        name="DataQuality",
        check_job_config=check_job,
        quality_check_config=DataQualityCheckConfig(
            baseline_dataset=p.input_uri,
            dataset_format=DatasetFormat.csv(header=False),
            output_s3_uri=f"s3://{BUCKET}/quality",
        ),
        skip_check=p.flag,
        register_new_baseline=p.flag,
        model_package_group_name="group",
    )
    clarify = ClarifyCheckStep(
        name="DataBias",
        check_job_config=check_job,
        clarify_check_config=DataBiasCheckConfig(
            data_config=DataConfig(
                s3_data_input_path=f"s3://{BUCKET}/in/data.csv",
                s3_output_path=f"s3://{BUCKET}/bias",
                label="target",
                dataset_type="text/csv",
            ),
            data_bias_config=BiasConfig(label_values_or_threshold=[1], facet_name="age"),
        ),
        skip_check=False,
        register_new_baseline=False,
        model_package_group_name="group",
    )
    return [quality, clarify]


def _emr_and_automl(session: PipelineSession, p: Params) -> list[Any]:
    emr = EMRStep(
        name="Spark",
        display_name="Spark",
        description="Spark job",
        cluster_id="j-1ABCDEFGHIJKL",
        step_config=EMRStepConfig(jar="command-runner.jar", args=["spark-submit", p.input_uri]),
    )
    automl = AutoML(
        role=ROLE,
        target_attribute_name="target",
        sagemaker_session=session,
        mode="ENSEMBLING",
        max_candidates=2,
    )
    args = automl.fit(inputs=AutoMLInput(inputs=p.input_uri, target_attribute_name="target"))
    return [emr, AutoMLStep(name="AutoPilot", step_args=args)]


def _control_flow(session: PipelineSession, p: Params) -> list[Any]:
    callback = CallbackStep(
        name="Approve",
        sqs_queue_url=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/approvals",
        inputs={"mode": p.mode, "count": p.instance_count},
        outputs=[CallbackOutput(output_name="score", output_type=CallbackOutputTypeEnum.Float)],
    )
    notify = LambdaStep(
        name="Notify",
        lambda_func=Lambda(function_arn=FUNCTION_ARN, session=session),
        inputs={
            "score": callback.properties.Outputs["score"],
            "run": ExecutionVariables.PIPELINE_EXECUTION_ID,
        },
        outputs=[LambdaOutput(output_name="url", output_type=LambdaOutputTypeEnum.String)],
    )
    fail = FailStep(name="Reject", error_message=Join(on=" ", values=["low score", p.mode]))
    check = ConditionStep(
        name="Check",
        conditions=[
            ConditionGreaterThanOrEqualTo(left=callback.properties.Outputs["score"], right=0.5)
        ],
        if_steps=[notify],
        else_steps=[fail],
    )
    return [callback, check]


def _property_file_flow(session: PipelineSession, p: Params) -> list[Any]:
    """A Processing step's property file feeding a Training step through JsonGet."""
    (preprocess,) = _processing(session, p)
    report = preprocess.property_files[0]
    estimator = _estimator(session, p)
    estimator.set_hyperparameters(
        threshold=JsonGet(step_name=preprocess.name, property_file=report, json_path="t")
    )
    args = estimator.fit(
        inputs={
            "train": TrainingInput(
                s3_data=preprocess.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri
            )
        }
    )
    return [preprocess, TrainingStep(name="TrainOnReport", step_args=args)]


def _function_step(session: PipelineSession, p: Params) -> list[Any]:
    @step(name="Square", image_uri=IMAGE, instance_type="ml.m5.large", role=ROLE)
    def square(x: int) -> int:
        return x * x

    @step(name="Describe", image_uri=IMAGE, instance_type=p.instance_type, role=ROLE)
    def describe(value: int, mode: str) -> str:
        return f"{mode}:{value}"

    return [describe(square(p.instance_count), p.mode)]


def _notebook_job(session: PipelineSession, p: Params, tmp_path: Path) -> list[Any]:
    notebook = tmp_path / "report.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    return [
        NotebookJobStep(
            name="Notebook",
            input_notebook=str(notebook),
            image_uri=IMAGE,
            kernel_name="python3",
            role=ROLE,
            instance_type=p.instance_type,
            parameters={"mode": p.mode},
            environment_variables={"MODE": p.mode},
            s3_root_uri=f"s3://{BUCKET}/notebooks",
        )
    ]


CASES: dict[str, Callable[..., list[Any]]] = {
    "processing": _processing,
    "training": _training,
    "tuning": _tuning,
    "model-transform-register": _model_chain,
    "quality-and-clarify-checks": _checks,
    "emr-and-automl": _emr_and_automl,
    "callback-lambda-condition-fail": _control_flow,
    "property-file-jsonget": _property_file_flow,
    "function-step": _function_step,
}


def _create(
    session: PipelineSession, name: str, steps: list[Any], p: Params, config: Any = None
) -> dict[str, Any]:
    extra = {"pipeline_definition_config": config} if config is not None else {}
    pipeline = Pipeline(
        name=name, parameters=p.all(), steps=steps, sagemaker_session=session, **extra
    )
    definition = pipeline.definition()
    assert check_definition(definition) == []
    sm = session.boto_session.client("sagemaker", region_name=REGION)
    sm.create_pipeline(PipelineName=name, PipelineDefinition=definition, RoleArn=ROLE)
    return sm.describe_pipeline(PipelineName=name)


@pytest.mark.parametrize("case", sorted(CASES))
def test_sdk_definition_is_accepted(session: PipelineSession, case: str) -> None:
    p = Params()
    described = _create(session, f"sdk-{case}", CASES[case](session, p), p)
    assert described["PipelineStatus"] == "Active"


def test_notebook_job_step_is_accepted(session: PipelineSession, tmp_path: Path) -> None:
    p = Params()
    described = _create(session, "sdk-notebook", _notebook_job(session, p, tmp_path), p)
    assert described["PipelineStatus"] == "Active"


@pytest.mark.parametrize("case", ["processing", "training", "tuning", "emr-and-automl"])
def test_custom_job_prefix_names_are_accepted(session: PipelineSession, case: str) -> None:
    """``use_custom_job_prefix=True`` keeps the job name members in Arguments."""
    p = Params()
    config = PipelineDefinitionConfig(use_custom_job_prefix=True)
    steps = CASES[case](session, p)
    described = _create(session, f"sdk-prefix-{case}", steps, p, config)
    assert described["PipelineStatus"] == "Active"


def test_an_integer_parameter_passed_unconverted_as_a_string_is_refused(
    session: PipelineSession,
) -> None:
    """The SDK converts hyperparameters (``Std:Join``) but passes container arguments and
    environment values as they are: an Integer parameter there is refused, as the service
    refuses it (aws/sagemaker-python-sdk#2425, #4867); ``.to_string()`` is the fix."""
    p = Params()
    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
    )
    args = processor.run(code=f"s3://{BUCKET}/code/p.py", arguments=["--n", p.instance_count])
    pipeline = Pipeline(
        name="sdk-refused",
        parameters=p.all(),
        steps=[ProcessingStep(name="Count", step_args=args)],
        sagemaker_session=session,
    )
    sm = session.boto_session.client("sagemaker", region_name=REGION)
    with pytest.raises(sm.exceptions.ClientError) as excinfo:
        sm.create_pipeline(
            PipelineName="sdk-refused", PipelineDefinition=pipeline.definition(), RoleArn=ROLE
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "Cannot assign property reference [Parameters.InstanceCount] to argument of type "
        "[String]. (Step 'Count' Arguments.AppSpecification.ContainerArguments[1])"
    )
