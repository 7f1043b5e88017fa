"""Settings every service shares; each service extends them in its own config.py."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from .bus import BusSettings
from .logs import LogSettings


class ServiceSettings(BusSettings, LogSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = "sqlite:///var/service.db"
    # A message whose handler keeps failing is parked in the dead-letter stream after this many
    # deliveries; a transient failure (database or NATS away) is waited out for far longer.
    max_deliver: int = 5
    redelivery_backoff_seconds: tuple[float, ...] = (0.5, 2, 5, 15)
    max_deliver_transient: int = 100
    transient_backoff_seconds: tuple[float, ...] = (1, 2, 5, 10, 30, 60)
    ack_wait_seconds: float = 30
    # Up to this many messages are fetched and handled in one transaction: under a burst that
    # saves a commit, a fetch and the framework's overhead per message.
    batch_size: int = 100
    # A fetch that found nothing waiting lingers this long, and one message arriving then waits
    # for others until it ends: the latency a quiet consumer adds, and how often it asks again.
    batch_wait_seconds: float = 0.05
    # The outbox relay's wait for the server to acknowledge a batch; an event not acknowledged
    # by then is sent again with the rest of the batch after it. A consumer waits as long for
    # the dead-letter stream to acknowledge a message it parks.
    outbox_ack_timeout_seconds: float = 10.0
    # How long a command's reply is kept for a retry with the same idempotency key.
    idempotency_retention_seconds: float = 24 * 3600
    # The ops HTTP endpoint (/healthz, /readyz, /metrics) listens here; unset, there is none.
    ops_port: int | None = Field(default=None, ge=1, le=65535)
    ops_host: str = "0.0.0.0"
