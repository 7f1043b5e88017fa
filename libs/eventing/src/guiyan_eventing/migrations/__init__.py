"""Each service's tables are made and changed by its own Alembic revisions (docs/migrations.md),
run as the service starts, before it binds a consumer or answers a request, or alone by
`guiyan-<service> migrate`.

A service keeps its revisions in its own package (`guiyan_<service>/migrations/versions`); the
environment that runs them, and the template of a new one, are this package's, shared.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, text
from sqlmodel import SQLModel

from ..schema import service_metadata
from .adoption import adopt, made_before_migrations

ENVIRONMENT = Path(__file__).parent  # env.py and script.py.mako
# Held by the process migrating a PostgreSQL database, until it commits: replicas that start
# together wait for the first, then find nothing left to do. Advisory locks are per database.
LOCK_KEY = zlib.crc32(b"guiyan migrations")


@dataclass(frozen=True)
class Migrations:
    """A service's revisions, and its tables (eventing's are added) for autogenerate to compare
    them with. The first revision defines `metadata`: the tables as they were made before
    migrations, which is what a database of that time is brought to (`adoption`)."""

    versions: Path
    tables: Sequence[type[SQLModel]]

    def prepare(self, engine: Engine) -> None:
        upgrade(engine, self)

    def config(self, **attributes: Any) -> Config:
        config = Config()
        config.set_main_option("script_location", _escaped(ENVIRONMENT))
        config.set_main_option("version_locations", _escaped(self.versions))
        config.set_main_option("path_separator", "os")
        config.attributes.update(metadata=service_metadata(self.tables), **attributes)
        return config

    def script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self.config())


def upgrade(engine: Engine, migrations: Migrations) -> None:
    """Bring the database to the newest revision; on PostgreSQL, in one transaction (its DDL is
    transactional) under the migration lock."""
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        config = migrations.config(connection=connection)
        _adopt_if_made_before_migrations(connection, config, migrations.script())
        command.upgrade(config, "head")


def _adopt_if_made_before_migrations(connection: Connection, config: Config,
                                     script: ScriptDirectory) -> None:
    first = script.get_revision(script.get_base())
    assert first is not None, "a service's migrations have a first revision"
    baseline: MetaData = first.module.metadata
    if made_before_migrations(connection, baseline):
        adopt(connection, baseline)
        command.stamp(config, first.revision)


def write_sql(migrations: Migrations, dialect: str, output: TextIO) -> None:
    """The SQL that takes an empty database of `dialect` ("postgresql", "sqlite") to the newest
    revision, for a database administrator to read or run."""
    config = migrations.config(dialect=dialect)
    config.output_buffer = output
    command.upgrade(config, "head", sql=True)


def _escaped(path: Path) -> str:
    return str(path).replace("%", "%%")  # Alembic's options are interpolated, as in an .ini file
