"""What every SDK 2.x example test shares: the account, region, role and bucket the suite runs in,
and the SageMaker Python SDK config that keeps the SDK offline (telemetry off)."""

from __future__ import annotations

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelines"
BUCKET = "example-bucket"
SAGEMAKER_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
