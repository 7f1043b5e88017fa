"""Settings every service shares; each service extends them in its own config.py."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = "sqlite:///var/service.db"
    # A message whose handler keeps failing is parked in the dead-letter stream after this many
    # deliveries; a transient failure (database or NATS away) is waited out for far longer.
    max_deliver: int = 5
    redelivery_backoff_seconds: tuple[float, ...] = (0.5, 2, 5, 15)
    max_deliver_transient: int = 100
    transient_backoff_seconds: tuple[float, ...] = (1, 2, 5, 10, 30, 60)
    ack_wait_seconds: float = 30
    # Messages fetched and handled per transaction, and how long a fetch waits to fill a batch.
    # Batches of 100 raise the end-to-end submission rate by a quarter but, until we learn why,
    # give some proposals a tail of 20-30 s (README, end-to-end benchmark): one per fetch for now.
    batch_size: int = 1
    # A fetch returns as soon as its batch is full, so with one message this is only how often an
    # idle consumer asks again; larger batches want it short (0.05 s in the benchmark).
    batch_wait_seconds: float = 1.0
