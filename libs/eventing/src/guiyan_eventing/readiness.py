"""Whether a process is ready for work: each check finds nothing wrong (None) or says what is.

`/readyz` answers 200 only when every check passes. A check that raises, or does not answer in
time (a database that hangs rather than refuses), fails with the name of what went wrong, never
the error's text: that may name hosts or users, and `/readyz` answers anyone who can reach it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from guiyan_contracts.system import Readiness

Check = Callable[[], Awaitable[str | None]]
PASSED = "ok"


async def findings(checks: Mapping[str, Check], timeout_seconds: float = 2.0) -> dict[str, str]:
    """Each check's finding, `ok` or what is wrong; the checks run together."""

    async def run(check: Check) -> str:
        try:
            async with asyncio.timeout(timeout_seconds):
                return await check() or PASSED
        except TimeoutError:
            return f"no answer in {timeout_seconds:g} s"
        except Exception as error:
            return f"failed: {type(error).__name__}"

    found = await asyncio.gather(*(run(check) for check in checks.values()))
    return dict(zip(checks, found, strict=True))


def report(found: Mapping[str, str]) -> tuple[int, Readiness]:
    """The HTTP status and body `/readyz` answers with."""
    ready = all(finding == PASSED for finding in found.values())
    return (200 if ready else 503), Readiness(status="ready" if ready else "not ready",
                                              checks=dict(found))
