"""Settings every service shares; each service extends them in its own config.py."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = "sqlite:///var/service.db"
    # A poison message is retried this many times before it is parked in the dead-letter stream.
    max_deliver: int = 5
    redelivery_backoff_seconds: tuple[float, ...] = (0.5, 2, 5, 15)
    ack_wait_seconds: float = 30
