"""The after-commit hooks (the outbox relay's wake-up) run for a transaction that wrote, by the
ORM or in one bulk statement, and not for one that only read: every query commits too."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Field, SQLModel, insert, select

from guiyan_eventing.db import make_engine
from guiyan_eventing.schema import Tables
from guiyan_eventing.unit_of_work import SqlUnitOfWork


class Note(SQLModel, table=True):
    __tablename__ = "test_notes"

    id: str = Field(primary_key=True)


def read(uow: SqlUnitOfWork) -> None:
    uow.session.exec(select(Note)).all()


def add(uow: SqlUnitOfWork) -> None:
    uow.session.add(Note(id="orm"))


def add_in_bulk(uow: SqlUnitOfWork) -> None:
    uow.session.exec(insert(Note), params=[{"id": "bulk-1"}, {"id": "bulk-2"}])


@pytest.mark.parametrize(("work", "woken"), [(read, 0), (add, 1), (add_in_bulk, 1)])
def test_the_hooks_run_after_a_commit_that_wrote(tmp_path: Path, work, woken: int) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    Tables([Note]).prepare(engine)
    calls: list[None] = []
    with SqlUnitOfWork(engine, on_commit=lambda: calls.append(None)) as uow:
        work(uow)
        uow.commit()
    assert len(calls) == woken
