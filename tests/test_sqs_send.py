"""moto's SQS send under the mock (issue 15): linear sends, moto's own behaviour, no lasting patch.

``mock_sagemaker_pipelines/_moto/sqs.py`` stops moto's ``send_message`` from building every queue
attribute (whose message counts walk the whole queue) on each send. These tests check, through
boto3 against moto's real SQS, that sends still behave as moto's own: FIFO deduplication, its
errors, the message counts GetQueueAttributes reports, and every Callback message on the queue;
and that moto's SQS is itself again once the mock stops.
"""

from __future__ import annotations

from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto.sqs.models import Queue, SQSBackend

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION, callback_step, client_error_code, drain, run, status


def _fifo(sqs: Any, name: str, content_based: bool) -> str:
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": str(content_based).lower()}
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def _count(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def test_content_based_deduplication_still_drops_a_repeated_body(sqs: Any) -> None:
    url = _fifo(sqs, "dedup.fifo", content_based=True)
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
    sqs.send_message(QueueUrl=url, MessageBody="other", MessageGroupId="g")
    assert _count(sqs, url) == 2


def test_fifo_queue_without_content_deduplication_refuses_a_send_without_an_id(sqs: Any) -> None:
    url = _fifo(sqs, "plain.fifo", content_based=False)
    with pytest.raises(ClientError) as raised:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert client_error_code(raised.value) == "InvalidParameterValue"
    assert "ContentBasedDeduplication" in str(raised.value)
    assert _count(sqs, url) == 0


def test_message_counts_still_count_every_message(sqs: Any) -> None:
    url = str(sqs.create_queue(QueueName="counted")["QueueUrl"])
    for i in range(25):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=url, MessageBody="late", DelaySeconds=60)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "25"
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"
    assert "ContentBasedDeduplication" not in attributes  # a standard queue has none


def test_every_callback_of_a_fan_out_lands_on_the_one_queue(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    url = str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])
    arn = run(sm, [callback_step(f"Wait{i}", url) for i in range(60)])
    pipelines.advance(60)
    assert _count(sqs, url) == 60
    bodies = drain(sqs, url)
    assert sorted(b["token"] for b in bodies) == sorted(
        p.callback_token for p in pipelines.pending_callbacks()
    )
    assert status(sm, arn) == "Executing"


def test_moto_sqs_is_its_own_again_after_the_mock_stops() -> None:
    attributes, send = vars(Queue)["attributes"], vars(SQSBackend)["send_message"]
    with mock_sagemaker_pipelines(report="off"):
        assert vars(Queue)["attributes"] is not attributes
        with mock_sagemaker_pipelines(report="off"):
            pass
        assert vars(SQSBackend)["send_message"] is not send  # the outer mock still runs
    assert vars(Queue)["attributes"] is attributes
    assert vars(SQSBackend)["send_message"] is send
    with moto.mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        url = _fifo(sqs, "after.fifo", content_based=True)
        sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        assert _count(sqs, url) == 1
