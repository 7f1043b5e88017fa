"""The whole system in docker compose, as deployed: images already built (`make test-compose`
builds them), a project name of its own, secrets from a generated .env (COMPOSE_ENV_FILE), and a
network no container leaves, from which only the portal's port is published to the host.

Started once for the suite and removed with its volumes at the end, whatever happened; when a
test failed, or the system never came up, every container's log is printed first."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from guiyan_devstack.compose_env import assignments
from guiyan_eventing.natsd import free_port

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "guiyantest"
# The demo loader's var/ (docker-compose.internal.yml mounts it): its accounts and tokens.
DEMO_VAR = ROOT / "var/compose-test/demo"
# Time for every container to pass its health check after `up`: the services wait for NATS,
# PostgreSQL and the streams first, then migrate and bind their consumers.
HEALTHY_WITHIN_SECONDS = 240


# The compose files of the single-host system; the internal network's override comes last.
SINGLE_HOST = ("docker-compose.yml", "tests/compose/docker-compose.internal.yml")


@dataclass
class Compose:
    env_file: Path
    portal_port: int
    project: str = PROJECT
    files: tuple[str, ...] = SINGLE_HOST

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    @property
    def secrets(self) -> dict[str, str]:
        return assignments(self.env_file.read_text())

    def command(self, *arguments: str) -> list[str]:
        files = [option for file in self.files for option in ("--file", str(ROOT / file))]
        return ["docker-compose", "--project-name", self.project, "--env-file",
                str(self.env_file), *files, *arguments]

    def run(self, *arguments: str, check: bool = True, timeout: float = 600,
            environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`environment`: more variables for docker-compose, such as a secret that `run -e NAME`
        hands to a container, rather than write it on a command line."""
        environment = {**os.environ, "PORTAL_PORT": str(self.portal_port), **(environment or {})}
        done = subprocess.run(self.command(*arguments), cwd=ROOT, env=environment,
                              capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"docker-compose {' '.join(arguments)}: {done.returncode}\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done

    def containers(self) -> dict[str, dict]:
        """Each container of the project, as `docker inspect` shows it, by its service's name
        (a replica after the first by `<service>_<number>`)."""
        ids = self.run("ps", "--all", "--quiet").stdout.split()
        if not ids:
            return {}
        inspected = json.loads(subprocess.run(["docker", "inspect", *ids], capture_output=True,
                                              text=True, check=True, timeout=60).stdout)
        return {replica_name(c["Config"]["Labels"]): c for c in inspected}

    def logs(self) -> str:
        return self.run("logs", "--no-color", "--timestamps", check=False).stdout


def replica_name(labels: dict[str, str]) -> str:
    service = labels["com.docker.compose.service"]
    number = labels["com.docker.compose.container-number"]
    return service if number == "1" else f"{service}_{number}"


def not_ready(containers: dict[str, dict]) -> dict[str, str]:
    """What keeps the system from being ready, by service: a health check not passed yet, or a
    one-off job not finished. Raises AssertionError for a container that gave up."""
    waiting = {}
    for service, container in containers.items():
        state = container["State"]
        if "Health" in state:
            if state["Health"]["Status"] != "healthy":
                waiting[service] = state["Health"]["Status"]
            if state["Status"] == "restarting" or container["RestartCount"] > 2:
                raise AssertionError(f"{service} keeps restarting")
        elif state["Status"] != "exited":
            waiting[service] = state["Status"]
        elif state["ExitCode"] != 0:
            raise AssertionError(f"{service} exited with {state['ExitCode']}")
    return waiting


def wait_until_healthy(compose: Compose) -> None:
    deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
    while waiting := not_ready(compose.containers()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not healthy within {HEALTHY_WITHIN_SECONDS} s: {waiting}")
        time.sleep(2)
    # The portal's own health check passed inside its container; from the host, through the
    # published port:
    assert httpx.get(f"{compose.portal_url}/readyz", timeout=10).status_code == 200


@contextmanager
def deployed(request: pytest.FixtureRequest, project: str = PROJECT,
             files: tuple[str, ...] = SINGLE_HOST, env_file: Path | None = None
             ) -> Iterator[Compose]:
    """The system up and healthy under `project`, removed with its volumes afterwards whatever
    happened; its containers' logs printed first when it never came up or a test failed. Its
    secrets are `env_file`'s, by default those `make test-compose` wrote."""
    env_file = env_file or Path(os.environ.get("COMPOSE_ENV_FILE",
                                               ROOT / "var/compose-test/.env"))
    if not env_file.exists():
        pytest.fail(f"{env_file} is missing: `make test-compose` makes it, and the images")
    running = Compose(env_file.resolve(), free_port(), project, files)
    DEMO_VAR.mkdir(parents=True, exist_ok=True)
    running.run("down", "--volumes", "--remove-orphans", check=False)  # a run that was killed
    failed_before = request.session.testsfailed
    failed = True
    try:
        running.run("up", "--detach", "--no-build")
        wait_until_healthy(running)
        failed = False
        yield running
        failed = request.session.testsfailed > failed_before
    finally:
        if failed:
            print(f"\n===== containers' logs ({project}) =====\n{running.logs()}")
        running.run("down", "--volumes", "--remove-orphans", check=False)


@pytest.fixture(scope="session")
def compose(request: pytest.FixtureRequest) -> Iterator[Compose]:
    with deployed(request) as running:
        yield running
