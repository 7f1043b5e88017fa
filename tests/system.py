"""The whole system as separate processes with the demo parks, for the end-to-end and browser
tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guiyan_devstack import demo
from guiyan_devstack.stack import Stack, StackConfig
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.natsd import free_port


@contextmanager
def running_stack(var_dir: Path, postgres_database: Callable[[], str] | None,
                  environment: dict[str, str],
                  accounts: dict[str, Any] | None = None, projects: int = 0) -> Iterator[Stack]:
    """The system with the demo parks, on PostgreSQL when TEST_DATABASE_URL is set, so CI covers
    both stores end to end; the demo users sign in with `accounts` (`demo.new_accounts()`), and
    `projects` of the demo city's projects are submitted."""
    database_urls = ({s: postgres_database() for s in ("registry", "matching", "notification")}
                     if postgres_database else {})
    running = Stack(StackConfig(var_dir=var_dir, portal_port=free_port(), nats_port=free_port(),
                                database_urls=database_urls, environment=environment,
                                extra_identities=(HARNESS,)))
    try:
        running.start()
        demo.load(running.portal_url, running.config.auth_secret, projects=projects, accounts=accounts)
        yield running
    finally:
        running.stop()
