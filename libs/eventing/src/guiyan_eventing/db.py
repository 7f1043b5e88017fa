"""Engines for SQLite (the embedded default) and PostgreSQL (DATABASE_URL=postgresql+psycopg://…)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine


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

