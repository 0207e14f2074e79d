"""Server mode: moto over HTTP with the plugin active, plus control endpoints for the clock.

Run ``mock-sagemaker-pipelines server [options]`` or ``python -m mock_sagemaker_pipelines.server``
with the same options (``--help`` lists them with their defaults; :mod:`.server_args`). Point
any AWS SDK at ``http://HOST:PORT`` (fake credentials are fine): every service moto has is
served, SageMaker pipeline actions by the plugin. There is no ``with`` block in server mode: the
server makes one :class:`~mock_sagemaker_pipelines.engine.simulation.Simulation` current for its
lifetime (a new one after each ``POST /moto-api/reset``). The simulated clock moves when a
control endpoint says so (or a StartPipelineExecution / callback answer makes events due at the
current time run) and, with ``--speed N``, at N simulated seconds per wall second
(:mod:`mock_sagemaker_pipelines.realtime`).

Control endpoints (JSON in, JSON out; errors are ``400 {"error": "..."}``):

``POST /moto-api/sagemaker-pipelines/advance``  body ``{"seconds": N}``
    Move the clock ``N`` simulated seconds, running every step event that falls due.
``POST /moto-api/sagemaker-pipelines/run-until-idle``  body ``{}`` or ``{"max_seconds": N}``
    Run until every execution has finished or waits on outside input (a callback answer).
``POST /moto-api/sagemaker-pipelines/speed``  body ``{"speed": N}``
    Move the clock at ``N`` simulated seconds per wall second from now on (0 to 1,000,000;
    0 stops it). Answers as ``clock``.
``POST /moto-api/sagemaker-pipelines/outcomes``  body ``{"step": NAME, "outcome": SPEC}``
    Script a step (``"execution"``: an execution ARN or id limits it to that execution). SPEC
    is an outcome as in a scenario file (:mod:`mock_sagemaker_pipelines.cli`): ``"succeed"``,
    ``"fail:REASON"``, ``{"succeed": true, "after": 120, "outputs": {...}}``,
    ``{"fail": "reason", "after": 30}`` or a list of these (one per attempt).
``GET /moto-api/sagemaker-pipelines/callbacks``
    ``{"callbacks": [{"pipeline_execution_arn", "step_name", "callback_token", "sqs_queue_url",
    "arguments", "stopping"}, ...]}``: Callback steps waiting for an answer.
``GET /moto-api/sagemaker-pipelines/report``
    The teardown report of server mode: ``{"unused_outcomes": [{"step", "execution",
    "outcome", "reason", "uses"}, ...], "unanswered_callbacks": [as in callbacks],
    "lines": [the report's text, one line per entry]}``. Empty lists: nothing to report.
``GET /moto-api/sagemaker-pipelines/clock``
    ``{"now": ISO 8601 UTC, "epoch": seconds since 1970, "speed": N}``; POST endpoints answer
    the same.

moto's own endpoints work as in moto's server: ``POST /moto-api/reset`` wipes every service's
state **and** starts a new simulation (the clock at the real time, scripted outcomes and
handlers forgotten; the options and the speed kept); ``POST /moto-api/config`` ``{"lambda":
{"use_docker": false}}`` makes moto's Lambda answer without Docker (``--no-docker`` does the
same at start).

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
from .realtime import RealTimeClock
from .responses import PipelinesResponse
from .scenario import ScenarioError, apply_outcome
from .server_args import NO_DOCKER_CONFIG, add_server_arguments

__all__ = ["CONTROL_PREFIX", "INSTALL_HINT", "PipelinesServer", "ServerUnavailable", "main", "serve"]

#: Path prefix of the control endpoints.
CONTROL_PREFIX = "/moto-api/sagemaker-pipelines"
#: moto's reset endpoint, which also starts a new simulation while the server runs.
RESET_PATH = "/moto-api/reset"
#: The one command that installs what the server needs.
INSTALL_HINT = 'pip install "mock-sagemaker-pipelines[server]"'


class ServerUnavailable(ImportError):
    """moto's server cannot be imported (Flask missing): the message names :data:`INSTALL_HINT`."""

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
    (``seed``, ``durations``, ``auto_callbacks``, ...). ``speed``: simulated seconds per wall
    second (0: the clock moves only when told). ``docker=False``: moto's Lambda and Batch run
    without Docker while the server runs (moto's config ``{"use_docker": false}``).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 5000,
        options: SimulationOptions | None = None,
        speed: float = 0.0,
        docker: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.options = options or SimulationOptions()
        self.simulation = Simulation(self.options)
        self.controller = PipelinesMock(self.simulation)
        self.realtime = RealTimeClock(self._tick, speed)
        self.docker = docker
        self._server: Any = None
        self._routes: list[str] = []
        self._moto_reset: Callable[..., Any] | None = None
        self._moto_config: dict[str, Any] | None = None

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
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as exc:
            raise ServerUnavailable(
                f"the server needs moto's server dependencies ({exc}); install them with: "
                f"{INSTALL_HINT}"
            ) from exc

        simulation_module.push(self.simulation)
        _moto.activate(PipelinesResponse.dispatch)
        try:
            if not self.docker:
                self._moto_config = _moto.moto_config()
                _moto.set_moto_config(NO_DOCKER_CONFIG)
            for name, handler in self._handlers().items():
                path = f"{CONTROL_PREFIX}/{name}"
                _moto.register_moto_api_route(path, handler)
                self._routes.append(path)
            self._moto_reset = _moto.moto_api_route(RESET_PATH)
            if self._moto_reset is not None:
                _moto.register_moto_api_route(RESET_PATH, self._reset)
            server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
            server.start()
            self.realtime.start()
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
            self.realtime.stop()
            server.stop()
        finally:
            self._undo()

    def _undo(self) -> None:
        self.realtime.stop()
        for path in self._routes:
            _moto.unregister_moto_api_route(path)
        self._routes.clear()
        if self._moto_reset is not None:
            _moto.register_moto_api_route(RESET_PATH, self._moto_reset)
            self._moto_reset = None
        if self._moto_config is not None:
            _moto.set_moto_config(self._moto_config)
            self._moto_config = None
        _moto.deactivate()
        simulation_module.pop(self.simulation)

    def _tick(self, seconds: float) -> None:
        """The real-time clock's step: advance the current simulation under its lock."""
        simulation = self.simulation
        with simulation.lock:
            simulation.scheduler.advance(seconds)

    def _reset(self, request: Any, full_url: str, headers: Any) -> Response:
        """``POST /moto-api/reset``: moto's reset, then a new simulation (same options, speed)."""
        assert self._moto_reset is not None
        old = self.simulation
        with old.lock:
            answer: Response = self._moto_reset(request, full_url, headers)
            if _method(request) == "POST":
                fresh = Simulation(self.options)
                simulation_module.push(fresh)
                simulation_module.pop(old)
                self.simulation, self.controller = fresh, PipelinesMock(fresh)
        return answer

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
            "speed": self._wrap("POST", self._speed),
            "outcomes": self._wrap("POST", self._outcomes),
            "callbacks": self._wrap("GET", self._callbacks),
            "report": self._wrap("GET", self._report),
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
        return {"now": _iso(now), "epoch": now.timestamp(), "speed": self.realtime.speed}

    def _speed(self, body: dict[str, Any]) -> dict[str, Any]:
        if "speed" not in body:
            raise _BadRequest("'speed' is required: simulated seconds per wall second")
        self.realtime.set_speed(body["speed"])  # ValueError: answered 400
        return self._clock(body)

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

    def _report(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.simulation.lock:
            unused = self.controller.unused_outcomes()
            pending = self.controller.pending_callbacks()
            lines = self.controller.report()
        return {
            "unused_outcomes": [
                {
                    "step": script.step_name,
                    "execution": script.execution,
                    "outcome": "succeed" if outcome.succeed else "fail",
                    "reason": outcome.reason,
                    "uses": outcome.uses,
                }
                for script, outcome in unused
            ],
            "unanswered_callbacks": [dataclasses.asdict(p) for p in pending],
            "lines": lines,
        }


def check_address(host: str, port: int) -> None:
    """Fail early, with a clear error, if the server could not listen on ``host:port``
    (``port`` 0: any free port)."""
    if not 0 <= int(port) <= 65535:
        raise ValueError(f"the port must be between 1 and 65535 (0: any free port), not {port}")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    seed: int | None = None,
    speed: float = 0.0,
    docker: bool = True,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); prints one line with the URL when ready.

    Raises ``ValueError`` for a port outside 0-65535 or a bad speed, ``OSError`` when the
    address cannot be bound (in use, or not an address of this machine), before anything
    starts, and :class:`ServerUnavailable` when moto's server cannot be imported.
    """
    check_address(host, port)
    server = PipelinesServer(host, port, SimulationOptions(seed=seed), speed=speed, docker=docker)
    done = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        done.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.start()
        print(
            f"mock-sagemaker-pipelines: serving moto with SageMaker Pipelines on {server.url} "
            f"(control endpoints under {CONTROL_PREFIX}/, speed {speed:g}); Ctrl-C to stop",
            flush=True,
        )
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace) -> int:
    """Serve with the options :func:`.server_args.add_server_arguments` parsed; returns the exit
    status (2 with one line on stderr for a bad address or a missing dependency)."""
    try:
        serve(args.host, args.port, args.seed, speed=args.speed, docker=not args.no_docker)
    except (OSError, ValueError, ImportError) as exc:
        print(f"mock-sagemaker-pipelines server: error: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mock_sagemaker_pipelines.server [options]`` (``--help`` lists them)."""
    parser = argparse.ArgumentParser(
        prog="python -m mock_sagemaker_pipelines.server",
        description="Serve moto over HTTP with the SageMaker Pipelines plugin.",
    )
    add_server_arguments(parser)
    return run(parser.parse_args(list(argv) if argv is not None else None))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
