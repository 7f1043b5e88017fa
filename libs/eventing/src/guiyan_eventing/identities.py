"""Who may say and hear what on the bus: one NATS identity per service, each with permissions
that cover only its own subjects, the JetStream API calls it makes and its own reply inbox.

- A producer (registry, matching) publishes only its own events, `guiyan.<service>.>`.
- A consumer reads only through its own durables (`<service>_from_<producer>`): it may create
  them, fetch from them and acknowledge their messages, and park into its own dead letters.
- A service answers only its own requests (`guiyan.cmd.<service>.>`, `guiyan.query.<service>.>`),
  replying once to each (`allow_responses`).
- Only the portal sends requests, and reads the dead-letter stream.
- `ops` declares the streams and lease buckets; no service can change a stream's settings.
- A service that leads by lease (matching) reads and writes only its own bucket's keys.

The server's configuration lists each identity's public key with its permissions; each process
holds its own seed, in a file only its owner can read, or in its environment (docker compose).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import nkeys

from guiyan_contracts import matching, notification, registry
from guiyan_contracts.system import DLQ_STREAM

from .bus import inbox_prefix
from .consumer import consumer_name
from .files import write_private
from .leases import LEASE_BUCKETS, LEASED_SERVICES, lease_bucket

JS = "$JS.API"
STREAMS = (registry.STREAM, matching.STREAM, notification.STREAM, DLQ_STREAM,
           *(f"KV_{bucket}" for bucket in LEASE_BUCKETS))


@dataclass(frozen=True)
class ServiceRole:
    produces: str | None  # its event stream, if it publishes events
    consumes: tuple[str, ...]  # the streams it reads


SERVICE_ROLES = {
    "registry": ServiceRole(produces=registry.STREAM, consumes=()),
    "matching": ServiceRole(produces=matching.STREAM, consumes=(registry.STREAM,)),
    "notification": ServiceRole(produces=notification.STREAM,
                                consumes=(registry.STREAM, matching.STREAM)),
}
PORTAL, OPS, HARNESS = "portal", "ops", "harness"


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    allow_responses: bool = False

    def as_config(self) -> dict[str, object]:
        config: dict[str, object] = {"publish": {"allow": list(self.publish)},
                                     "subscribe": {"allow": list(self.subscribe)}}
        if self.allow_responses:
            config["allow_responses"] = True
        return config


def service_permissions(service: str) -> Permissions:
    role = SERVICE_ROLES[service]
    publish = [f"guiyan.{role.produces.removeprefix('GUIYAN_').lower()}.>"] if role.produces else []
    for stream in role.consumes:
        durable = consumer_name(service, stream)
        publish += [f"{JS}.STREAM.INFO.{stream}",
                    f"{JS}.CONSUMER.CREATE.{stream}.{durable}",
                    f"{JS}.CONSUMER.CREATE.{stream}.{durable}.>",
                    f"{JS}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
                    f"{JS}.CONSUMER.INFO.{stream}.{durable}",
                    f"{JS}.CONSUMER.MSG.NEXT.{stream}.{durable}",
                    f"$JS.ACK.{stream}.{durable}.>"]
    if role.consumes:
        publish.append(f"guiyan.dlq.{service}.>")
    if service in LEASED_SERVICES:
        publish += lease_permissions(lease_bucket(service))
    return Permissions(
        publish=tuple(publish),
        subscribe=(f"guiyan.cmd.{service}.>", f"guiyan.query.{service}.>",
                   f"{inbox_prefix(service)}.>"),
        allow_responses=True)


def lease_permissions(bucket: str) -> list[str]:
    """What nats-py's KV needs to take, renew, read and release leases: the bucket's info, its
    keys (a write is a publish) and the last message of a key (no direct gets: see
    `streams.declare_lease_bucket`). No watches, so no consumers."""
    return [f"{JS}.STREAM.INFO.KV_{bucket}", f"{JS}.STREAM.MSG.GET.KV_{bucket}",
            f"$KV.{bucket}.>"]


def permissions(identity: str) -> Permissions:
    if identity in SERVICE_ROLES:
        return service_permissions(identity)
    if identity == PORTAL:
        return Permissions(publish=("guiyan.cmd.>", "guiyan.query.>",
                                    f"{JS}.STREAM.INFO.{DLQ_STREAM}",
                                    f"{JS}.STREAM.MSG.GET.{DLQ_STREAM}"),
                           subscribe=(f"{inbox_prefix(PORTAL)}.>",))
    if identity == OPS:
        return Permissions(publish=(f"{JS}.INFO", *(f"{JS}.STREAM.{verb}.{stream}"
                                                    for stream in STREAMS
                                                    for verb in ("CREATE", "UPDATE", "INFO"))),
                           subscribe=(f"{inbox_prefix(OPS)}.>",))
    if identity == HARNESS:  # tests and benchmarks that inspect the bus: never in `make run`
        return Permissions(publish=(">",), subscribe=(">",), allow_responses=True)
    raise LookupError(f"no identity {identity!r}")


SYSTEM = (*SERVICE_ROLES, PORTAL, OPS)


def seed_file(directory: Path, identity: str) -> Path:
    return directory / f"{identity}.nk"


def new_seed() -> str:
    """A fresh user nkey seed (`SU…`): the identity's secret."""
    return nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER).decode()


def public_key(seed: str) -> str:
    """The public key (`U…`) the server's configuration lists for the holder of `seed`."""
    return nkeys.from_seed(seed.strip().encode()).public_key.decode()


def issue_identities(directory: Path, identities: tuple[str, ...] = SYSTEM) -> dict[str, str]:
    """Each identity's public key, making a seed (0600) for any that has none yet: identities
    survive restarts, so a running service is never locked out by a new `make run`."""
    public = {}
    for identity in identities:
        path = seed_file(directory, identity)
        if not path.exists():
            write_private(path, new_seed())
        public[identity] = public_key(path.read_text())
    return public


def authorization(public_keys: dict[str, str]) -> str:
    """The server configuration's `authorization` block: every identity with its permissions,
    and no anonymous access."""
    users = [{"nkey": key, "permissions": permissions(identity).as_config()}
             for identity, key in public_keys.items()]
    return f"authorization {{\n  users = {json.dumps(users, indent=2)}\n}}\n"
