"""`guiyan-compose-env [PATH]` (`make env`): the secrets docker compose reads from `.env`:
each identity's nkey seed and its public key, the portal's AUTH_SECRET and each service's
database password. Written with mode 0600.

Run again, it keeps every value the file already holds (a new seed would lock a running
deployment out of NATS, a new password out of its database) and adds only what is missing;
the public keys are always derived afresh from the seeds beside them.
"""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path

from guiyan_eventing.files import write_private
from guiyan_eventing.identities import SYSTEM, new_seed, public_key
from guiyan_eventing.nats_config import ROUTE_PASSWORD, public_key_variable

# The services with a database of their own (the portal keeps none).
DATABASE_SERVICES = ("registry", "matching", "notification")
ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")
HEADER = ("# Secrets for docker compose, made by `make env`: keep this file private (mode 0600)\n"
          "# and out of version control. .env.example says what each variable means.\n")


def seed_variable(identity: str) -> str:
    return f"NATS_SEED_{identity.upper()}"


def database_password_variable(service: str) -> str:
    return f"POSTGRES_PASSWORD_{service.upper()}"


def fresh_secrets() -> dict[str, str]:
    """A value for every variable `make env` writes, none of them derived."""
    return {"AUTH_SECRET": secrets.token_hex(32),
            **{seed_variable(identity): new_seed() for identity in SYSTEM},
            **{database_password_variable(service): secrets.token_hex(24)
               for service in DATABASE_SERVICES},
            ROUTE_PASSWORD: secrets.token_hex(24)}


def assignments(text: str) -> dict[str, str]:
    return {match[1]: match[2].strip() for line in text.splitlines()
            if (match := ASSIGNMENT.match(line))}


def completed(text: str) -> str:
    """`text` (an .env file's) with what it lacks added, and its public keys matching its seeds.
    Raises ValueError for a seed that is no nkey seed."""
    held = assignments(text)
    wanted = {name: value for name, value in fresh_secrets().items() if not held.get(name)}
    seeds = {identity: held.get(seed_variable(identity)) or wanted[seed_variable(identity)]
             for identity in SYSTEM}
    keys = {}
    for identity, seed in seeds.items():
        try:
            keys[public_key_variable(identity)] = public_key(seed)
        except Exception as error:  # nkeys raises its own errors, and binascii's
            raise ValueError(f"{seed_variable(identity)} is not an nkey seed: {error!r}") from None
    lines = [line for line in text.splitlines()
             if not ((match := ASSIGNMENT.match(line)) and (match[1] in keys or match[1] in wanted))]
    body = "\n".join(lines).strip("\n")
    added = [f"{name}={value}" for name, value in {**wanted, **keys}.items()]
    return (body + "\n" if body else HEADER) + "\n".join(added) + "\n"


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    before = path.read_text() if path.exists() else ""
    try:
        after = completed(before)
    except ValueError as error:
        sys.exit(f"{path}: {error}")
    write_private(path, after)
    added = sorted(set(assignments(after)) - set(assignments(before)))
    print(f"{path}: " + (f"added {', '.join(added)}" if added else "complete, nothing added"))


if __name__ == "__main__":
    main()
