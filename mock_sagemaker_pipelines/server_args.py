"""The server's command-line options, shared by ``mock-sagemaker-pipelines server`` and
``python -m mock_sagemaker_pipelines.server``.

Kept apart from :mod:`mock_sagemaker_pipelines.server` so that building the command line's
parser imports neither moto nor Flask. Every option's help ends with its default.
"""

from __future__ import annotations

import argparse
from typing import Any

from .realtime import MAX_SPEED, check_speed

__all__ = ["NO_DOCKER_CONFIG", "add_server_arguments"]

#: moto's config (``POST /moto-api/config``) that ``--no-docker`` sets while the server runs.
NO_DOCKER_CONFIG: dict[str, Any] = {
    "batch": {"use_docker": False},
    "lambda": {"use_docker": False},
}


def _speed_arg(text: str) -> float:
    try:
        return check_speed(float(text), "--speed")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _port_arg(text: str) -> int:
    try:
        port = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from exc
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("the port must be between 1 and 65535 (0: any free port)")
    return port


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the server's options to ``parser``."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; "
        "0.0.0.0 in a container)"
    )
    parser.add_argument(
        "--port", type=_port_arg, default=5000, help="port to listen on, 0 for any free one "
        "(default: 5000)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed of execution ids, callback tokens and job names (default: none, "
        "different on every start)",
    )
    parser.add_argument(
        "--speed",
        type=_speed_arg,
        default=0.0,
        metavar="N",
        help=f"move the simulated clock N simulated seconds per wall second, 0 to "
        f"{MAX_SPEED:,.0f}, so that clients polling with real sleeps see progress; also "
        "POST /moto-api/sagemaker-pipelines/speed {\"speed\": N} (default: 0, the clock moves "
        "only through the control endpoints)",
    )
    parser.add_argument(
        "--no-docker",
        action="store_true",
        help="moto's Lambda and Batch run without Docker: a Lambda step calling a function "
        "created in moto gets the event back (moto's POST /moto-api/config "
        "{\"lambda\": {\"use_docker\": false}}) (default: off, moto uses Docker)",
    )
