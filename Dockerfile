# mock-sagemaker-pipelines server for a team: moto over HTTP with the SageMaker Pipelines plugin.
#
#   docker build -t mock-sagemaker-pipelines . && docker run --rm -p 5000:5000 mock-sagemaker-pipelines --speed 60 --no-docker
#
# Arguments after the image name are the server's options (`mock-sagemaker-pipelines server --help`);
# the address and port are set here. Every client of one container shares one simulated clock;
# accounts keep their data apart (README, "Server mode").
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY mock_sagemaker_pipelines ./mock_sagemaker_pipelines
# The server extra: every moto service, not only the ones the pipelines use. This checkout's
# pyproject.toml bounds the versions (DL3013 asks for pins of named packages).
# hadolint ignore=DL3013
RUN pip install ".[server]" \
    && useradd --create-home --uid 10001 mock

USER 10001
WORKDIR /home/mock
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/moto-api/sagemaker-pipelines/clock', timeout=4)"]
ENTRYPOINT ["mock-sagemaker-pipelines", "server", "--host", "0.0.0.0", "--port", "5000"]
CMD []
