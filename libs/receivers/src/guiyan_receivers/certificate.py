"""A self-signed certificate for 127.0.0.1, made with the openssl command line, for STARTTLS."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificate:
    cert_file: Path  # also the CA file a client trusts it by
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed(directory: Path) -> Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("a STARTTLS receiver needs the openssl command to make its certificate")
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key_file), "-out", str(cert_file)],
        check=True, capture_output=True)
    return Certificate(cert_file, key_file)


def temporary_certificate() -> tuple[Certificate, tempfile.TemporaryDirectory[str]]:
    """A certificate in a directory of its own, deleted when the directory is cleaned up."""
    directory = tempfile.TemporaryDirectory(prefix="guiyan-receivers-")
    return self_signed(Path(directory.name)), directory
