"""OpenTelemetry traces, only where OTEL_EXPORTER_OTLP_ENDPOINT is set (spans go there over
OTLP/HTTP, e.g. `http://otel-collector:4318`); unset, no provider, exporter or span exists.

A trace crosses every hop: the portal's HTTP span (FastAPI's instrumentation), its requests to
the services and their answers (FastStream's telemetry middleware, which carries the context in
the message headers), and the events a handler writes: the outbox row keeps the W3C
`traceparent` of the transaction that wrote it, the relay sends it as a header, and the
consumer handles the event in a span that continues that trace (`handling`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
TRACE_CONTEXT = TraceContextTextMapPropagator()


def tracer_provider(service: str) -> TracerProvider | None:
    """The process's provider, exporting to OTEL_EXPORTER_OTLP_ENDPOINT; None when it is unset.
    (The exporter reads the endpoint, and OTEL_EXPORTER_OTLP_HEADERS, from the environment.)"""
    if not os.environ.get(ENDPOINT):
        return None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the span in progress, if one is (none without tracing)."""
    carrier: dict[str, str] = {}
    TRACE_CONTEXT.inject(carrier)
    return carrier.get("traceparent")


@contextlib.contextmanager
def handling(tracer: Tracer | None, subject: str,
             headers: Mapping[str, str] | None) -> Iterator[None]:
    """A consumer's span for one event, continuing the trace its headers carry."""
    if tracer is None:
        yield
        return
    with tracer.start_as_current_span(f"process {subject}", kind=SpanKind.CONSUMER,
                                      context=TRACE_CONTEXT.extract(dict(headers or {})),
                                      attributes={"messaging.system": "nats",
                                                  "messaging.destination.name": subject}):
        yield
