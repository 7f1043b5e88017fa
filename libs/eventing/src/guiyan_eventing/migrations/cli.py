"""A service's command. `guiyan-<service>` runs the service, which migrates its database as it
starts; `guiyan-<service> migrate` only migrates it, for operators who migrate before they roll
out; `guiyan-<service> migrate --sql` writes the SQL from an empty database instead, for a
database administrator to read or run. The database is DATABASE_URL's, as the service's."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..db import make_engine
from ..settings import ServiceSettings
from . import Migrations, write_sql
from .adoption import CannotAdopt

S = TypeVar("S", bound=ServiceSettings)


def run_or_migrate(name: str, settings_type: type[S], migrations: Migrations,
                   run: Callable[[S], Any], argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"guiyan-{name}", description=f"Runs {name}.")
    commands = parser.add_subparsers(dest="command")
    migrate = commands.add_parser("migrate", help="bring the database to the newest revision, "
                                                  "and exit")
    migrate.add_argument("--sql", action="store_true",
                         help="write the SQL that takes an empty database of DATABASE_URL's "
                              "kind to the newest revision, instead of migrating")
    arguments = parser.parse_args(argv)
    settings = settings_type()
    if arguments.command is None:
        run(settings)
    elif arguments.sql:
        write_sql(migrations, make_url(settings.database_url).get_backend_name(), sys.stdout)
    else:
        logging.basicConfig(level=logging.INFO, format=f"{name} %(levelname)s %(name)s: %(message)s")
        engine = make_engine(settings.database_url)
        try:
            migrations.prepare(engine)
        except (CannotAdopt, SQLAlchemyError) as error:
            sys.exit(f"guiyan-{name} migrate: {error}")
        finally:
            engine.dispose()
