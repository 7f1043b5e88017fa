"""The `guiyan-portal` command: `serve` (also with no command: how `python -m guiyan_portal`, the
Dockerfile and `make run` start it) and `token`, which prints a bearer token for a user.

Both read the environment as the portal does (`AUTH_SECRET`, `PORTAL_HOST`, …), and both refuse
a secret the portal would not serve with: a token signed with it would open nothing."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta

import uvicorn

from guiyan_contracts.models import ID_PATTERN, Role
from guiyan_contracts.taxonomy import configured_cities
from guiyan_eventing.logs import configure_logging
from guiyan_eventing.runtime import freeze_startup_objects

from ..auth import mint_token
from ..config import InsecureSettings, PortalSettings
from .app import create_app

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def user_id(text: str) -> str:
    if re.fullmatch(ID_PATTERN, text) is None:  # the portal would refuse such a token
        raise argparse.ArgumentTypeError(f"{text!r} is not an id: 1 to 64 letters, digits and _.:-")
    return text


def duration(text: str) -> timedelta:
    """`90s`, `15m`, `12h` or `30d`."""
    found = re.fullmatch(r"([1-9][0-9]{0,5})([smhd])", text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 90s, 15m, 12h or 30d")
    return timedelta(**{UNITS[found[2]]: int(found[1])})


def serve(settings: PortalSettings, _: argparse.Namespace) -> None:
    configure_logging("portal", settings.log_format)
    try:
        app = create_app(settings)
    except InsecureSettings as refusal:
        sys.exit(f"guiyan-portal will not start: {refusal}")
    freeze_startup_objects()
    # uvicorn's loggers go through the process's one set-up, not a (coloured) one of its own.
    uvicorn.run(app, host=settings.portal_host, port=settings.portal_port, log_level="info",
                log_config=None)


def token(settings: PortalSettings, arguments: argparse.Namespace) -> None:
    try:
        settings.refuse_insecure()
    except InsecureSettings as refusal:
        sys.exit(f"guiyan-portal will not sign a token: {refusal}")
    print(mint_token(settings.auth_secret.get_secret_value(), arguments.user, arguments.city, Role(arguments.role),
                     arguments.ttl))


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="guiyan-portal", description="Guiyan's HTTP portal. With no command, it serves.",
        epilog="Settings come from the environment: AUTH_SECRET (signs tokens), PORTAL_HOST, "
               "PORTAL_PORT, NATS_URL, NATS_SEED_FILE, …")
    command.set_defaults(run=serve)
    commands = command.add_subparsers(title="commands", metavar="COMMAND")
    commands.add_parser("serve", help="serve the API and the web page (the default)",
                        description="Serve the API and the web page on PORTAL_HOST:PORTAL_PORT.")
    minting = commands.add_parser(
        "token", help="print a bearer token for a user",
        description="Print a bearer token (an HS256 JWT signed with AUTH_SECRET) naming a user, "
                    "their city and role; send it as `Authorization: Bearer <token>`. The user "
                    "is not looked up here: the parks a manager may act for are those registry "
                    "says they manage, asked on each request.")
    minting.set_defaults(run=token)
    minting.add_argument("--user", required=True, type=user_id, metavar="ID",
                         help="the user's id, as registry knows them")
    minting.add_argument("--role", required=True, choices=[role.value for role in Role],
                         help="what the user may do")
    minting.add_argument("--city", required=True, choices=sorted(configured_cities()),
                         help="the city (tenant) the user belongs to")
    minting.add_argument("--ttl", type=duration, default=timedelta(days=30), metavar="DURATION",
                         help="how long the token is valid: 90s, 15m, 12h or 30d (default 30d)")
    return command


def main(argv: list[str] | None = None) -> None:
    arguments = parser().parse_args(argv)
    arguments.run(PortalSettings(), arguments)
