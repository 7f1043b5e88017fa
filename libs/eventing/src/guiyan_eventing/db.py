"""Engines for SQLite (the embedded default) and PostgreSQL (DATABASE_URL=postgresql+psycopg://…)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url in ("sqlite://", "sqlite:///:memory:"):
        return _sqlite(create_engine(url, connect_args={"check_same_thread": False},
                                     poolclass=StaticPool))
    Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return _sqlite(create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}))


def _sqlite(engine: Engine) -> Engine:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers run beside the single writer; FULL sync because a committed outbox
        # row is a promise that the event will be published.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def create_tables(engine: Engine, tables: list[type[SQLModel]]) -> None:
    """Create only this service's tables: every service's models share SQLModel's metadata.

    A nullable column or an index added to a model since the table was made is added to the
    table too, so a database kept from an earlier release (`make run` keeps var/) still starts,
    and still finds its rows by the new index. Anything more than that needs a real migration.
    """
    sql_tables = [t.__table__ for t in tables]  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine, tables=sql_tables)
    with engine.begin() as connection:
        inspector = inspect(connection)
        for table in sql_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            for index in table.indexes:
                index.create(connection, checkfirst=True)
