"""The portal: Guiyan's only HTTP edge. Stateless; every answer comes from a service over NATS."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from faststream.nats.prometheus import NatsPrometheusMiddleware
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry

from guiyan_eventing import bus, tracing

from .. import api_docs, errors
from ..config import DEV_SECRET, PortalSettings
from ..correlation import CorrelationId
from ..edge import BodyGuard
from ..gateway import Gateway
from ..login_throttle import LoginThrottle
from ..pages import account, admin, contacts, dashboard, home, lists, preferences
from ..pages import chains as chain_pages
from ..pages import channels as channel_pages
from ..pages import deliveries as delivery_pages
from ..pages import errors as page_errors
from ..pages import inbox as inbox_pages
from ..pages import leads as lead_pages
from ..pages import ledgers as ledger_pages
from ..pages import parks as park_pages
from ..pages import people as people_pages
from ..pages import projects as project_pages
from ..pages import proposals as proposal_pages
from ..pages import stations as station_pages
from ..pages import tasks as task_pages
from ..pages import users as user_pages
from ..pages.headers import SecurityHeaders
from ..pages.rendering import STATIC
from ..routes import (
    chains,
    channels,
    deliveries,
    inbox,
    leads,
    ledgers,
    ops,
    parks,
    people,
    plans,
    projects,
    proposals,
    session,
    stations,
    stats,
    tasks,
    users,
)
from ..routes.ledgers import IMPORT_PATH, PEOPLE_IMPORT_PATH

log = logging.getLogger(__name__)
IDENTITY = "portal"


def create_app(settings: PortalSettings | None = None,
               tracer_provider: TracerProvider | None = None) -> FastAPI:
    """Raises `InsecureSettings` rather than serve with a secret anyone could guess.
    `tracer_provider`: where spans go; by default OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set,
    else nowhere."""
    settings = settings or PortalSettings()
    settings.refuse_insecure()
    if settings.auth_secret.get_secret_value() == DEV_SECRET:
        log.warning("AUTH_SECRET is the development secret: fine on loopback, never elsewhere.")
    metrics = CollectorRegistry()  # the process's own, served at /metrics
    tracer_provider = tracer_provider or tracing.tracer_provider(IDENTITY)
    middlewares: list[Any] = [NatsPrometheusMiddleware(registry=metrics, app_name=IDENTITY)]
    if tracer_provider is not None:  # requests carry the HTTP request's trace to the services
        middlewares.append(NatsTelemetryMiddleware(tracer_provider=tracer_provider))
    broker = bus.broker(settings, IDENTITY, middlewares=middlewares)
    gateway = Gateway(broker, settings.request_timeout_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await broker.connect()
        gateway.connection = await bus.connect(settings, IDENTITY)
        yield
        await gateway.connection.close()
        await broker.stop()

    app = FastAPI(title="Guiyan 归雁 portal", version="1.0.0", lifespan=lifespan,
                  description="Return-home entrepreneurship matching: parks, projects, proposals.",
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.gateway = gateway
    app.state.login_throttle = LoginThrottle(settings.login_failures_per_username,
                                             settings.login_failures_per_address,
                                             settings.login_failure_window_seconds)
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes,
                       max_ledger_bytes=settings.max_ledger_bytes,
                       ledger_paths=(IMPORT_PATH, PEOPLE_IMPORT_PATH, "/projects/import",
                                     "/people/import"))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CorrelationId)  # outermost: its id is on whatever the others log
    errors.install(app)
    page_errors.install(app)
    api_docs.install(app)
    # Ledgers first: `/projects/export.xlsx` is not a project's id.
    for module in (ledgers, session, users, parks, leads, chains, projects, proposals, plans,
                   stats, stations, people, tasks, inbox, channels, deliveries, ops):
        app.include_router(module.router)
    for module in (home, account, dashboard, lists, ledger_pages, project_pages, proposal_pages,
                   park_pages, chain_pages, user_pages, admin, station_pages, people_pages,
                   contacts, task_pages, lead_pages, inbox_pages, preferences, channel_pages,
                   delivery_pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if tracer_provider is not None:  # probes and scrapes are not worth a trace each
        FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider,
                                           excluded_urls="/healthz,/readyz,/metrics,/static/")
    return app
