"""A new revision of a service's migrations, written by comparing its models with its newest
revision: `python -m guiyan_eventing.migrations.revision matching "what changed"` (what
`make migration` runs). Read it and tidy it before committing it (docs/migrations.md).

The comparison is made against a scratch SQLite database brought to the newest revision, so the
revision comes out in batch mode, which SQLite needs and PostgreSQL runs as plain ALTERs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

from alembic import command
from alembic.config import Config

from ..db import make_engine
from . import Migrations, upgrade


def new_revision(migrations: Migrations, message: str) -> Path:
    with TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'newest.db'}")
        try:
            upgrade(engine, migrations)
            with engine.connect() as connection:
                config = migrations.config(connection=connection)
                config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
                _tidied_by_ruff(config)
                script = command.revision(config, message=message, autogenerate=True,
                                          rev_id=next_revision_id(migrations))
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def _tidied_by_ruff(config: Config) -> None:
    """`ruff check --fix` on the new file: an unused import out, the imports in order."""
    for option, value in (("hooks", "ruff"), ("ruff.type", "module"), ("ruff.module", "ruff"),
                          ("ruff.options", "check --fix --quiet REVISION_SCRIPT_FILENAME")):
        config.set_section_option("post_write_hooks", option, value)


def next_revision_id(migrations: Migrations) -> str:
    """Revisions are numbered in order, 0001 first: their files list as they run."""
    return f"{len(list(migrations.script().walk_revisions())) + 1:04d}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m guiyan_eventing.migrations.revision",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("service", help="registry, matching or notification")
    parser.add_argument("message", help="what the revision changes, in a few words")
    arguments = parser.parse_args(argv)
    name = f"guiyan_{arguments.service}"
    try:
        package = importlib.import_module(f"{name}.migrations")
    except ModuleNotFoundError as error:
        if error.name not in (name, f"{name}.migrations"):
            raise
        sys.exit(f"{arguments.service!r} is no service with migrations")
    print(new_revision(package.MIGRATIONS, arguments.message))


if __name__ == "__main__":
    main()
