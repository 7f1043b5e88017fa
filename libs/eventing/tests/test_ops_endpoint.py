"""A service's ops endpoint against a real nats-server and SQLite: liveness, readiness as NATS
comes and goes, metrics, and the probe Docker's HEALTHCHECK runs."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from guiyan_contracts.envelope import Event
from guiyan_eventing.bus import BusSettings
from guiyan_eventing.natsd import free_port, start_nats_server
from guiyan_eventing.probe import main as probe_main
from guiyan_eventing.probe import probe
from guiyan_eventing.readiness import findings
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.streams import declare_streams
from guiyan_eventing.unit_of_work import SqlUnitOfWork


class ParkNoticed(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.ops_test.noticed.v1"


class NatsServer:
    """A nats-server of this module's own, without authentication, that a test may stop and
    start again on the same port and store."""

    def __init__(self, store: Path) -> None:
        self.store, self.port = store, free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = start_nats_server(self.store, self.port, free_port())

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats")
    server.start()
    asyncio.run(declare_streams(BusSettings(nats_url=server.url, nats_seed_file=None)))
    yield server
    if server.process is not None and server.process.poll() is None:
        server.stop()


def listener(nats: NatsServer, tmp_path: Path, ops_port: int) -> Service[SqlUnitOfWork]:
    settings = ServiceSettings(nats_url=nats.url, nats_seed_file=None, ops_port=ops_port,
                               ops_host="127.0.0.1",
                               database_url=f"sqlite:///{tmp_path / 'listener.db'}")
    service = Service("opslistener", settings, Tables([]), SqlUnitOfWork)
    service.on_event(ParkNoticed, lambda event, uow: None)
    return service


async def readiness_becomes(client: httpx.AsyncClient, status: int,
                            timeout: float = 15.0) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        answer = await client.get("/readyz")
        if answer.status_code == status:
            return answer.json()
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"/readyz stayed {answer.status_code}: {answer.text}")
        await asyncio.sleep(0.1)


async def test_readiness_follows_nats_and_liveness_does_not(nats: NatsServer,
                                                           tmp_path: Path) -> None:
    port = free_port()
    service = listener(nats, tmp_path, port)
    before = await findings(service.readiness_checks())
    assert before["nats"] == "not connected"
    async with service.app(), httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        live = await client.get("/healthz")
        assert (live.status_code, live.json()) == (200, {"status": "ok"})
        ready = await readiness_becomes(client, 200)
        assert ready == {"status": "ready",
                         "checks": {"database": "ok", "nats": "ok", "consumers": "ok"}}
        # The probe blocks, as it may in a process of its own: off this loop, which answers it.
        assert await asyncio.to_thread(probe, "/readyz", {"OPS_PORT": str(port)}) is None

        nats.stop()
        unready = await readiness_becomes(client, 503)
        assert unready["status"] == "not ready" and unready["checks"]["nats"] == "not connected"
        assert unready["checks"]["database"] == "ok"
        assert (await client.get("/healthz")).status_code == 200  # alive all the same
        failure = await asyncio.to_thread(probe, "/readyz", {"OPS_PORT": str(port)})
        assert failure is not None and "503" in failure and "not connected" in failure

        nats.start()
        await readiness_becomes(client, 200, timeout=30)

        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
    # Stopped with the service: nothing listens any more.
    assert probe("/healthz", {"OPS_PORT": str(port)}) is not None


def test_the_probe_refuses_what_cannot_make_a_url_and_names_what_it_met(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "not a path" in (probe("readyz", {"OPS_PORT": "9000"}) or "")
    assert "not a port" in (probe("/readyz", {"OPS_PORT": "nine"}) or "")
    closed = free_port()
    monkeypatch.setenv("OPS_PORT", str(closed))
    assert probe_main([]) == 1
    assert f"127.0.0.1:{closed}/healthz" in capsys.readouterr().err
    monkeypatch.delenv("OPS_PORT")
    monkeypatch.setenv("PORTAL_PORT", str(closed))
    assert probe_main(["/readyz"]) == 1
    assert f"127.0.0.1:{closed}/readyz" in capsys.readouterr().err
    assert probe_main(["/a", "/b"]) == 1


async def test_a_port_already_taken_is_an_error_at_start(nats: NatsServer,
                                                         tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        service = listener(nats, tmp_path, taken.getsockname()[1])
        with pytest.raises(OSError):
            async with service.app():
                pass
