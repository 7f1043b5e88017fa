"""How a process reaches NATS: the server's address and, where authentication is on, an identity
of its own (an nkey seed, from a file or from the environment) and a reply inbox of its own,
`_INBOX.<identity>.…`.

The seed never travels: the server sends a challenge, the client signs it. With no seed the
connection is anonymous, which a server that authenticates refuses.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import nats
from faststream.exceptions import IncorrectState
from faststream.nats import NatsBroker
from faststream.nats.security import NatsNKey
from nats.aio.client import Client
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class BusSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    # One server, or a cluster's servers separated by commas: a client reconnects to another
    # when one goes (it also learns of the others from whichever it reaches first).
    nats_url: str = "nats://127.0.0.1:4222"
    # This process's nkey seed: a file (`make run` writes one per identity under
    # var/nats/identities/), or the seed itself (docker compose passes it from `.env`).
    nats_seed_file: Path | None = None
    nats_seed: SecretStr | None = None

    @model_validator(mode="after")
    def _one_seed(self) -> BusSettings:
        if self.nats_seed_file is not None and self.nats_seed is not None:
            raise ValueError("set NATS_SEED_FILE or NATS_SEED, not both")
        if self.nats_seed is not None and not self.nats_seed.get_secret_value().strip():
            raise ValueError("NATS_SEED is empty")
        return self


def servers(settings: BusSettings) -> list[str]:
    return [url.strip() for url in settings.nats_url.split(",") if url.strip()]


def inbox_prefix(identity: str) -> str:
    """Replies to one identity land under its own prefix, which only it may subscribe to."""
    return f"_INBOX.{identity}"


def _named(identity: str) -> dict[str, Any]:
    return {"name": f"guiyan-{identity}", "inbox_prefix": inbox_prefix(identity).encode()}


async def connect(settings: BusSettings, identity: str, **options: Any) -> Client:
    """A plain nats-py connection as `identity`."""
    if settings.nats_seed_file is not None:
        options["nkeys_seed"] = str(settings.nats_seed_file)
    elif settings.nats_seed is not None:
        options["nkeys_seed_str"] = settings.nats_seed.get_secret_value().strip()
    return await nats.connect(servers(settings), **_named(identity), **options)


def broker(settings: BusSettings, identity: str, **options: Any) -> NatsBroker:
    """A FastStream broker that connects as `identity`. It logs through a plain logger, which
    `logs.configure_logging` routes with the rest, not through one FastStream would colour."""
    options.setdefault("logger", logging.getLogger("faststream.access.nats"))
    if settings.nats_seed_file is not None:
        options["security"] = NatsNKey.from_file(settings.nats_seed_file)
    elif settings.nats_seed is not None:
        options["security"] = NatsNKey.from_seed(settings.nats_seed.get_secret_value().strip())
    return NatsBroker(servers(settings), **_named(identity), **options)


def is_connected(broker: NatsBroker) -> bool:
    """Whether the broker holds a live connection: not before its first, nor while it reconnects."""
    try:
        return broker.connection.is_connected
    except IncorrectState:  # never connected, or stopped
        return False
