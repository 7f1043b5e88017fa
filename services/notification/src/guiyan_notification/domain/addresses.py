"""Where a channel may send. An admin types its URL, and the notification host then posts to it
and shows what came back: a URL inside the deployment's own network (NATS monitoring, a cloud's
metadata service at 169.254.169.254) would let anyone who can add a channel probe that network.
So a channel's address is public and on https, unless ops allow private ones (an intranet
receiver; the tests' local receivers)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


def refused(url: str) -> str | None:
    """Why `url` may not be a channel's address, or None. A name is judged as written: one that
    a resolver maps into a private network is for the network's own egress rules to stop."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "a channel's address is an https one"
    host = (parts.hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(LOCAL_NAMES[1:]):
        return "a channel's address is a public one, not a local name"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return "a channel's address is a public one, not a private, loopback or link-local one"
    return None
