"""`make run` as a user runs it: secrets written for the owner alone, a service that dies started
again, and Ctrl-C stopping everything."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx

from guiyan_eventing.natsd import free_port

from .conftest import eventually


def children(pid: int) -> dict[int, str]:
    """The processes `pid` started, by their command line."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            found[int(child)] = command
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_make_run_restarts_what_dies_keeps_secrets_private_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    run = subprocess.Popen([sys.executable, "-m", "guiyan_devstack.run"], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env={**os.environ, "GUIYAN_VAR": str(tmp_path), "PORTAL_PORT": str(port),
                                "PLAN_DEBOUNCE_SECONDS": "0.1"})
    said: list[str] = []
    try:
        os.set_blocking(run.stdout.fileno(), False)

        def heard(text: str) -> bool:
            said.extend(line for line in iter(run.stdout.readline, "") if line)
            return any(text in line for line in said)

        eventually(lambda: heard("Press Ctrl-C to stop"), timeout=120, every=0.5)
        (matching,) = [pid for pid, command in children(run.pid).items()
                       if "guiyan_matching" in command]
        os.kill(matching, signal.SIGKILL)
        eventually(lambda: heard("matching started again"), timeout=30, every=0.5)
        assert any("matching stopped" in line for line in said)
        eventually(lambda: httpx.get(f"http://127.0.0.1:{port}/healthz/system").status_code == 200,
                   timeout=60, every=0.5)
        (nats,) = [pid for pid, command in children(run.pid).items() if "nats-server" in command]
        os.kill(nats, signal.SIGKILL)
        eventually(lambda: heard("nats-server started again"), timeout=30, every=0.5)
        eventually(lambda: httpx.get(f"http://127.0.0.1:{port}/healthz/system").status_code == 200,
                   timeout=60, every=0.5)
        for secret in ("demo-tokens.json", "demo-accounts.json", "nats/nats.conf", "nats/identities/matching.nk"):
            assert stat.S_IMODE((tmp_path / secret).stat().st_mode) == 0o600, secret

        started = list(children(run.pid))
        run.send_signal(signal.SIGINT)
        assert run.wait(60) == 0
        time.sleep(0.5)
        assert not [pid for pid in started if alive(pid)]
    finally:
        if run.poll() is None:
            run.kill()
