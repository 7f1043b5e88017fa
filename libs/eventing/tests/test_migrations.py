"""The migration runner on a stand-in service's revisions (widget_migrations/): an empty database,
one made before migrations (by the tables being created at each start), one that cannot be
brought over, the SQL written out instead, the service's command, and a new revision written
from the models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, Index, Text, inspect, text
from sqlmodel import Field, SQLModel

from guiyan_eventing.db import make_engine
from guiyan_eventing.migrations import Migrations, write_sql
from guiyan_eventing.migrations.adoption import CannotAdopt
from guiyan_eventing.migrations.cli import run_or_migrate
from guiyan_eventing.migrations.revision import new_revision
from guiyan_eventing.schema import service_metadata
from guiyan_eventing.settings import ServiceSettings

VERSIONS = Path(__file__).parent / "widget_migrations" / "versions"


class Widget(SQLModel, table=True):
    __tablename__ = "test_widgets"
    __table_args__ = (Index("test_widgets_by_note", "note_json"),)

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=64)
    note_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    serial: str | None = Field(default=None, max_length=64, unique=True)
    colour: str | None = Field(default=None, max_length=16)  # since revision 0002


class Gadget(SQLModel, table=True):
    """A model no revision makes yet."""

    __tablename__ = "test_gadgets"

    id: str = Field(primary_key=True, max_length=64)
    size: int | None = None


WIDGETS = Migrations(VERSIONS, [Widget])


@pytest.fixture
def engine(database_url: str):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(engine: Engine, migrations: Migrations) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection),
                                service_metadata(migrations.tables))


def test_an_empty_database_is_brought_to_the_newest_revision(engine: Engine) -> None:
    WIDGETS.prepare(engine)
    WIDGETS.prepare(engine)  # and again, as every start does

    assert revision_of(engine) == "0002"
    assert differences(engine, WIDGETS) == []


def test_a_database_made_before_migrations_gains_what_it_lacks_and_keeps_its_rows(
        engine: Engine) -> None:
    with engine.begin() as connection:  # the table as an earlier release made it
        connection.execute(text("CREATE TABLE test_widgets "
                                "(id VARCHAR(64) PRIMARY KEY, name VARCHAR(64) NOT NULL)"))
        connection.execute(text("INSERT INTO test_widgets (id, name) VALUES ('w1', 'sprocket')"))

    WIDGETS.prepare(engine)

    assert revision_of(engine) == "0002"
    columns = {c["name"] for c in inspect(engine).get_columns("test_widgets")}
    assert columns == {"id", "name", "note_json", "serial", "colour"}  # colour is 0002's
    assert [u["column_names"] for u in inspect(engine).get_unique_constraints("test_widgets")] == [
        ["serial"]]
    assert [i["name"] for i in inspect(engine).get_indexes("test_widgets")
            if not i.get("duplicates_constraint")] == ["test_widgets_by_note"]
    assert {"outbox", "processed_messages", "idempotent_replies"} <= set(
        inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, name, note_json, serial, colour "
                                       "FROM test_widgets")).all() == [
            ("w1", "sprocket", None, None, None)]
    assert differences(engine, WIDGETS) == []


def test_a_database_lacking_a_column_its_rows_need_is_refused_and_left_alone(
        engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE test_widgets (id VARCHAR(64) PRIMARY KEY)"))

    with pytest.raises(CannotAdopt, match=r"lacks test_widgets\.name"):
        WIDGETS.prepare(engine)

    assert inspect(engine).get_table_names() == ["test_widgets"]
    assert [c["name"] for c in inspect(engine).get_columns("test_widgets")] == ["id"]


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_the_sql_from_an_empty_database_is_written_out(dialect: str, tmp_path: Path) -> None:
    with (tmp_path / "upgrade.sql").open("w") as output:
        write_sql(WIDGETS, dialect, output)

    sql = (tmp_path / "upgrade.sql").read_text()
    assert "CREATE TABLE test_widgets" in sql
    assert "CREATE INDEX test_widgets_by_note" in sql
    assert "ALTER TABLE test_widgets ADD COLUMN colour VARCHAR(16)" in sql
    assert "UPDATE alembic_version SET version_num='0002'" in sql


def test_a_new_revision_is_written_from_the_models(tmp_path: Path) -> None:
    versions = shutil.copytree(VERSIONS, tmp_path / "versions")
    gadgets = Migrations(versions, [Widget, Gadget])

    written = new_revision(gadgets, "gadgets")

    assert written.name == "0003_gadgets.py"
    assert "op.create_table('test_gadgets'" in written.read_text()
    engine = make_engine(f"sqlite:///{tmp_path / 'gadgets.db'}")
    gadgets.prepare(engine)
    assert revision_of(engine) == "0003"
    assert differences(engine, gadgets) == []
    engine.dispose()


def test_the_command_runs_the_service_or_only_migrates(tmp_path: Path, monkeypatch,
                                                       capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'widgets.db'}")
    ran: list[ServiceSettings] = []

    run_or_migrate("widgets", ServiceSettings, WIDGETS, ran.append, ["migrate", "--sql"])
    assert "CREATE TABLE test_widgets" in capsys.readouterr().out
    assert not (tmp_path / "widgets.db").exists()

    run_or_migrate("widgets", ServiceSettings, WIDGETS, ran.append, ["migrate"])
    engine = make_engine(f"sqlite:///{tmp_path / 'widgets.db'}")
    assert revision_of(engine) == "0002"
    engine.dispose()
    assert ran == []

    run_or_migrate("widgets", ServiceSettings, WIDGETS, ran.append, [])
    assert [settings.database_url for settings in ran] == [f"sqlite:///{tmp_path / 'widgets.db'}"]


def test_the_command_says_why_a_database_cannot_be_migrated(tmp_path: Path, monkeypatch) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE test_widgets (id VARCHAR(64) PRIMARY KEY)"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'old.db'}")

    with pytest.raises(SystemExit, match=r"^guiyan-widgets migrate: .* lacks test_widgets\.name"):
        run_or_migrate("widgets", ServiceSettings, WIDGETS, print, ["migrate"])
