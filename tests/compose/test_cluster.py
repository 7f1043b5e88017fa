"""The cluster profile as docker compose deploys it (docker-compose.cluster.yml over the
single-host file): three NATS nodes with every stream on all three, two replicas of registry,
matching and portal. A node stopped during a burst of submissions loses and doubles no project,
and when the matching replica that leads the city is killed, the standby takes the city over."""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from guiyan_devstack import demo

from ..e2e.conftest import Api, eventually, project
from .conftest import SINGLE_HOST, Compose, deployed, wait_until_healthy

PROJECT = "guiyantestcluster"
FILES = (SINGLE_HOST[0], "docker-compose.cluster.yml", *SINGLE_HOST[1:])
LONG_RUNNING = ("registry", "registry_2", "matching", "matching_2", "portal", "portal-2",
              "notification", "nats", "nats-2", "nats-3", "postgres")
BURST = 100
LEASE_SECONDS = 15  # the cluster file's default
# A plan's time on a loaded host: the debounce, the city read, a solve of up to its limit (5 s)
# and the offers written, with room for two cores shared by eleven containers.
PLAN_SECONDS = 60
PLANNED = {"proposed", "unplaced"}

# Run in a one-off container of the matching image, as matching: the name on the city's lease.
LEASE_HOLDER = """
import asyncio
from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.leases import lease_bucket, open_lease_store

async def main():
    connection = await connect(BusSettings(), "matching")
    try:
        store, _ = await open_lease_store(connection, lease_bucket("matching"))
        holding = await store.read("heze")
        print(holding.holder if holding else "")
    finally:
        await connection.close()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def cluster(request: pytest.FixtureRequest) -> Iterator[Compose]:
    with deployed(request, PROJECT, FILES) as running:
        yield running


@pytest.fixture(scope="module")
def staff(cluster: Compose) -> Api:
    tokens = demo.load(cluster.portal_url, cluster.secrets["AUTH_SECRET"], projects=0)
    return Api(cluster.portal_url, tokens["staff"])


def submit(api: Api, body: dict, key: str, timeout: float = 60) -> str:
    """The project's id, once the portal has taken it: a submission that met a node going
    down (the portal answers 502 or 503, or the connection drops) is sent again under the same
    idempotency key, as a client would."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = api.client.post("/api/v1/projects", json=body,
                                       headers={"Idempotency-Key": key})
            if response.status_code == 202:
                return response.json()["id"]
            assert response.status_code in (502, 503), response.text
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{body['name']} not taken in {timeout} s"
        time.sleep(0.5)


def lease_holder(cluster: Compose) -> str:
    done = cluster.run("run", "--rm", "--no-deps", "-T", "matching", "python", "-c",
                       LEASE_HOLDER, timeout=120)
    return done.stdout.strip()


def in_background(*arguments: str, cluster: Compose) -> threading.Thread:
    thread = threading.Thread(target=cluster.run, args=arguments)
    thread.start()
    return thread


def test_every_container_is_healthy_and_every_stream_on_three_nodes(cluster: Compose) -> None:
    containers = cluster.containers()
    for name in LONG_RUNNING:
        assert containers[name]["State"]["Health"]["Status"] == "healthy", name
    hosts = [containers[name]["Config"]["Hostname"] for name in ("matching", "matching_2")]
    assert hosts[0] != hosts[1]  # each matching replica's name on its leases
    assert "on 3 server(s)" in cluster.run("logs", "--no-color", "provision").stdout


def test_a_node_stopped_during_a_burst_loses_and_doubles_no_project(
        cluster: Compose, staff: Api) -> None:
    names = [f"集群项目 {n:03d}" for n in range(BURST)]
    ids: dict[str, str] = {}
    outage = None
    for n, name in enumerate(names):
        if n == BURST // 4:
            outage = in_background("stop", "nats-2", cluster=cluster)
        if n == 3 * BURST // 4:
            assert outage is not None
            outage.join()  # nats-2 is down: this submission and those after go without it
            outage = in_background("start", "nats-2", cluster=cluster)
        ids[name] = submit(staff, project(name=name), key=f"cluster-burst-{n}")
    assert outage is not None
    outage.join()
    assert len(set(ids.values())) == BURST

    def every_one_planned_once() -> bool:
        listed = [item for item in staff.items("/api/v1/projects", limit=1000)
                  if item["project"]["name"] in ids]
        by_name = Counter(item["project"]["name"] for item in listed)
        assert all(count == 1 for count in by_name.values()), by_name.most_common(3)
        assert all(ids[item["project"]["name"]] == item["project"]["id"] for item in listed)
        return len(listed) == BURST and all(item["placement"]["status"] in PLANNED
                                            for item in listed)

    eventually(every_one_planned_once, timeout=180, every=2)
    wait_until_healthy(cluster)  # nats-2 back, and current


def test_the_standby_plans_the_city_once_its_leader_is_killed(
        cluster: Compose, staff: Api) -> None:
    leader = eventually(lambda: lease_holder(cluster), timeout=60, every=1)
    # A replica's name is its container's host name: the container to kill.
    containers = cluster.containers()
    killed = next(c for c in containers.values() if c["Config"]["Hostname"] == leader)
    subprocess.run(["docker", "kill", killed["Id"]], check=True, capture_output=True, timeout=60)
    submitted = submit(staff, project(name="接管后的项目"), key="cluster-failover")

    def placement() -> str | None:
        status = staff.get(f"/api/v1/projects/{submitted}")["placement"]["status"]
        return status if status in PLANNED else None

    assert eventually(placement, timeout=LEASE_SECONDS * 4 / 3 + PLAN_SECONDS,
                      every=1) == "proposed"
    standby = lease_holder(cluster)
    assert standby and standby != leader
    after = next(c for c in cluster.containers().values() if c["Id"] == killed["Id"])
    assert not after["State"]["Running"]  # taken over, not the killed leader restarted
