"""create_tables on a database made by an earlier release: new nullable columns and indexes are
added."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Index, Text, inspect, text
from sqlmodel import Field, SQLModel

from guiyan_eventing.db import create_tables, make_engine


class Widget(SQLModel, table=True):
    __tablename__ = "test_widgets"
    __table_args__ = (Index("test_widgets_by_note", "note_json"),)

    id: str = Field(primary_key=True)
    note_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


def test_a_nullable_column_added_since_is_added_to_the_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:  # the table as the earlier release made it
        connection.execute(text("CREATE TABLE test_widgets (id VARCHAR PRIMARY KEY)"))
        connection.execute(text("INSERT INTO test_widgets (id) VALUES ('w1')"))

    create_tables(engine, [Widget])
    create_tables(engine, [Widget])  # and again, as every start does

    assert {c["name"] for c in inspect(engine).get_columns("test_widgets")} == {"id", "note_json"}
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, note_json FROM test_widgets")).all() == [("w1", None)]
    assert [i["name"] for i in inspect(engine).get_indexes("test_widgets")] == [
        "test_widgets_by_note"]
