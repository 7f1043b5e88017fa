"""`python -m guiyan_eventing.probe [PATH]`: Docker's HEALTHCHECK. Asks this container's ops
endpoint for PATH (default `/healthz`; `/readyz` for readiness) and exits 0 on a 200, 1
otherwise, silent on success and naming what it got on failure.

The port is OPS_PORT, else PORTAL_PORT (the portal answers on its own), else 8000. Standard
library only, and no proxy: it runs every few seconds, and must reach 127.0.0.1 itself."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3


def probe_url(path: str, environment: dict[str, str]) -> str:
    """Raises ValueError for a path or port that cannot make a URL on this host."""
    port = environment.get("OPS_PORT") or environment.get("PORTAL_PORT") or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{port!r} is not a port")
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a path: it must start with /")
    return f"http://127.0.0.1:{int(port)}{path}"


def probe(path: str, environment: dict[str, str]) -> str | None:
    """None when the endpoint answers 200, else what it answered, or why it did not."""
    try:
        url = probe_url(path, environment)
    except ValueError as error:
        return str(error)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            return None if response.status == 200 else f"{url}: {response.status}"
    except urllib.error.HTTPError as error:  # 503 from /readyz: its body says which check failed
        return f"{url}: {error.code} {error.read(500).decode(errors='replace')}"
    except (OSError, ValueError) as error:  # refused, timed out, not HTTP
        return f"{url}: {error}"


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) > 1:
        print("usage: python -m guiyan_eventing.probe [PATH]", file=sys.stderr)
        return 1
    failure = probe(arguments[0] if arguments else "/healthz", dict(os.environ))
    if failure is not None:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
