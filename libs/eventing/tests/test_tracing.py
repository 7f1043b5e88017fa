"""Traces across NATS hops, on a real nats-server, into an in-memory exporter: a request sent in
a span is answered in the same trace (FastStream's telemetry middleware), the event its handler
writes keeps that trace in the outbox, and the consumer handles it in a span of the same trace.
Without OTEL_EXPORTER_OTLP_ENDPOINT there is no provider and nothing is recorded."""

from __future__ import annotations

import uuid
from typing import ClassVar

import pytest
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import select

from guiyan_contracts.envelope import Contract, Request
from guiyan_eventing import rpc
from guiyan_eventing.bus import BusSettings
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.outbox import OutboxMessage
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.tracing import ENDPOINT
from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .test_delivery import ParkRenamed, eventually


class Rename(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.test.rename.v1"
    name: str


class Renamed(Contract):
    done: bool


@pytest.fixture
def spans() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


async def test_a_consumers_span_continues_the_trace_of_the_request_that_wrote_the_event(
        nats_url: str, tmp_path, spans) -> None:
    provider, exporter = spans
    tag = uuid.uuid4().hex[:8]
    renamed = type("ParkRenamed", (ParkRenamed,),
                   {"SUBJECT": f"guiyan.registry.test_{tag}.renamed.v1"})
    rename = type("Rename", (Rename,), {"SUBJECT": f"guiyan.cmd.registry.test_{tag}.rename.v1"})

    def settings(name: str) -> ServiceSettings:
        return ServiceSettings(nats_url=nats_url, database_url=f"sqlite:///{tmp_path / name}.db")

    producer = Service(f"producer{tag}", settings("producer"), Tables([]), SqlUnitOfWork,
                       tracer_provider=provider)
    consumer = Service(f"consumer{tag}", settings("consumer"), Tables([]), SqlUnitOfWork,
                       tracer_provider=provider)

    def write(request: Rename, uow: SqlUnitOfWork) -> Renamed:
        uow.emit(renamed(producer="producer", tenant_id="heze", name=request.name))
        return Renamed(done=True)

    producer.on_request(rename, write)
    consumer.on_event(renamed, lambda event, uow: None)
    caller = rpc.broker(BusSettings(nats_url=nats_url), HARNESS,
                        middlewares=[NatsTelemetryMiddleware(tracer_provider=provider)])
    async with producer.app(), consumer.app(), caller:
        await caller.start()
        with provider.get_tracer("test").start_as_current_span("portal request") as root:
            await rpc.call(caller, rename(tenant_id="heze", name="牡丹区园"), Renamed)

        def handled() -> list:
            return [span for span in exporter.get_finished_spans()
                    if span.name == f"process {renamed.SUBJECT}"]

        (span,) = await eventually(handled)
    trace_id = root.get_span_context().trace_id
    assert span.kind == SpanKind.CONSUMER and span.context.trace_id == trace_id
    assert span.parent is not None and span.parent.trace_id == trace_id
    answered = [s for s in exporter.get_finished_spans()
                if s.kind == SpanKind.CONSUMER and rename.SUBJECT in s.name]
    assert answered and all(s.context.trace_id == trace_id for s in answered)


def test_without_an_endpoint_nothing_is_traced(nats_url: str, tmp_path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENDPOINT, raising=False)
    service = Service("untraced", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'u.db'}"), Tables([]), SqlUnitOfWork)
    assert service.tracer_provider is None
    assert not any(isinstance(m, NatsTelemetryMiddleware) for m in service.broker.middlewares)
    Tables([]).prepare(service.engine)
    with service.uow() as uow:
        uow.emit(ParkRenamed(producer="t", tenant_id="heze", name="x"))
        uow.commit()
    with service.uow() as uow:
        assert [row.traceparent for row in uow.session.exec(select(OutboxMessage))] == [None]
