"""What a request is answered when its handler fails: the caller's mistake, ours, or a database
that is away for now, each told apart, on a real nats-server; and what it leaves behind: its
handler's writes once it answers, nothing when it refuses."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, SQLModel, select

from guiyan_contracts.envelope import Contract, Request
from guiyan_contracts.refusals import Conflict
from guiyan_eventing.rpc import RemoteError, call
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.unit_of_work import SqlUnitOfWork


class Ask(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.test.ask.v1"
    trouble: str


class Answer(Contract):
    fine: bool


def answer(request: Ask, uow: SqlUnitOfWork) -> Answer:
    if request.trouble == "database away":
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))
    if request.trouble == "stored record unreadable":
        Answer.model_validate({"fine": "not a bool at all"})
    return Answer(fine=True)


class Note(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.test.note.v1"
    text: str


class Noted(SQLModel, table=True):
    __tablename__ = "test_noted"
    id: int | None = Field(default=None, primary_key=True)
    text: str


def note(command: Note, uow: SqlUnitOfWork) -> Answer:
    """Writes, then refuses some: it never commits either way."""
    uow.session.add(Noted(text=command.text))
    if command.text.startswith("refused"):
        raise Conflict("not this one")
    return Answer(fine=True)


def answerer(nats_url: str, tmp_path) -> Service[SqlUnitOfWork]:
    service = Service("answerer", ServiceSettings(nats_url=nats_url,
                                                  database_url=f"sqlite:///{tmp_path / 'a.db'}"),
                      Tables([Noted]), SqlUnitOfWork)
    service.on_request(Ask, answer)
    service.on_request(Note, note)
    return service


@pytest.mark.parametrize(("trouble", "kind"), [("database away", "unavailable"),
                                               ("stored record unreadable", "internal")])
async def test_a_handlers_failure_is_never_blamed_on_the_caller(nats_url, tmp_path, trouble, kind):
    service = answerer(nats_url, tmp_path)
    async with service.app():
        with pytest.raises(RemoteError) as failed:
            await call(service.broker, Ask(tenant_id="heze", trouble=trouble), Answer)
        assert failed.value.body.kind == kind
        assert await call(service.broker, Ask(tenant_id="heze", trouble="none"), Answer) == \
            Answer(fine=True)


async def test_a_malformed_request_is_the_callers_mistake(nats_url, tmp_path) -> None:
    service = answerer(nats_url, tmp_path)
    async with service.app():
        with pytest.raises(RemoteError) as failed:
            await call(service.broker, Answer(fine=True), Answer, subject=Ask.SUBJECT)
    assert failed.value.body.kind == "validation"


async def test_an_answer_commits_the_handlers_writes_and_a_refusal_changes_nothing(
        nats_url, tmp_path) -> None:
    service = answerer(nats_url, tmp_path)
    async with service.app():
        for text, key in (("kept", None), ("kept with a key", "k1")):
            assert await call(service.broker, Note(tenant_id="heze", text=text,
                                                   idempotency_key=key), Answer) == Answer(fine=True)
        for text, key in (("refused", None), ("refused with a key", "k2")):
            with pytest.raises(RemoteError) as refused:
                await call(service.broker, Note(tenant_id="heze", text=text, idempotency_key=key),
                           Answer)
            assert refused.value.body.kind == "conflict"
    with service.uow() as uow:
        assert [row.text for row in uow.session.exec(select(Noted))] == ["kept", "kept with a key"]
