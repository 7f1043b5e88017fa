"""A process's Prometheus metrics: what delivery does, counted as it happens; gauges read from
the database when scraped; and their exposition in the format the scraper asks for.

Each process has a registry of its own, never prometheus_client's global one, so that two
services in one process (a test) keep their series apart."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlmodel import Session

from .database_thread import RunsDatabaseWork

log = logging.getLogger(__name__)

Sample = tuple[tuple[str, ...], float]  # label values, value
ReadsSamples = Callable[[Session], Iterable[Sample]]
T = TypeVar("T")


def read_once(read: Callable[[Session], T]) -> Callable[[Session], T]:
    """`read`, run once per session however often it is asked: for gauges that share one query
    (`DatabaseGauges` reads all its gauges in one session per scrape)."""
    key = object()

    def shared(session: Session) -> T:
        if key not in session.info:
            session.info[key] = read(session)
        return session.info[key]

    return shared


def exposition(registry: CollectorRegistry, accept: str) -> tuple[bytes, str]:
    """The registry's samples and their content type, as the `Accept` header asks (OpenMetrics,
    or Prometheus's text format; its 0.0.4 version when the header names none known)."""
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type


class DeliveryMetrics:
    """Counted as delivery goes: events handled, failures, messages parked."""

    def __init__(self, registry: CollectorRegistry, service: str) -> None:
        self._service = service
        self._handled = Counter(
            "guiyan_events_handled", "Events a durable consumer handled and acknowledged",
            ["service", "subject"], registry=registry)
        self._failed = Counter(
            "guiyan_delivery_failures",
            "Handlers that raised: an event nak'ed for redelivery (or parked, after its last "
            "try), a request answered `unavailable` (transient) or `internal` (permanent)",
            ["service", "subject", "kind"], registry=registry)
        self._parked = Counter(
            "guiyan_dead_letters", "Messages parked in the dead-letter stream",
            ["service", "subject"], registry=registry)

    def handled(self, subject: str) -> None:
        self._handled.labels(self._service, subject).inc()

    def failed(self, subject: str, transient: bool) -> None:
        self._failed.labels(self._service, subject,
                            "transient" if transient else "permanent").inc()

    def parked(self, subject: str) -> None:
        self._parked.labels(self._service, subject).inc()


@dataclass(frozen=True)
class _Gauge:
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: ReadsSamples


class DatabaseGauges(Collector):
    """Gauges read from the database when Prometheus scrapes, never kept up to date per event.

    `refresh` reads them all in one session on the service's database thread, at most every
    `max_age_seconds` (two scrapers then cost one read), before the registry is exposed. A read
    that fails or takes longer than `timeout_seconds` leaves the gauges out of that scrape:
    a gap on a graph, rather than a number that is no longer true."""

    def __init__(self, engine: Engine, database: RunsDatabaseWork, max_age_seconds: float = 5.0,
                 timeout_seconds: float = 3.0) -> None:
        self._engine = engine
        self._database = database
        self._max_age_seconds = max_age_seconds
        self._timeout_seconds = timeout_seconds
        self._gauges: list[_Gauge] = []
        self._samples: dict[str, list[Sample]] = {}
        self._read_at = -math.inf

    def add(self, name: str, documentation: str, labels: tuple[str, ...],
            read: ReadsSamples) -> None:
        self._gauges.append(_Gauge(name, documentation, labels, read))

    async def refresh(self) -> None:
        if not self._gauges or time.monotonic() - self._read_at < self._max_age_seconds:
            return
        try:
            async with asyncio.timeout(self._timeout_seconds):
                self._samples = await self._database(self._read)
        except Exception as error:  # the database away or busy: this scrape goes without
            log.warning("metrics read from the database failed: %s", type(error).__name__)
            self._samples = {}
        self._read_at = time.monotonic()

    def _read(self) -> dict[str, list[Sample]]:
        with Session(self._engine) as session:
            return {gauge.name: list(gauge.read(session)) for gauge in self._gauges}

    def collect(self) -> Iterator[Metric]:
        for gauge in self._gauges:
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
            for labels, value in self._samples.get(gauge.name, ()):
                family.add_metric(list(labels), value)
            yield family
