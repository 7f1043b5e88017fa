"""The system as separate processes: a nats-server (unless NATS_URL points elsewhere) and the
four services, each with its own database and its own identity on the bus."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from guiyan_eventing.bus import BusSettings
from guiyan_eventing.identities import OPS, SYSTEM, authorization, issue_identities, seed_file
from guiyan_eventing.natsd import free_port, port_is_open, start_nats_server
from guiyan_eventing.streams import declare_streams
from guiyan_portal.config import DEV_SECRET

SERVICES = ("registry", "matching", "notification", "portal")
DEFAULT_NATS_PORT = 14222  # not 4222: another NATS may already listen there


@dataclass
class StackConfig:
    var_dir: Path
    portal_port: int = 8000
    nats_url: str | None = None  # an external NATS; otherwise one is started under var_dir
    nats_port: int = DEFAULT_NATS_PORT
    # Each identity's seed: made under var_dir for the NATS started here; for an external NATS,
    # where its operator put them (none: connect anonymously).
    identities_dir: Path | None = None
    # Identities beyond the system's own, for tests and benchmarks that inspect the bus.
    extra_identities: tuple[str, ...] = ()
    auth_secret: str = DEV_SECRET
    database_urls: dict[str, str] = field(default_factory=dict)  # service → URL; else SQLite
    environment: dict[str, str] = field(default_factory=dict)  # extra settings for every service

    def database_url(self, service: str) -> str:
        return self.database_urls.get(service) or f"sqlite:///{self.var_dir / f'{service}.db'}"

    def identities(self) -> Path | None:
        return self.identities_dir or (None if self.nats_url else self.var_dir / "nats" / "identities")


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.nats: subprocess.Popen[bytes] | None = None
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = config.var_dir / "logs"
        self.nats_url = config.nats_url or ""

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.config.portal_port}"

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        if not self.config.nats_url:
            self.start_nats()
        asyncio.run(declare_streams(self.bus(OPS), OPS))
        for service in SERVICES:
            self.start_service(service)
        self.wait_healthy()

    def start_nats(self) -> None:
        """A nats-server of our own, which lets in only the identities it was given: each
        service's, the portal's and `ops`. Its store and identities survive a restart."""
        identities = self.config.identities()
        assert identities is not None
        keys = issue_identities(identities, (*SYSTEM, *self.config.extra_identities))
        # Started again (after it was killed), it keeps its port: the services know it by that.
        port = (int(self.nats_url.rsplit(":", 1)[1]) if self.nats_url else
                self.config.nats_port if not port_is_open(self.config.nats_port) else free_port())
        self.nats = start_nats_server(self.config.var_dir / "nats", port, free_port(),
                                      self.logs / "nats-server.log", authorization(keys))
        self.nats_url = f"nats://127.0.0.1:{port}"

    def bus(self, identity: str) -> BusSettings:
        """How `identity` reaches this stack's NATS."""
        identities = self.config.identities()
        return BusSettings(nats_url=self.nats_url, nats_seed_file=seed_file(identities, identity)
                           if identities else None)

    def start_service(self, service: str) -> None:
        env = {**os.environ, **self.config.environment, "NATS_URL": self.nats_url,
               "AUTH_SECRET": self.config.auth_secret, "PORTAL_PORT": str(self.config.portal_port),
               "PORTAL_URL": self.portal_url, "PYTHONUNBUFFERED": "1"}
        # Its own identity only: not one this shell may hold, by file or from compose's .env.
        env.pop("NATS_SEED_FILE", None)
        env.pop("NATS_SEED", None)
        if (seed := self.bus(service).nats_seed_file) is not None:
            env["NATS_SEED_FILE"] = str(seed)
        if service != "portal":
            env["DATABASE_URL"] = self.config.database_url(service)
        log = open(self.logs / f"{service}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", f"guiyan_{service}"], env=env, stdout=log,
            stderr=subprocess.STDOUT)

    def kill_service(self, service: str, sig: signal.Signals = signal.SIGKILL) -> None:
        process = self.processes.pop(service)
        process.send_signal(sig)
        process.wait(30)

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}; "
                                       f"see {self.logs / (name + '.log')}")
            try:
                response = httpx.get(f"{self.portal_url}/healthz/system", timeout=5)
                if response.status_code == 200:
                    return
                last = response.text
            except httpx.HTTPError as error:
                last = repr(error)
            time.sleep(0.2)
        raise RuntimeError(f"the system did not become healthy: {last}")

    def stop(self) -> None:
        """Services first (they finish in-flight work), then NATS."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        if self.nats is not None:
            self.nats.terminate()
            self.nats.wait(10)
            self.nats = None
