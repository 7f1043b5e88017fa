"""A process's Prometheus metrics: served in the format the scraper asks for."""

from __future__ import annotations

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder


def exposition(registry: CollectorRegistry, accept: str) -> tuple[bytes, str]:
    """The registry's samples and their content type, as the `Accept` header asks (OpenMetrics,
    or Prometheus's text format; its 0.0.4 version when the header names none known)."""
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type
