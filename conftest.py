"""Fixtures for every test: a real nats-server and real databases (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from guiyan_eventing.natsd import free_port, start_nats_server


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JetStream nats-server of the tests' own: a container when Docker answers, else the wheel's."""
    if _docker_answers():
        from testcontainers.community.nats import NatsContainer

        with NatsContainer(jetstream=True) as container:
            yield container.nats_uri()
        return
    port = free_port()
    process = start_nats_server(tmp_path_factory.mktemp("nats"), port, free_port())
    yield f"nats://127.0.0.1:{port}"
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
