"""The metrics every process serves, after real traffic: registry, matching and notification in
this process on a real nats-server and SQLite, each with its ops endpoint, and the portal's app
connected to the same server. A park and a project go in through the bus; matching plans and
offers, notification tells; then every `/metrics` is scraped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from guiyan_contracts.models import Park, ParkFields, Project, ProjectFields, User, UserFields
from guiyan_contracts.people import RegisterStation, Station, StationFields
from guiyan_contracts.registry import RegisterPark, RegisterUser, SubmitProject
from guiyan_eventing import rpc
from guiyan_eventing.bus import BusSettings
from guiyan_eventing.identities import PORTAL, seed_file
from guiyan_eventing.natsd import free_port
from guiyan_matching.config import MatchingSettings
from guiyan_matching.entrypoints.app import build as matching
from guiyan_notification.config import NotificationSettings
from guiyan_notification.entrypoints.app import build as notification
from guiyan_portal.config import PortalSettings
from guiyan_portal.entrypoints.app import create_app
from guiyan_registry.config import RegistrySettings
from guiyan_registry.entrypoints.app import build as registry

SECRET = "a test secret of thirty-two bytes or more"
Scrapes = dict[str, str]  # process → its /metrics


def series(exposition: str) -> dict[str, list[dict[str, str]]]:
    """Each sample's name → the labels of its samples."""
    found: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(dict(sample.labels))
    return found


async def eventually_scraped(url: str, name: str, timeout: float = 60.0, **labels: str) -> str:
    """`url`'s metrics once they hold a sample of `name` with `labels`."""
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient() as client:
        while True:
            text = (await client.get(url)).text
            if any(labels.items() <= sample.items() for sample in series(text).get(name, [])):
                return text
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no {name} {labels} at {url}:\n{text}")
            await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def running_system(nats_url: str, identities: Path, tmp_path: Path
                         ) -> AsyncIterator[tuple[dict[str, str], Any, httpx.AsyncClient]]:
    """The three services with their ops endpoints (process → metrics URL), a broker as the
    portal, and a client of the portal's app."""
    ports = {name: free_port() for name in ("registry", "matching", "notification")}

    def settings(name: str) -> dict[str, Any]:
        return {"nats_url": nats_url, "nats_seed_file": seed_file(identities, name),
                "database_url": f"sqlite:///{tmp_path / name}.db", "ops_port": ports[name],
                "ops_host": "127.0.0.1"}

    services = [registry(RegistrySettings(**settings("registry"))),
                matching(MatchingSettings(**settings("matching"), plan_debounce_seconds=0.1,
                                          solver_time_limit_seconds=2)),
                notification(NotificationSettings(**settings("notification")))]
    bus = BusSettings(nats_url=nats_url, nats_seed_file=seed_file(identities, PORTAL))
    portal = create_app(PortalSettings(**bus.model_dump(), auth_secret=SECRET))
    sender = rpc.broker(bus, PORTAL)
    async with contextlib.AsyncExitStack() as stack:
        for service in services:
            await stack.enter_async_context(service.app())
        await stack.enter_async_context(portal.router.lifespan_context(portal))
        await stack.enter_async_context(sender)
        await sender.start()
        client = await stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=portal), base_url="http://portal"))
        yield ({name: f"http://127.0.0.1:{port}/metrics" for name, port in ports.items()},
               sender, client)


async def offer_a_project(sender: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    await rpc.call(sender, RegisterUser(tenant_id="heze", user_id=f"staff-{tag}",
                                        user=UserFields(name="赵专员", role="staff")), User)
    await rpc.call(sender, RegisterStation(tenant_id="heze", station_id=f"station-{tag}",
                                           station=StationFields(
        name=f"杭州站{tag}", level="city", host_city="杭州", host_province="zhejiang",
        head_name="孙站长")), Station)
    await rpc.call(sender, RegisterPark(tenant_id="heze", park_id=f"park-{tag}", park=ParkFields(
        name="曹县汉服产业园", kind="return_home_park", county="caoxian",
        sectors=["textiles_apparel"], floor_m2=30000)), Park)
    await rpc.call(sender, SubmitProject(
        tenant_id="heze", project_id=f"project-{tag}", submitted_by=f"staff-{tag}",
        project=ProjectFields(name="汉服工坊", founder="王芳", source=f"station-{tag}",
                              hometown_county="caoxian", sector="textiles_apparel", chain="hanfu",
                              link="design_pattern", floor_m2=300, investment_yuan=500000,
                              jobs=5, registered_on=date(2025, 9, 1))), Project)


@pytest.fixture(scope="module")
async def scrapes(nats_url: str, nats_identities: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Scrapes:
    """Every process's metrics once a project is offered and its offer told."""
    async with running_system(nats_url, nats_identities,
                              tmp_path_factory.mktemp("system")) as (urls, sender, portal):
        await offer_a_project(sender)
        # Through the portal, which asks each service over the bus.
        assert (await portal.get("/healthz/system")).status_code == 200
        found = {"matching": await eventually_scraped(urls["matching"],
                                                      "guiyan_matching_proposals", state="offered"),
                 "notification": await eventually_scraped(
                     urls["notification"], "guiyan_events_handled_total",
                     subject="guiyan.matching.proposal.offered.v2"),
                 "registry": await eventually_scraped(urls["registry"],
                                                      "guiyan_registry_projects",
                                                      status="submitted")}
        found["portal"] = (await portal.get("/metrics")).text
        return found


async def test_each_service_serves_its_domain_and_delivery_series(scrapes: Scrapes) -> None:
    registry_, matching_, notification_ = (series(scrapes[name]) for name in
                                           ("registry", "matching", "notification"))
    assert {"city": "heze", "status": "submitted"} in registry_["guiyan_registry_projects"]
    assert {"city": "heze", "state": "offered"} in matching_["guiyan_matching_proposals"]
    assert any(labels["city"] == "heze" for labels in
               matching_["guiyan_matching_plan_solve_seconds_count"])
    assert {"city": "heze"} in matching_["guiyan_matching_plan_gap_ratio"]
    for service, found in (("registry", registry_), ("matching", matching_),
                           ("notification", notification_)):
        assert {"service": service} in found["guiyan_outbox_unpublished"], service
        assert {"service": service} in found["guiyan_outbox_oldest_unpublished_age_seconds"]
        assert any(labels["app_name"] == service
                   for labels in found["faststream_received_messages_total"]), service
    assert any(labels["subject"].startswith("guiyan.registry.project.submitted")
               for labels in matching_["guiyan_events_handled_total"])
    assert "faststream_published_messages_total" in series(scrapes["portal"])


DASHBOARD = Path(__file__).parents[1] / "deploy/observability/grafana/dashboards/guiyan.json"
# What a query names beyond a metric family: a counter's sample, a histogram's.
SAMPLE_SUFFIXES = ("_total", "_bucket", "_count", "_sum")


def queried_metrics() -> set[str]:
    dashboard = json.loads(DASHBOARD.read_text("utf-8"))
    return {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"\b(?:guiyan|faststream)_[a-z0-9_]+", target["expr"])}


def declared(scraped: str) -> set[str]:
    """Every family and sample name in an exposition, those of counters not yet counted too."""
    families = list(text_string_to_metric_families(scraped))
    return ({family.name for family in families}
            | {sample.name for family in families for sample in family.samples})


def test_every_metric_the_dashboard_queries_is_served(scrapes: Scrapes) -> None:
    served = set().union(*(declared(scraped) for scraped in scrapes.values()))
    missing = {name for name in queried_metrics()
               if name not in served
               and not any(name.removesuffix(suffix) in served for suffix in SAMPLE_SUFFIXES)}
    assert queried_metrics() and not missing, missing
