"""With a tracer provider, each HTTP request to the portal is a server span (and the requests it
sends the services continue it: `libs/eventing/tests/test_tracing.py`); probes are not traced."""

from __future__ import annotations

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from guiyan_portal import access
from guiyan_portal.config import PortalSettings
from guiyan_portal.entrypoints.app import create_app

from .fakes import SECRET, FakeGateway
from .test_ops_routes import EVERY_SERVICE_UP


async def test_an_http_request_is_a_server_span_and_a_probe_is_none() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(PortalSettings(auth_secret=SECRET), tracer_provider=provider)
    app.dependency_overrides[access.gateway] = lambda: FakeGateway(EVERY_SERVICE_UP)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://portal") as client:
        assert (await client.get("/readyz")).status_code == 200
        assert exporter.get_finished_spans() == ()
        assert (await client.get("/api/v1/taxonomy")).status_code in (200, 401)
    servers = [span for span in exporter.get_finished_spans() if span.kind == SpanKind.SERVER]
    assert [span.attributes.get("http.route") for span in servers] == ["/api/v1/taxonomy"]
