"""`python -m guiyan_eventing.nats_config BASE OUT`: the nats-server configuration of a
deployment whose identities come from the environment (docker compose's nats container).

OUT is BASE (listen addresses, JetStream, limits) followed by the `authorization` block that
`identities.authorization` makes, so the permissions have one source for `make run` and for
compose alike. Each system identity's public key comes from NATS_PUBLIC_KEY_<IDENTITY>
(NATS_PUBLIC_KEY_REGISTRY, …): the server is given public keys only, never a seed. A key that is
missing or malformed stops the server from starting, rather than start one that lets in no one
of that name, or anyone else.

A cluster node's BASE names the route password as `${NATS_ROUTE_PASSWORD}`, in its cluster's
`authorization` and in each route's URL (where nats-server expands no variable): it is filled in
from the environment, so only nodes that hold it can open a route, and a route, unlike a client,
is bound by no identity's permissions.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import nkeys

from .files import write_private
from .identities import SYSTEM, authorization

PUBLIC_KEY_BYTES = 32
ROUTE_PASSWORD = "NATS_ROUTE_PASSWORD"
# It stands in URLs, so it is kept to characters a URL's user information carries as they are.
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]{32,}")


class MissingIdentity(ValueError):
    """The environment lacks an identity's public key, or holds something else in its place."""


def public_key_variable(identity: str) -> str:
    return f"NATS_PUBLIC_KEY_{identity.upper()}"


def is_user_public_key(text: str) -> bool:
    """Whether `text` is an nkey user public key (`U…`): the right prefix, length and checksum.
    A seed (`SU…`) is not: pasted here by mistake, it would be refused, not published."""
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return False
    body, checksum = raw[:-2], raw[-2:]
    return (len(body) == 1 + PUBLIC_KEY_BYTES and body[0] == nkeys.PREFIX_BYTE_USER
            and nkeys.crc16_checksum(body) == checksum)


def public_keys(environment: Mapping[str, str],
                identities: tuple[str, ...] = SYSTEM) -> dict[str, str]:
    """Each identity's public key from `environment`; `MissingIdentity` naming every variable
    that is unset or not a user public key."""
    keys = {identity: environment.get(public_key_variable(identity), "").strip()
            for identity in identities}
    wrong = [public_key_variable(identity) for identity, key in keys.items()
             if not is_user_public_key(key)]
    if wrong:
        raise MissingIdentity(f"{', '.join(wrong)}: each must hold an identity's nkey public key "
                              "(U…, see `make env`)")
    return keys


def with_route_password(base: str, environment: Mapping[str, str]) -> str:
    """`base` with `${NATS_ROUTE_PASSWORD}` filled in, where it stands; `MissingIdentity` when it
    stands and the environment's is unset, short or not URL-safe."""
    placeholder = "${" + ROUTE_PASSWORD + "}"
    if placeholder not in base:
        return base
    password = environment.get(ROUTE_PASSWORD, "")
    if not URL_SAFE.fullmatch(password):
        raise MissingIdentity(f"{ROUTE_PASSWORD}: a cluster node needs it, at least 32 letters, "
                              "digits or ._~- (see `make env`)")
    return base.replace(placeholder, password)


def render(base: str, environment: Mapping[str, str]) -> str:
    return (with_route_password(base, environment).rstrip("\n") + "\n"
            + authorization(public_keys(environment)))


def main(argv: list[str] | None = None, environment: Mapping[str, str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 2:
        print("usage: python -m guiyan_eventing.nats_config BASE OUT", file=sys.stderr)
        return 2
    base, out = Path(arguments[0]), Path(arguments[1])
    try:
        text = render(base.read_text(), os.environ if environment is None else environment)
    except (OSError, MissingIdentity) as error:
        print(f"nats configuration: {error}", file=sys.stderr)
        return 1
    # The permissions are no secret, but a cluster's route password is, and only the server
    # needs to read either.
    write_private(out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
