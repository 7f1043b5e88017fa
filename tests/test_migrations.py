"""Every service's migrations, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL: they make
the tables its models describe, exactly as creating them from the models does (the store tests'
fixtures do that); they bring over a database made before migrations with its rows; they do
nothing the second time; replicas starting together on PostgreSQL migrate once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    Column,
    Engine,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
    inspect,
    select,
    text,
)

from guiyan_eventing.db import make_engine
from guiyan_eventing.migrations import LOCK_KEY, Migrations
from guiyan_eventing.schema import Tables, service_metadata
from guiyan_matching.migrations import MIGRATIONS as MATCHING
from guiyan_notification.migrations import MIGRATIONS as NOTIFICATION
from guiyan_registry.migrations import MIGRATIONS as REGISTRY

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SERVICES = {"registry": REGISTRY, "matching": MATCHING, "notification": NOTIFICATION}
# A row of each service's own, as a database made before migrations may hold it.
ROWS: dict[str, tuple[str, dict[str, Any]]] = {
    "registry": ("registry_parks", {"id": "hanfu", "tenant_id": "heze", "name": "曹县汉服产业园",
                                    "created_at": NOW, "fields_json": "{}"}),
    "matching": ("matching_parks", {"id": "hanfu", "tenant_id": "heze", "snapshot_json": "{}"}),
    "notification": ("notification_recipients", {"id": "u1", "tenant_id": "heze",
                                                 "name": "李园长", "locale": "zh"}),
}
UNPUBLISHED = {"event_id": "5f0c8e0e-0000-4000-8000-000000000001", "subject": "guiyan.test.v1",
               "payload": "{}", "created_at": NOW}

pytestmark = pytest.mark.parametrize("service", SERVICES)


@pytest.fixture
def new_engine(database_url: str, tmp_path, postgres_database: Callable[[], str] | None):
    """Engines on fresh databases of the kind `database_url` is."""
    engines: list[Engine] = []

    def create() -> Engine:
        if not engines:
            url = database_url
        elif database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'store{len(engines)}.db'}"
        else:
            assert postgres_database is not None
            url = postgres_database()
        engines.append(make_engine(url))
        return engines[-1]

    yield create
    for engine in engines:
        engine.dispose()


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head(migrations: Migrations) -> str | None:
    return migrations.script().get_current_head()


def baseline(migrations: Migrations) -> MetaData:
    script = migrations.script()
    return script.get_revision(script.get_base()).module.metadata


def structure(engine: Engine) -> dict[str, Any]:
    """What the database says of its tables, column order aside."""
    inspector = inspect(engine)
    return {table: {
        "columns": {c["name"]: (repr(c["type"]), c["nullable"], c["default"])
                    for c in inspector.get_columns(table)},
        "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
        "indexes": sorted((i["name"], i["column_names"], i["unique"],
                           sorted((k, str(v)) for k, v in i.get("dialect_options", {}).items()))
                          for i in inspector.get_indexes(table)),
        "unique": sorted((u["column_names"], u["name"] or "")
                         for u in inspector.get_unique_constraints(table)),
    } for table in inspector.get_table_names() if table != "alembic_version"}


def rows(engine: Engine, table: str, like: dict[str, Any]) -> list[tuple]:
    """The table's rows, in the columns `like` has."""
    columns = service_table(engine, table).columns
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(*[columns[c] for c in like]))]


def without_nullable_columns(tables: MetaData) -> MetaData:
    """`tables` less their nullable columns and the indexes and constraints over them."""
    older = MetaData()
    for table in tables.sorted_tables:
        kept = {c.name for c in table.columns if not c.nullable}
        Table(table.name, older,
              *[Column(c.name, c.type, nullable=False, primary_key=c.primary_key,
                     autoincrement=c.autoincrement)
                for c in table.columns if c.name in kept],
              *[UniqueConstraint(*u.columns.keys()) for u in table.constraints
                if isinstance(u, UniqueConstraint) and kept.issuperset(u.columns.keys())],
              *[Index(i.name, *i.columns.keys(), unique=i.unique, **i.dialect_kwargs)
                for i in table.indexes if kept.issuperset(i.columns.keys())])
    return older


def service_table(engine: Engine, name: str):
    metadata = MetaData()
    metadata.reflect(engine, only=[name])
    return metadata.tables[name]


def test_the_migrations_make_the_tables_the_models_describe(service: str, new_engine) -> None:
    migrations = SERVICES[service]
    migrated, created = new_engine(), new_engine()

    migrations.prepare(migrated)
    Tables(migrations.tables).prepare(created)

    with migrated.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection),
                                service_metadata(migrations.tables)) == []
    assert structure(migrated) == structure(created)


def test_an_empty_database_is_brought_to_the_newest_revision(service: str, new_engine) -> None:
    migrations, engine = SERVICES[service], new_engine()

    migrations.prepare(engine)

    assert revision_of(engine) == head(migrations)
    assert set(structure(engine)) == set(service_metadata(migrations.tables).tables)


@pytest.mark.parametrize("release", ["first revision", "without nullable columns"])
def test_a_database_made_before_migrations_is_brought_over_with_its_rows(service: str,
                                                                         release: str,
                                                                         new_engine) -> None:
    """As the service made its tables at each start before migrations: as the first revision
    has them, or as a release older still, before any of the nullable columns."""
    migrations, engine, created = SERVICES[service], new_engine(), new_engine()
    tables = baseline(migrations)
    if release == "without nullable columns":
        tables = without_nullable_columns(tables)
    tables.create_all(engine)  # and no alembic_version
    table, row = ROWS[service]
    with engine.begin() as connection:
        connection.execute(tables.tables[table].insert().values(row))
        connection.execute(tables.tables["outbox"].insert().values(UNPUBLISHED))
    before = rows(engine, table, row), rows(engine, "outbox", UNPUBLISHED)

    migrations.prepare(engine)

    assert revision_of(engine) == head(migrations)
    assert (rows(engine, table, row), rows(engine, "outbox", UNPUBLISHED)) == before
    Tables(migrations.tables).prepare(created)
    assert structure(engine) == structure(created)


def test_migrating_again_changes_nothing(service: str, new_engine) -> None:
    migrations, engine = SERVICES[service], new_engine()
    migrations.prepare(engine)
    table, row = ROWS[service]
    with engine.begin() as connection:
        connection.execute(service_table(engine, table).insert().values(row))
    before = structure(engine), rows(engine, table, row)

    migrations.prepare(engine)

    assert (structure(engine), rows(engine, table, row)) == before
    assert revision_of(engine) == head(migrations)


def test_replicas_starting_together_on_postgresql_migrate_once(service: str, database_url: str
                                                               ) -> None:
    """Two `guiyan-<service> migrate` processes are held at the migration lock until both wait
    on it, then let go together: one migrates, the other finds nothing left to do."""
    if database_url.startswith("sqlite"):
        pytest.skip("one process owns a SQLite database")
    engine = make_engine(database_url)
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        holder.commit()
        replicas = [subprocess.Popen([sys.executable, "-m", f"guiyan_{service}", "migrate"],
                                     env={**os.environ, "DATABASE_URL": database_url},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    for _ in range(2)]
        waiting = 0
        for _ in range(600):
            waiting = holder.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )).scalar()
            holder.commit()
            if waiting == 2 or any(replica.poll() is not None for replica in replicas):
                break
            time.sleep(0.1)
        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        holder.commit()
    outputs = [replica.communicate(timeout=120)[0].decode() for replica in replicas]

    assert waiting == 2, outputs
    assert [replica.returncode for replica in replicas] == [0, 0], outputs
    assert sum("Running upgrade  -> 0001" in output for output in outputs) == 1, outputs
    assert revision_of(engine) == head(SERVICES[service])
    engine.dispose()
