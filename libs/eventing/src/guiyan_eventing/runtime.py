"""A service's process: broker, database, outbox relay, consumers, responders and background loops."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Generic, TypeVar, get_type_hints

from faststream import FastStream
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from sqlalchemy import text

from guiyan_contracts.envelope import Event, Request, utc_now
from guiyan_contracts.system import (
    AsyncAPIDocument,
    Health,
    Ping,
    Problem,
    asyncapi_subject,
    health_subject,
)

from . import bus, consumer, rpc, tracing
from .database_thread import DatabaseThread
from .db import make_engine
from .idempotency import forget_replies_before
from .logs import configure_logging
from .metrics import DatabaseGauges, DeliveryMetrics, ReadsSamples, exposition, read_once
from .ops_server import OpsServer, ops_app
from .outbox import unpublished_lag
from .readiness import Check
from .relay import OutboxRelay
from .request_transaction import answer_in_transaction
from .schema import Schema
from .settings import ServiceSettings
from .streams import ensure_consumers, stream_for
from .unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
U = TypeVar("U", bound=SqlUnitOfWork)
E = TypeVar("E", bound=Event)
Q = TypeVar("Q", bound=Request)


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules and app: a great many objects, all living as long as
    the process) out of the garbage collector's passes; scanning them again and again takes a
    large share of a plan's rules' time (measured: docs/performance.md, "garbage collector
    freeze"). Called once, by a process's entrypoint, after collecting what is already garbage
    (frozen objects are never collected)."""
    gc.collect()
    gc.freeze()


async def supervised(loop: Callable[[], Awaitable[None]], restart_after: float = 2.0) -> None:
    """Keep a background loop alive: a crash is logged and the loop starts again, so a service
    never goes on answering health checks with its relay or planner silently dead."""
    while True:
        try:
            await loop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s crashed; restarting in %ss", loop, restart_after)
        await asyncio.sleep(restart_after)


class Service(Generic[U]):
    def __init__(self, name: str, settings: ServiceSettings, schema: Schema,
                 unit_of_work: Callable[..., U],
                 tracer_provider: TracerProvider | None = None) -> None:
        """`schema` brings the database to the service's tables as it starts (its migrations).
        `tracer_provider`: where spans go; by default OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
        set, else nowhere (`tracing.py`)."""
        self.name = name
        self.settings = settings
        self.metrics = CollectorRegistry()  # served at /metrics (`metrics.py`)
        self.delivery_metrics = DeliveryMetrics(self.metrics, name)
        self.tracer_provider = tracer_provider or tracing.tracer_provider(name)
        middlewares: list[Any] = [NatsPrometheusMiddleware(registry=self.metrics, app_name=name)]
        if self.tracer_provider is not None:
            middlewares.append(NatsTelemetryMiddleware(tracer_provider=self.tracer_provider))
        # The AsyncAPI document names the bus as compose does, never the address in use.
        self.broker = rpc.broker(settings, name, graceful_timeout=10.0,
                                 specification_url="nats://nats:4222", middlewares=middlewares)
        self.engine = make_engine(settings.database_url)
        self.database = DatabaseThread()  # every transaction of the running service goes here
        # Readiness asks the database on a thread of its own: a long transaction on the one
        # above (a ledger's import) is work going on, not a database that does not answer.
        self._database_probe = DatabaseThread("database-probe")
        self._database_gauges = DatabaseGauges(self.engine, self.database)
        self.metrics.register(self._database_gauges)
        lag = read_once(unpublished_lag)  # one query per scrape for both gauges
        self.gauge_from_database(
            "guiyan_outbox_unpublished", "Events committed to the outbox and not yet published",
            ("service",), lambda session: [((name,), lag(session)[0])])
        self.gauge_from_database(
            "guiyan_outbox_oldest_unpublished_age_seconds",
            "How long the oldest event not yet published has waited in the outbox (0: none)",
            ("service",), lambda session: [((name,), lag(session)[1])])
        self._ops: OpsServer | None = None
        self.relay = OutboxRelay(self.engine, self.broker, self.database,
                                 ack_timeout_seconds=settings.outbox_ack_timeout_seconds)
        self._schema = schema
        self._unit_of_work = unit_of_work
        self._after_commit: list[Callable[[], None]] = [self.relay.notify]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loops: list[Callable[[], Awaitable[None]]] = [self.relay.run,
                                                            self._forget_old_replies]
        self._problems: list[Callable[[], list[Problem]]] = []
        self._checks: dict[str, Check] = {}  # the service's own, besides the runtime's
        self._tasks: list[asyncio.Task[None]] = []
        self._routes: dict[str, dict[str, consumer.Route]] = {}  # stream → subject → route
        self._durables: list[consumer.Durable] = []
        self._serve(health_subject(name), Ping, self._health)
        self._serve(asyncapi_subject(name), Ping, self._asyncapi)

    def uow(self) -> U:
        return self._unit_of_work(self.engine, on_commit=self._committed)

    def _committed(self) -> None:
        """Called in the database thread: the callbacks run on the event loop."""
        if self._loop is None:  # not started: a tool or a test
            self._run_after_commit()
            return
        with contextlib.suppress(RuntimeError):  # the loop closed while this transaction ran
            self._loop.call_soon_threadsafe(self._run_after_commit)

    def _run_after_commit(self) -> None:
        for callback in self._after_commit:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def background(self, loop: Callable[[], Awaitable[None]]) -> None:
        self._loops.append(loop)

    def on_event(self, event_type: type[E], handle: Callable[[E, U], None],
                 then: Callable[[E], None] | None = None) -> None:
        """Run `handle(event, uow)` once per event id, in one transaction with the inbox claim
        (shared with the events fetched with it); `then(event)` runs after the commit."""
        stream = stream_for(event_type.SUBJECT)
        durable = consumer.consumer_name(self.name, stream)

        def apply(event: E, uow: U) -> None:
            if uow.claim(durable, str(event.event_id)):
                handle(event, uow)

        self._routes.setdefault(stream, {})[event_type.SUBJECT] = consumer.Route(
            event_type, apply, then)

    def on_request(self, request_type: type[Q], handle: Callable[[Q, U], BaseModel],
                   then: Callable[[Q], None] | None = None) -> None:
        """Answer with `handle(request, uow)`, in a transaction of its own that commits when the
        handler answers and rolls back when it raises; a request with an idempotency key sent
        again gets the first reply (the handler's return annotation says what to read it back
        as). `then(request)` runs after the commit."""
        result_type = get_type_hints(handle)["return"]

        async def answer(request: Q) -> BaseModel:
            result = await self.database(
                lambda: answer_in_transaction(request, self.uow, handle, result_type))
            if then is not None:
                then(request)
            return result

        self._serve(request_type.SUBJECT, request_type, answer)

    def respond(self, request_type: type[Q], answer: Callable[[Q], Awaitable[BaseModel]]) -> None:
        """Answer with a coroutine that runs its own transactions through `self.database`, for
        answers that must wait (a solve off the event loop) or read only what the process holds
        in memory."""
        self._serve(request_type.SUBJECT, request_type, answer)

    def _serve(self, subject: str, request_type: type[Request] | type[Ping],
               answer: rpc.Answer) -> None:
        rpc.serve(self.broker, self.name, subject, request_type, answer, self.delivery_metrics)

    def gauge_from_database(self, name: str, documentation: str, labels: tuple[str, ...],
                            read: ReadsSamples) -> None:
        """A gauge whose samples `read(session)` gives, read when Prometheus scrapes."""
        self._database_gauges.add(name, documentation, labels, read)

    def report_problems(self, problems: Callable[[], list[Problem]]) -> None:
        """Health then names what `problems()` lists: the service is up but degraded."""
        self._problems.append(problems)

    async def _health(self, _: Ping) -> Health:
        await self.database(self._ping_database)
        return Health(service=self.name, database=True,
                      problems=[problem for source in self._problems for problem in source()])

    def _ping_database(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def ready_when(self, name: str, check: Check) -> None:
        """`/readyz` also asks `check` (None: fine; else what is wrong), under `name`."""
        self._checks[name] = check

    def readiness_checks(self) -> dict[str, Check]:
        return {"database": self._database_answers, "nats": self._nats_connected,
                "consumers": self._consumers_bound, **self._checks}

    async def _database_answers(self) -> str | None:
        await self._database_probe(self._ping_database)
        return None

    async def _nats_connected(self) -> str | None:
        return None if bus.is_connected(self.broker) else "not connected"

    async def _consumers_bound(self) -> str | None:
        unbound = [durable.name for durable in self._durables if not durable.bound]
        return f"not fetching: {', '.join(unbound)}" if unbound else None

    async def _render_metrics(self, accept: str) -> tuple[bytes, str]:
        await self._database_gauges.refresh()
        return exposition(self.metrics, accept)

    async def _forget_old_replies(self) -> None:
        """Hourly: idempotency keys are kept for `idempotency_retention_seconds`."""
        keep = timedelta(seconds=self.settings.idempotency_retention_seconds)
        while True:
            def forget() -> None:
                with self.uow() as uow:
                    forget_replies_before(uow.session, utc_now() - keep)

            await self.database(forget)
            await asyncio.sleep(3600)

    async def _asyncapi(self, _: Ping) -> AsyncAPIDocument:
        spec = AsyncAPI(self.broker, title=f"guiyan-{self.name}", version="1.0.0")
        return AsyncAPIDocument(document=spec.to_specification().to_jsonable())

    async def _start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.settings.ops_port is not None:  # first: liveness answers while the rest starts
            self._ops = OpsServer(ops_app(self.readiness_checks(), self._render_metrics),
                                  self.settings.ops_host, self.settings.ops_port)
            await self._ops.start()
        try:
            # Before the broker starts: no consumer is bound and no request answered until the
            # database has the tables this code expects.
            await self.database(lambda: self._schema.prepare(self.engine))
            await ensure_consumers(self.settings, self.name,
                                   [(d.stream, d.config) for d in self._durables])
        except BaseException:  # no shutdown follows a failed start: the endpoint goes now
            await self._stop()
            raise

    async def _start_loops(self) -> None:
        self._tasks = [asyncio.create_task(supervised(loop)) for loop in self._loops]

    async def _stop(self) -> None:
        await self._stop_loops()
        if self._ops is not None:
            await self._ops.stop()
            self._ops = None

    async def _stop_loops(self) -> None:
        """Cancel until stopped: on Python 3.11, asyncio.wait_for (used inside nats-py) swallows a
        cancellation that lands as the awaited future completes, so one cancel may not be enough."""
        pending = {task for task in self._tasks if not task.done()}
        for _ in range(50):
            if not pending:
                return
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.2)
        for task in pending:
            log.error("%s did not stop when cancelled", task.get_coro())

    def _tracer(self) -> Tracer | None:
        if self.tracer_provider is None:
            return None
        return self.tracer_provider.get_tracer("guiyan_eventing")

    def app(self) -> FastStream:
        if not self._durables:  # one durable per producer stream, once its routes are all known
            self._durables = [consumer.Durable(self.broker, self.settings, service=self.name,
                                               stream=stream, routes=routes,
                                               unit_of_work=self.uow, database=self.database,
                                               metrics=self.delivery_metrics,
                                               tracer=self._tracer())
                              for stream, routes in self._routes.items()]
            self._loops.extend(durable.pull for durable in self._durables)
        return FastStream(self.broker, on_startup=[self._start],
                          after_startup=[self._start_loops], on_shutdown=[self._stop])

    def run(self) -> None:
        configure_logging(self.name, self.settings.log_format)
        app = self.app()
        freeze_startup_objects()
        asyncio.run(app.run())
