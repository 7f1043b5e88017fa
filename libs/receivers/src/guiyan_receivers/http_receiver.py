"""The HTTP receivers' common part: a threaded server on 127.0.0.1 with a free port, keeping what
it saw and what it accepted."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from .misbehaviour import Misbehaving, Trick


@dataclass(frozen=True)
class Request:
    at: datetime  # when it arrived
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    accepted: bool = False  # kept in `received`
    headers: dict[str, str] = field(default_factory=dict)


class HttpReceiver(Misbehaving):
    """Subclasses say how the real receiver answers (`answer`, called under the lock so that a
    check of what was received and the keeping of a request are one step) and how it answers
    when throttling and when refusing."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Request] = []  # everything sent to it
        self.received: list[Request] = []  # what it accepted
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def answer(self, request: Request) -> Reply:
        raise NotImplementedError

    def throttled(self) -> Reply:
        raise NotImplementedError

    def refused(self) -> Reply:
        raise NotImplementedError

    @property
    def port(self) -> int:
        assert self._server is not None, "the receiver is not started"
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # a test's output is no place for an access log

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # serve_forever checks for shutdown this often: stopping is a test's wait.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends any hang at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        target = urlsplit(handler.path)
        request = Request(at=datetime.now(UTC), path=target.path,
                          query=dict(parse_qsl(target.query, keep_blank_values=True)),
                          headers={name.lower(): value for name, value in handler.headers.items()},
                          body=handler.rfile.read(int(handler.headers.get("Content-Length", 0))))
        with self._lock:
            self.seen.append(request)
        trick = self._next_trick()
        if trick is not None and trick.kind == "hang":
            self._stopping.wait(trick.seconds)
            trick = None
        reply = self._misbehaved(trick) if trick is not None else self._answered(request)
        body = json.dumps(reply.body, ensure_ascii=False).encode()
        try:
            handler.send_response(reply.status)
            for name, value in {"Content-Type": "application/json; charset=utf-8",
                                "Content-Length": str(len(body)), **reply.headers}.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (a hang): the receiver's side is done regardless

    def _answered(self, request: Request) -> Reply:
        with self._lock:
            reply = self.answer(request)
            if reply.accepted:
                self.received.append(request)
        return reply

    def _misbehaved(self, trick: Trick) -> Reply:
        if trick.kind == "fail":
            return Reply(trick.status or 500, {"error": "failing as told"})
        if trick.kind == "throttle":
            return self.throttled()
        return self.refused()
