"""Fixtures for every test: a real nats-server with authentication on, and real databases
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from guiyan_eventing.bus import BusSettings
from guiyan_eventing.identities import (
    HARNESS,
    OPS,
    SYSTEM,
    authorization,
    issue_identities,
    seed_file,
)
from guiyan_eventing.natsd import free_port, start_nats_server
from guiyan_eventing.streams import declare_streams


@pytest.fixture(scope="session")
def nats_identities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed files of the system's identities, and of `harness` (every permission), for the
    tests' own producers and listeners."""
    directory = tmp_path_factory.mktemp("identities")
    issue_identities(directory, (*SYSTEM, HARNESS))
    return directory


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory, nats_identities: Path) -> Iterator[str]:
    """A JetStream nats-server of the tests' own, from the wheel, that authenticates every
    connection. Processes of the tests' own connect as `harness` (NATS_SEED_FILE); the streams
    are declared as `ops`, as `make run` does."""
    port = free_port()
    keys = issue_identities(nats_identities, (*SYSTEM, HARNESS))
    process = start_nats_server(tmp_path_factory.mktemp("nats"), port, free_port(),
                                authorization=authorization(keys))
    url = f"nats://127.0.0.1:{port}"
    asyncio.run(declare_streams(BusSettings(nats_url=url,
                                            nats_seed_file=seed_file(nats_identities, OPS))))
    environment = pytest.MonkeyPatch()
    environment.setenv("NATS_SEED_FILE", str(seed_file(nats_identities, HARNESS)))
    yield url
    environment.undo()
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Callable[[], str] | None]:
    """Creates fresh databases on TEST_DATABASE_URL's server, dropped at the end; None without one."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield None
        return
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    created: list[str] = []

    def create() -> str:
        name = f"guiyan_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return f"{admin_url.rpartition('/')[0]}/{name}"

    yield create
    with admin.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 postgres_database: Callable[[], str] | None) -> str:
    """Every store test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if postgres_database is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    return postgres_database()


COMPOSE_TESTS = Path(__file__).parent / "tests" / "compose"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """tests/compose drives docker compose: `make test-compose` names it, `make test` skips it."""
    if collection_path != COMPOSE_TESTS:
        return None
    named = (Path(argument.split("::")[0]).resolve() for argument in config.args)
    return not any(path == COMPOSE_TESTS or COMPOSE_TESTS in path.parents for path in named)
