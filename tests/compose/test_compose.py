"""The system as docker compose deploys it: every container healthy and none running as root,
only the portal reachable from the host, a project submitted through the portal proposed to a
park and announced in its manager's inbox, a first admin registered as deploy/README.md says,
the demo profile's loader filling the demo city, and NATS refusing a registry event from anyone but registry."""

from __future__ import annotations

import os
import secrets

import httpx

from guiyan_devstack import demo

from ..e2e.conftest import Api, eventually, project
from .conftest import DEMO_VAR, Compose

SERVICES = ("registry", "matching", "notification", "portal")

# Run in a one-off container of the registry image on compose's network: connects with the seed
# in PROBE_SEED (none: anonymously) and publishes a registry event through JetStream. Exit 0 if
# the stream took it, 3 with the server's refusal otherwise.
PUBLISH_AS = """
import asyncio, os, sys
import nats

async def main():
    refusals = []
    async def on_error(error):
        refusals.append(error)
    try:
        connection = await nats.connect("nats://nats:4222", error_cb=on_error,
                                        nkeys_seed_str=os.environ.get("PROBE_SEED") or None,
                                        allow_reconnect=False, connect_timeout=5)
    except Exception as error:
        print("refused:", *refusals, repr(error))
        return 3
    try:
        ack = await connection.jetstream().publish("guiyan.registry.project.submitted.v1",
                                                   b"{}", timeout=3)
        print("published:", ack)
        return 0
    except Exception as error:
        print("refused:", *refusals, repr(error))
        return 3
    finally:
        await connection.close()

sys.exit(asyncio.run(main()))
"""


def test_every_container_is_healthy_unprivileged_and_only_the_portal_is_published(
        compose: Compose) -> None:
    containers = compose.containers()
    assert set(SERVICES) | {"nats", "postgres", "provision"} <= set(containers)
    for service in (*SERVICES, "nats", "postgres"):
        container = containers[service]
        assert container["State"]["Health"]["Status"] == "healthy", service
        assert container["Config"]["User"] not in ("", "0", "root"), service
        published = {port: bindings for port, bindings in
                     (container["NetworkSettings"]["Ports"] or {}).items() if bindings}
        if service == "portal":
            assert published == {"8000/tcp": [{"HostIp": "127.0.0.1",
                                               "HostPort": str(compose.portal_port)}]}
        else:
            assert not published, service
    # The server holds public keys only; a service holds its own seed only.
    nats_environment = "\n".join(containers["nats"]["Config"]["Env"])
    registry_environment = "\n".join(containers["registry"]["Config"]["Env"])
    for name, value in compose.secrets.items():
        if name.startswith("NATS_SEED_"):
            assert value not in nats_environment, name
            assert (value in registry_environment) == (name == "NATS_SEED_REGISTRY"), name
    assert "AUTH_SECRET" not in registry_environment


def test_a_project_submitted_through_the_portal_is_proposed_and_its_manager_told(
        compose: Compose) -> None:
    secret = compose.secrets["AUTH_SECRET"]
    # Parks, managers, staff; with the demo loader's accounts, so that either may load first.
    tokens = demo.load(compose.portal_url, secret, projects=0,
                       accounts=demo.accounts_in(DEMO_VAR))
    staff = Api(compose.portal_url, tokens["staff"])
    submitted = staff.post("/api/v1/projects", project(), expect=202)

    def proposed() -> dict | None:
        view = staff.get(f"/api/v1/projects/{submitted['id']}")
        return view["placement"]["proposal"] if view["placement"]["status"] == "proposed" else None

    proposal = eventually(proposed, timeout=120)
    manager = Api(compose.portal_url, tokens["managers"][proposal["park_id"]])
    assert proposal["id"] in [p["id"] for p in manager.items("/api/v1/proposals", status="offered")]
    eventually(lambda: any(item["kind"] == "proposal_offered"
                           and item["proposal_id"] == proposal["id"]
                           for item in manager.items("/api/v1/inbox")), timeout=120)
    # A bearer token the deployment's secret did not sign is refused.
    forged = demo.tokens("another-secret-of-at-least-32-bytes!")["staff"]
    assert httpx.get(f"{compose.portal_url}/api/v1/projects", timeout=10,
                     headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_first_admin_registered_with_the_portals_own_token_signs_in(compose: Compose) -> None:
    """deploy/README.md's first admin: a short-lived token the portal's container signs, then
    a password of the admin's own."""
    token = compose.run("exec", "-T", "portal", "guiyan-portal", "token", "--user", "first-admin",
                        "--role", "admin", "--city", "heze", "--ttl", "15m").stdout.strip()
    password = secrets.token_urlsafe(16)
    Api(compose.portal_url, token).post("/api/v1/users", {
        "id": "first-admin", "name": "管理员", "role": "admin", "username": "first-admin",
        "password": password}, expect=201)
    signed_in = httpx.post(f"{compose.portal_url}/api/v1/session", timeout=10,
                           json={"username": "first-admin", "password": password})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["user"]["user"]["role"] == "admin"


def test_the_demo_profile_loads_the_demo_city(compose: Compose) -> None:
    loaded = compose.run("run", "--rm", "-T", "--user", f"{os.getuid()}:{os.getgid()}", "demo",
                         check=False)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert (DEMO_VAR / "demo-accounts.json").exists()
    admin = Api(compose.portal_url, demo.tokens(compose.secrets["AUTH_SECRET"])["admin"])
    assert {park["id"] for park in demo.PARKS} <= {park["id"] for park in admin.items("/api/v1/parks")}
    eventually(lambda: len(admin.items("/api/v1/projects")) >= 60, timeout=120)


def publish_as(compose: Compose, seed: str) -> tuple[int, str]:
    done = compose.run("run", "--rm", "--no-deps", "-T", "-e", "PROBE_SEED",
                       "registry", "python", "-c", PUBLISH_AS, check=False, timeout=120,
                       environment={"PROBE_SEED": seed})
    return done.returncode, done.stdout + done.stderr


def test_only_registry_may_publish_a_registry_event(compose: Compose) -> None:
    code, said = publish_as(compose, "")
    assert code == 3 and "authorization violation" in said.lower(), said
    code, said = publish_as(compose, compose.secrets["NATS_SEED_NOTIFICATION"])
    assert code == 3 and "permissions violation for publish" in said.lower(), said
    assert compose.secrets["NATS_SEED_NOTIFICATION"] not in said
