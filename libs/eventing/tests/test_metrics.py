"""A service's `/metrics` after some traffic on a real nats-server: events handled, failures and
dead letters counted as they happen, the outbox's lag read when scraped, and FastStream's own
series of the requests answered."""

from __future__ import annotations

import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlmodel import Session

from guiyan_eventing.db import make_engine
from guiyan_eventing.metrics import read_once
from guiyan_eventing.natsd import free_port
from guiyan_eventing.rpc import RemoteError, call

from .test_delivery import ParkRenamed, eventually, heard, make_listener, parked, store
from .test_replies import Answer, Ask, answer


def samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(exposition)
            for sample in family.samples}


def value(found: dict, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


async def test_delivery_is_counted_and_the_outbox_lag_is_read_when_scraped(
        nats_url: str, tmp_path) -> None:
    renamed = type("ParkRenamed", (ParkRenamed,),
                   {"SUBJECT": f"guiyan.registry.test_{uuid.uuid4().hex[:8]}.renamed.v1"})
    port = free_port()
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed,
                             ops_port=port, ops_host="127.0.0.1")
    listener.on_request(Ask, answer)
    service, subject = listener.name, renamed.SUBJECT
    async with listener.app(), httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for name in ("fine", "poison"):
            await store(listener,
                        renamed(producer="t", tenant_id="heze", name=name)
                        .model_dump_json().encode(),
                        subject)
        await eventually(lambda: heard(listener) == ["fine"])
        await parked(nats_url, service, 1)
        await call(listener.broker, Ask(tenant_id="heze", trouble=""), Answer)
        with pytest.raises(RemoteError):
            await call(listener.broker, Ask(tenant_id="heze", trouble="database away"), Answer)
        with listener.uow() as uow:  # an event for the relay: the lag is read all the same
            uow.emit(renamed(producer="t", tenant_id="heze", name="outbound"))
            uow.commit()
        scraped = await client.get("/metrics")
    assert scraped.status_code == 200
    found = samples(scraped.text)
    assert value(found, "guiyan_events_handled_total", service=service, subject=subject) == 1
    # max_deliver is 3: the poison fails three times, then is parked.
    assert value(found, "guiyan_delivery_failures_total", service=service, subject=subject,
                 kind="permanent") == 3
    assert value(found, "guiyan_dead_letters_total", service=service, subject=subject) == 1
    assert value(found, "guiyan_delivery_failures_total", service=service,
                 subject=Ask.SUBJECT, kind="transient") == 1
    assert value(found, "guiyan_outbox_unpublished", service=service) is not None
    assert value(found, "guiyan_outbox_oldest_unpublished_age_seconds", service=service) >= 0
    assert value(found, "faststream_received_messages_total", app_name=service, broker="nats",
                 handler=Ask.SUBJECT) == 2


def test_gauges_that_share_a_query_run_it_once_per_scrape(tmp_path) -> None:
    reads: list[int] = []

    def count(session: Session) -> int:
        reads.append(session.execute(text("SELECT 1")).scalar_one())
        return len(reads)

    shared = read_once(count)
    engine = make_engine(f"sqlite:///{tmp_path / 'gauges.db'}")
    with Session(engine) as scrape:
        assert (shared(scrape), shared(scrape)) == (1, 1)
    with Session(engine) as next_scrape:
        assert shared(next_scrape) == 2
    engine.dispose()
