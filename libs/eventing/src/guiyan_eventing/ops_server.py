"""A service's ops HTTP endpoint, served by uvicorn on the service's own event loop:

- `/healthz`, liveness: it answers while the event loop does, and looks at nothing else (a
  restart would not bring back a database or NATS that is away);
- `/readyz`, readiness: 200 when every check passes (`readiness.py`), else 503 naming which failed;
- `/metrics`, the process's Prometheus registry as text.

The portal, a FastAPI app already, answers the same three on its own port with the same parts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator, Mapping

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from guiyan_contracts.system import Liveness

from .readiness import Check, findings, report

log = logging.getLogger(__name__)

# The `Accept` header in, the samples and their content type out.
RendersMetrics = Callable[[str], Awaitable[tuple[bytes, str]]]


def ops_app(checks: Mapping[str, Check], metrics: RendersMetrics) -> Starlette:
    async def healthz(_: Request) -> Response:
        return JSONResponse(Liveness().model_dump())

    async def readyz(_: Request) -> Response:
        status, body = report(await findings(checks))
        return JSONResponse(body.model_dump(), status_code=status)

    async def exposition(request: Request) -> Response:
        body, content_type = await metrics(request.headers.get("accept", ""))
        return Response(body, media_type=content_type)

    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz),
                             Route("/metrics", exposition)])


class _Server(uvicorn.Server):
    """Leaves SIGINT and SIGTERM to the process's owner: uvicorn's own handlers would replace
    FastStream's, and the service would then not stop its consumers and relay on a signal."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class OpsServer:
    def __init__(self, app: Starlette, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._server = _Server(uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off", ws="none",
            timeout_graceful_shutdown=2))
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen, or raise OSError (the port is taken): bound here rather than by uvicorn,
        which would exit the process on that error."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.create_server((self.host, self.port), family=family)
        self._task = asyncio.create_task(self._server.serve(sockets=[listener]))
        log.info("ops endpoint on http://%s:%d (/healthz, /readyz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._task is not None:
            self._server.should_exit = True
            await self._task
            self._task = None
