"""Server mode: moto over HTTP with the plugin active, plus control endpoints for the clock.

Run ``mock-sagemaker-pipelines server [--host 127.0.0.1] [--port 5000] [--seed N]`` or
``python -m mock_sagemaker_pipelines.server`` with the same options. Point any AWS SDK at
``http://HOST:PORT`` (fake credentials are fine): every service moto has is served, SageMaker
pipeline actions by the plugin. There is no ``with`` block in server mode: the server makes one
:class:`~mock_sagemaker_pipelines.engine.simulation.Simulation` current for its lifetime, and the
simulated clock moves only when a control endpoint says so (or a StartPipelineExecution /
callback answer makes events due at the current time run).

Control endpoints (JSON in, JSON out; errors are ``400 {"error": "..."}``):

``POST /moto-api/sagemaker-pipelines/advance``  body ``{"seconds": N}``
    Move the clock ``N`` simulated seconds, running every step event that falls due.
``POST /moto-api/sagemaker-pipelines/run-until-idle``  body ``{}`` or ``{"max_seconds": N}``
    Run until every execution has finished or waits on outside input (a callback answer).
``POST /moto-api/sagemaker-pipelines/outcomes``  body ``{"step": NAME, "outcome": SPEC}``
    Script a step (``"execution"``: an execution ARN or id limits it to that execution). SPEC
    is an outcome as in a scenario file (:mod:`mock_sagemaker_pipelines.cli`): ``"succeed"``,
    ``"fail:REASON"``, ``{"succeed": true, "after": 120, "outputs": {...}}``,
    ``{"fail": "reason", "after": 30}`` or a list of these (one per attempt).
``GET /moto-api/sagemaker-pipelines/callbacks``
    ``{"callbacks": [{"pipeline_execution_arn", "step_name", "callback_token", "sqs_queue_url",
    "arguments", "stopping"}, ...]}``: Callback steps waiting for an answer.
``GET /moto-api/sagemaker-pipelines/clock``
    ``{"now": ISO 8601 UTC, "epoch": seconds since 1970}``; POST endpoints answer the same.

One server per process: the control routes and the plugin's activation are process-wide.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

from . import _moto
from .controller import PipelinesMock
from .engine import simulation as simulation_module
from .engine.clock import check_seconds
from .engine.simulation import Simulation, SimulationOptions
from .responses import PipelinesResponse
from .scenario import ScenarioError, apply_outcome

__all__ = ["CONTROL_PREFIX", "PipelinesServer", "main", "serve"]

#: Path prefix of the control endpoints.
CONTROL_PREFIX = "/moto-api/sagemaker-pipelines"

Response = tuple[int, dict[str, str], str]
_JSON = {"Content-Type": "application/json"}


class _BadRequest(Exception):
    """A control request with a wrong method or body (answered 400/405)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _method(request: Any) -> str:
    return str(getattr(request, "method", "GET") or "GET").upper()


def _json_body(request: Any) -> dict[str, Any]:
    """The JSON object a control request carries (a Flask request in server mode, a prepared
    ``requests`` request in-process); an empty body is ``{}``."""
    get_data = getattr(request, "get_data", None)
    if callable(get_data):  # Flask: raw bytes whatever the Content-Type (curl -d sends a form's)
        data: Any = get_data(cache=True, as_text=False, parse_form_data=False)
    else:
        data = getattr(request, "body", None)
    if hasattr(data, "read"):
        data = data.read()
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    if not data or not str(data).strip():
        return {}
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise _BadRequest(f"the request body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise _BadRequest("the request body must be a JSON object")
    return body


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat()


class PipelinesServer:
    """A moto server (``ThreadedMotoServer``) with the plugin and the control endpoints.

    ``start()`` makes a fresh simulation current, activates the plugin, registers the control
    routes and starts serving on a thread; ``stop()`` undoes all of it. Also a context manager.
    ``port=0`` picks a free port (see :attr:`url`). ``options`` are the simulation's options
    (``seed``, ``durations``, ``auto_callbacks``, ...).
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 5000, options: SimulationOptions | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.simulation = Simulation(options or SimulationOptions())
        self.controller = PipelinesMock(self.simulation)
        self._server: Any = None
        self._routes: list[str] = []

    # ---------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        """``http://host:port`` the server listens on (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> PipelinesServer:
        """Activate the plugin and start serving; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("the server is already started")
        from moto.server import ThreadedMotoServer

        simulation_module.push(self.simulation)
        _moto.activate(PipelinesResponse.dispatch)
        try:
            for name, handler in self._handlers().items():
                path = f"{CONTROL_PREFIX}/{name}"
                _moto.register_moto_api_route(path, handler)
                self._routes.append(path)
            server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
            server.start()
        except BaseException:
            self._undo()
            raise
        self._server = server
        self.simulation.endpoint_url = self.url  # job handlers' clients talk to the server
        return self

    def stop(self) -> None:
        """Stop serving and undo :meth:`start` (safe to call twice)."""
        server, self._server = self._server, None
        if server is None:
            return
        try:
            server.stop()
        finally:
            self._undo()

    def _undo(self) -> None:
        for path in self._routes:
            _moto.unregister_moto_api_route(path)
        self._routes.clear()
        _moto.deactivate()
        simulation_module.pop(self.simulation)

    def __enter__(self) -> PipelinesServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- control endpoints
    def _handlers(self) -> dict[str, Callable[[Any, str, Any], Response]]:
        return {
            "advance": self._wrap("POST", self._advance),
            "run-until-idle": self._wrap("POST", self._run_until_idle),
            "outcomes": self._wrap("POST", self._outcomes),
            "callbacks": self._wrap("GET", self._callbacks),
            "clock": self._wrap("GET", self._clock),
        }

    def _wrap(
        self, method: str, action: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Callable[[Any, str, Any], Response]:
        def handler(request: Any, full_url: str, headers: Any) -> Response:
            try:
                if _method(request) != method:
                    raise _BadRequest(f"use {method} for this endpoint", status=405)
                body = _json_body(request) if method == "POST" else {}
                return 200, dict(_JSON), json.dumps(action(body))
            except _BadRequest as exc:
                return exc.status, dict(_JSON), json.dumps({"error": str(exc)})
            except (ValueError, RuntimeError) as exc:  # a value the controller refuses
                return 400, dict(_JSON), json.dumps({"error": str(exc)})

        handler.__name__ = f"sagemaker_pipelines_{action.__name__.strip('_')}"
        return handler

    def _clock(self, body: dict[str, Any]) -> dict[str, Any]:
        now = self.controller.now()
        return {"now": _iso(now), "epoch": now.timestamp()}

    @staticmethod
    def _number(body: dict[str, Any], key: str, required: bool) -> float | None:
        value = body.get(key)
        if value is None and not required:
            return None
        try:
            return check_seconds(value, repr(key))
        except ValueError as exc:
            raise _BadRequest(str(exc)) from exc

    def _advance(self, body: dict[str, Any]) -> dict[str, Any]:
        seconds = self._number(body, "seconds", required=True)
        assert seconds is not None
        self.controller.advance(seconds)
        return self._clock(body)

    def _run_until_idle(self, body: dict[str, Any]) -> dict[str, Any]:
        self.controller.run_until_idle(self._number(body, "max_seconds", required=False))
        return self._clock(body)

    def _outcomes(self, body: dict[str, Any]) -> dict[str, Any]:
        step = body.get("step")
        if not isinstance(step, str) or not step:
            raise _BadRequest("'step' must be the name of a step")
        if "outcome" not in body:
            raise _BadRequest("'outcome' is required: succeed, fail:REASON or an outcome object")
        execution = body.get("execution")
        if execution is not None and not isinstance(execution, str):
            raise _BadRequest("'execution' must be an execution ARN or id")
        try:
            with self.simulation.lock:
                apply_outcome(self.controller, step, body["outcome"], execution)
        except (ScenarioError, ValueError) as exc:
            raise _BadRequest(str(exc)) from exc
        return {"step": step, "execution": execution, "outcome": body["outcome"]}

    def _callbacks(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.simulation.lock:
            pending = self.controller.pending_callbacks()
        return {"callbacks": [dataclasses.asdict(p) for p in pending]}


def check_address(host: str, port: int) -> None:
    """Fail early, with a clear error, if the server could not listen on ``host:port``."""
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"the port must be between 1 and 65535, not {port}")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve(host: str = "127.0.0.1", port: int = 5000, seed: int | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM).

    Raises ``ValueError`` for a port outside 1-65535 and ``OSError`` when the address cannot be
    bound (in use, or not an address of this machine), before anything starts.
    """
    check_address(host, port)
    server = PipelinesServer(host, port, SimulationOptions(seed=seed))
    done = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        done.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    server.start()
    print(
        f"mock-sagemaker-pipelines: serving moto with SageMaker Pipelines on {server.url} "
        f"(control endpoints under {CONTROL_PREFIX}/); Ctrl-C to stop",
        flush=True,
    )
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mock_sagemaker_pipelines.server [--host H] [--port P] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m mock_sagemaker_pipelines.server",
        description="Serve moto over HTTP with the SageMaker Pipelines plugin.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        serve(args.host, args.port, args.seed)
    except (OSError, ValueError) as exc:
        print(f"mock-sagemaker-pipelines server: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
