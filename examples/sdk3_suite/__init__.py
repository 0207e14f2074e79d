"""An example suite: the SageMaker Python SDK 3.x against mock-sagemaker-pipelines, offline."""
