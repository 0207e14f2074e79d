"""An example suite: the SageMaker Python SDK (v2) against mock-sagemaker-pipelines, offline."""
