"""deploy/scripts/backup.sh and restore.sh on a deployment of its own: records made through the
portal are backed up, every volume is deleted, and the backup restored into a fresh PostgreSQL
(with a fresh, empty NATS) serves the same records, and the same users sign in."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from guiyan_devstack import demo
from guiyan_devstack.compose_env import completed
from guiyan_eventing.files import write_private

from ..e2e.conftest import Api, eventually, project
from .conftest import ROOT, Compose, deployed, wait_until_healthy

PROJECT = "guiyanbackuptest"


@pytest.fixture(scope="module")
def system(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Compose]:
    env_file = tmp_path_factory.mktemp("secrets") / ".env"
    write_private(env_file, completed(""))
    with deployed(request, PROJECT, env_file=env_file) as up:
        yield up


def script(system: Compose, name: str, *arguments: str) -> str:
    """Runs deploy/scripts/`name` against the test's project; returns what it printed."""
    done = subprocess.run([str(ROOT / "deploy/scripts" / name), *arguments], cwd=ROOT,
                          env={**os.environ, "COMPOSE": " ".join(system.command()),
                               "PORTAL_PORT": str(system.portal_port)},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def proposal_of(api: Api, project_id: str) -> dict | None:
    placement = api.get(f"/api/v1/projects/{project_id}")["placement"]
    return placement["proposal"] if placement["status"] == "proposed" else None


def test_a_backup_restored_into_fresh_volumes_serves_the_same_records(
        system: Compose, tmp_path: Path) -> None:
    accounts = demo.new_accounts()
    tokens = demo.load(system.portal_url, system.secrets["AUTH_SECRET"], projects=0,
                       accounts=accounts)
    staff = Api(system.portal_url, tokens["staff"])
    submitted = staff.post("/api/v1/projects", project(), expect=202)
    proposal = eventually(lambda: proposal_of(staff, submitted["id"]), timeout=120)

    backup = Path(script(system, "backup.sh", str(tmp_path)).splitlines()[-1])
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["databases"]) == {"registry", "matching", "notification"}
    assert all(database["alembic_revision"] for database in manifest["databases"].values())

    system.run("down", "--volumes")
    script(system, "restore.sh", str(backup))
    system.run("up", "--detach", "--no-build")
    wait_until_healthy(system)

    assert proposal_of(staff, submitted["id"]) == proposal
    signed_in = httpx.post(f"{system.portal_url}/api/v1/session", json=accounts["admin"],
                           timeout=10)
    assert signed_in.status_code == 200, signed_in.text
