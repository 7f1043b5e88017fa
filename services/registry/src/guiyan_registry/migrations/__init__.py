"""registry's tables, made and changed by the revisions in versions/ (docs/migrations.md)."""

from pathlib import Path

from guiyan_eventing.migrations import Migrations

from ..adapters.orm import TABLES

MIGRATIONS = Migrations(Path(__file__).with_name("versions"), TABLES)
