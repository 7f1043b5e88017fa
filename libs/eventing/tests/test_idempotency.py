"""A command sent again with the same idempotency key answers as the first did and changes
nothing more, on a real database; the same key with another request is refused. Its transaction
commits when the handler answers, the stored reply with the handler's writes, and is rolled back
when it raises: a refusal changes nothing, with a key or without."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

import pytest
from sqlmodel import Field, SQLModel, select

from guiyan_contracts.envelope import Contract, Request, utc_now
from guiyan_contracts.refusals import Conflict, Invalid
from guiyan_eventing.db import make_engine
from guiyan_eventing.idempotency import IdempotentReply, fingerprint, forget_replies_before
from guiyan_eventing.request_transaction import answer_in_transaction
from guiyan_eventing.schema import Tables
from guiyan_eventing.unit_of_work import SqlUnitOfWork


class Hired(SQLModel, table=True):
    __tablename__ = "test_hired"
    id: int | None = Field(default=None, primary_key=True)
    name: str


class Hire(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.test.hire.v1"
    name: str


class Lapsed(Conflict):
    keeps_changes = True


class Receipt(Contract):
    number: int


def hire(command: Hire, uow: SqlUnitOfWork) -> Receipt:
    if command.name == "refused":
        uow.session.add(Hired(name="written before refusing"))
        uow.session.flush()
        raise Conflict("no")
    if command.name == "lapsed":
        uow.session.add(Hired(name="the world's change"))
        uow.session.flush()
        raise Lapsed("too late")
    if command.name == "broken":
        uow.session.add(Hired(name="written, then the handler broke"))
        uow.session.flush()
        raise RuntimeError("a bug")
    row = Hired(name=command.name)
    uow.session.add(row)
    uow.session.flush()  # for its id
    return Receipt(number=row.id)


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    Tables([Hired]).prepare(engine)
    yield lambda: SqlUnitOfWork(engine)
    engine.dispose()


def send(uow, command: Hire, handle=hire) -> Receipt:
    return answer_in_transaction(command, uow, handle, Receipt)  # type: ignore[return-value]


def hired(uow) -> list[str]:
    with uow() as unit:
        return [row.name for row in unit.session.exec(select(Hired).order_by(Hired.id))]


def test_the_same_key_gets_the_first_answer_and_changes_nothing_more(uow) -> None:
    first = send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1",
                           correlation_id="try-1"))
    again = send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1",
                           correlation_id="try-2"))
    assert again == first and hired(uow) == ["王"]


def test_the_same_key_with_another_request_is_refused_naming_the_header(uow) -> None:
    send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1"))
    with pytest.raises(Invalid) as refused:
        send(uow, Hire(tenant_id="heze", name="李", idempotency_key="k1"))
    assert refused.value.errors[0].loc == ["header", "Idempotency-Key"]
    assert hired(uow) == ["王"]


def test_keys_are_kept_apart_per_city(uow) -> None:
    send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1"))
    send(uow, Hire(tenant_id="jining", name="李", idempotency_key="k1"))
    assert hired(uow) == ["王", "李"]


def test_an_answer_commits_the_handlers_writes_though_the_handler_never_commits(uow) -> None:
    assert send(uow, Hire(tenant_id="heze", name="王")) == Receipt(number=1)
    assert hired(uow) == ["王"]


@pytest.mark.parametrize("key", [None, "k2"])
@pytest.mark.parametrize(("name", "refusal", "kept"), [
    ("refused", Conflict, []),
    ("lapsed", Lapsed, ["the world's change"]),  # a refusal that keeps changes keeps them
])
def test_a_refusal_changes_nothing_and_is_not_kept(uow, key, name, refusal, kept) -> None:
    for _ in range(2):
        with pytest.raises(refusal):
            send(uow, Hire(tenant_id="heze", name=name, idempotency_key=key))
    assert hired(uow) == kept * 2
    with uow() as unit:
        assert unit.session.exec(select(IdempotentReply)).all() == []


@pytest.mark.parametrize("key", [None, "k3"])
def test_a_handler_that_breaks_leaves_nothing_behind(uow, key) -> None:
    with pytest.raises(RuntimeError):
        send(uow, Hire(tenant_id="heze", name="broken", idempotency_key=key))
    assert hired(uow) == []


def test_a_key_taken_meanwhile_is_a_conflict_and_the_handlers_writes_go_with_it(uow) -> None:
    """Another process stores a reply for the key while this one handles the command: the reply
    and the handler's writes are one transaction, so neither is kept, and the retry gets the
    other's reply."""
    command = Hire(tenant_id="heze", name="王", idempotency_key="k4")
    theirs = Receipt(number=7)

    def hire_while_another_answers(command: Hire, unit: SqlUnitOfWork) -> Receipt:
        with uow() as other:
            other.session.add(IdempotentReply(
                subject=command.SUBJECT, tenant_id=command.tenant_id, key="k4",
                fingerprint=fingerprint(command), reply_json=theirs.model_dump_json()))
            other.commit()
        return hire(command, unit)

    with pytest.raises(Conflict, match="being handled"):
        send(uow, command, hire_while_another_answers)
    assert hired(uow) == []
    assert send(uow, command) == theirs and hired(uow) == []


def test_replies_older_than_the_retention_are_forgotten(uow) -> None:
    send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1"))
    with uow() as unit:
        assert forget_replies_before(unit.session, utc_now() - timedelta(hours=1)) == 0
        assert forget_replies_before(unit.session, utc_now() + timedelta(seconds=1)) == 1
    send(uow, Hire(tenant_id="heze", name="王", idempotency_key="k1"))
    assert hired(uow) == ["王", "王"]
