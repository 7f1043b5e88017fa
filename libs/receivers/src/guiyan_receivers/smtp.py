"""An SMTP server (aiosmtpd) that takes mail as a real relay would: STARTTLS required when asked
for, AUTH LOGIN and PLAIN checked against one username and password."""

from __future__ import annotations

import asyncio
import email
import socket
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .certificate import Certificate, temporary_certificate
from .misbehaviour import Misbehaving


@dataclass(frozen=True)
class Mail:
    at: datetime  # when its DATA arrived
    mail_from: str
    rcpt_tos: list[str]
    content: bytes  # as sent, for checking its encoding
    message: EmailMessage  # parsed as a mail client would


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer(Misbehaving):
    def __init__(self, starttls: bool = False, username: str | None = None,
                 password: str | None = None) -> None:
        super().__init__()
        self.starttls = starttls
        self.username = username
        self.password = password
        self.host = "127.0.0.1"
        self.port = 0
        self.seen: list[Mail] = []  # every message whose DATA arrived
        self.received: list[Mail] = []  # those accepted
        self._lock = threading.Lock()
        self._certificate: Certificate | None = None
        self._certificate_directory: tempfile.TemporaryDirectory[str] | None = None
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [mail.message for mail in self.received]

    @property
    def ca_file(self) -> Path:
        """The certificate a client trusts for STARTTLS (it signs itself)."""
        assert self._certificate is not None, "the server was not started with STARTTLS"
        return self._certificate.cert_file

    def fail(self, n: int = 1, code: int = 451) -> None:  # type: ignore[override]
        """Answer the next messages' DATA with this SMTP code."""
        super().fail(n, status=code)

    def start(self) -> Self:
        tls_context = None
        if self.starttls:
            self._certificate, self._certificate_directory = temporary_certificate()
            tls_context = self._certificate.server_context()
        self.port = free_port()
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, tls_context=tls_context,
            require_starttls=self.starttls, authenticator=self._authenticate,
            auth_required=self.username is not None,
            # Without STARTTLS a test still wants AUTH offered, as a relay on a trusted
            # network may; with it, a password only ever crosses the encrypted connection.
            auth_require_tls=self.starttls)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
        if self._certificate_directory is not None:
            self._certificate_directory.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        if self.username is None:
            return AuthResult(success=False)
        success = (isinstance(auth_data, LoginPassword)
                   and auth_data.login == self.username.encode()
                   and auth_data.password == (self.password or "").encode())
        return AuthResult(success=success, handled=False)

    async def _take(self, envelope: Any) -> str:
        content = bytes(envelope.original_content or envelope.content)
        mail = Mail(at=datetime.now(UTC), mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos), content=content,
                    message=email.message_from_bytes(content, policy=policy.default))
        with self._lock:
            self.seen.append(mail)
        trick = self._next_trick()
        if trick is not None and trick.kind == "hang":
            await asyncio.sleep(trick.seconds)
        elif trick is not None and trick.kind == "fail":
            return f"{trick.status} Failing as told"
        elif trick is not None and trick.kind == "throttle":
            return "450 4.7.1 Too many messages, slow down"
        elif trick is not None and trick.kind == "refuse":
            return "550 5.1.1 Mailbox unavailable"
        with self._lock:
            self.received.append(mail)
        return "250 2.0.0 OK"


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return await self._server._take(envelope)
