"""One scenario's system: a nats-server, the four services as processes and the demo city's parks
and managers, on SQLite files or on fresh databases of the suite's PostgreSQL cluster.

Besides Heze, a second city (Jining) is configured, so that a forged event can name a city the
services know; and the `harness` identity, which may read and publish anything, lets the suite
inspect the streams and inject messages as an intruder on the bus would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from guiyan_devstack import demo
from guiyan_devstack.stack import Stack, StackConfig
from guiyan_eventing.bus import BusSettings
from guiyan_eventing.db import make_engine
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.natsd import free_port

from .cluster import PostgresCluster

CITY = demo.TENANT
OTHER_CITY = "jining"  # configured here, with Heze's taxonomy and policy under its own name
STORED_SERVICES = ("registry", "matching", "notification")


def configure_other_city(root: Path) -> Path:
    """A CITIES_DIR in which the other city has Heze's taxonomy and policy."""
    for kind, package in (("taxonomies", "guiyan_contracts.taxonomies"),
                          ("policies", "guiyan_matching.policies")):
        heze = files(package).joinpath(f"{CITY}.toml").read_text("utf-8")
        (root / kind).mkdir(parents=True, exist_ok=True)
        (root / kind / f"{OTHER_CITY}.toml").write_text(
            heze.replace(f'city = "{CITY}"', f'city = "{OTHER_CITY}"'))
    return root


@dataclass
class System:
    stack: Stack
    cluster: PostgresCluster | None
    engines: dict[str, Engine]  # service → its database, for reading what it stored
    tokens: dict[str, Any]  # demo.tokens: admin, staff and each park's manager

    @property
    def bus(self) -> BusSettings:
        return self.stack.bus(HARNESS)

    @property
    def portal_url(self) -> str:
        return self.stack.portal_url


@contextmanager
def running_system(var_dir: Path, cluster: PostgresCluster | None,
                   environment: dict[str, str]) -> Iterator[System]:
    """Started and loaded with the demo parks; stopped, services first, on the way out."""
    database_urls = ({service: cluster.create_database() for service in STORED_SERVICES}
                     if cluster else {})
    cities = configure_other_city(var_dir / "cities")
    stack = Stack(StackConfig(var_dir=var_dir, portal_port=free_port(), nats_port=free_port(),
                              database_urls=database_urls, extra_identities=(HARNESS,),
                              environment={"CITIES_DIR": str(cities), **environment}))
    engines = {service: make_engine(stack.config.database_url(service))
               for service in STORED_SERVICES}
    try:
        stack.start()
        demo.load(stack.portal_url, stack.config.auth_secret, projects=0)
        yield System(stack, cluster, engines, demo.tokens(stack.config.auth_secret))
    finally:
        stack.stop()
        for engine in engines.values():
            engine.dispose()
