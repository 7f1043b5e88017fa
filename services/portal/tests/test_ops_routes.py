"""The portal's ops endpoints: liveness that asks nothing, readiness that is the portal's own
connection to NATS, metrics, and the system's health under a path of its own."""

from __future__ import annotations

from guiyan_contracts.envelope import ErrorBody
from guiyan_contracts.system import SERVICES, Health, Ping, health_subject
from guiyan_eventing.correlation import CORRELATION_ID
from guiyan_eventing.rpc import RemoteError

from .fakes import FakeGateway, Portal

EVERY_SERVICE_UP = {health_subject(service): Health(service=service, database=True)
                    for service in SERVICES}


async def test_liveness_answers_without_asking_any_service() -> None:
    services = FakeGateway({})
    services.connected = False
    answer = await Portal(services).request("GET", "/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert services.asked == []


async def test_readiness_is_the_portals_connection_to_nats() -> None:
    services = FakeGateway({})
    portal = Portal(services)
    ready = await portal.request("GET", "/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready",
                                                       "checks": {"nats": "ok"}})
    services.connected = False
    unready = await portal.request("GET", "/readyz")
    assert (unready.status_code, unready.json()) == (
        503, {"status": "not ready", "checks": {"nats": "not connected"}})
    assert services.asked == []  # a service that is down does not make the portal unready


async def test_metrics_are_prometheus_text() -> None:
    answer = await Portal(FakeGateway({})).request("GET", "/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    negotiated = await Portal(FakeGateway({})).request(
        "GET", "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert negotiated.headers["content-type"].startswith("application/openmetrics-text")
    assert negotiated.text.endswith("# EOF\n")


async def test_the_systems_health_asks_every_service() -> None:
    up = await Portal(FakeGateway(EVERY_SERVICE_UP)).request("GET", "/healthz/system")
    assert (up.status_code, up.json()) == (200, {
        "status": "ok", "nats": True, "services": dict.fromkeys(SERVICES, True)})

    def unavailable(_: object) -> Health:
        raise RemoteError(ErrorBody(kind="unavailable", message="no responders"))

    services = FakeGateway({**EVERY_SERVICE_UP, health_subject("matching"): unavailable})
    down = await Portal(services).request("GET", "/healthz/system")
    assert (down.status_code, down.json()["status"]) == (503, "down")
    assert down.json()["services"]["matching"] is False


async def test_each_request_is_handled_under_a_correlation_id_its_answer_names() -> None:
    seen: list[str | None] = []

    def up(ping: Ping) -> Health:  # what `rpc.call` puts on each request it sends
        seen.append(CORRELATION_ID.get())
        return Health(service="registry", database=True)

    portal = Portal(FakeGateway({**EVERY_SERVICE_UP, health_subject("registry"): up}))
    sent = await portal.request("GET", "/healthz/system",
                                headers={"X-Correlation-Id": "ticket-1234"})
    assert sent.headers["X-Correlation-Id"] == "ticket-1234" and seen == ["ticket-1234"]
    made = await portal.request("GET", "/healthz/system", headers={"X-Correlation-Id": "a b"})
    assert made.headers["X-Correlation-Id"] != "a b"  # not a token to keep: a new one instead
    assert seen[1] == made.headers["X-Correlation-Id"]
