"""What a request is answered when its handler fails: the caller's mistake, ours, or a database
that is away for now, each told apart, on a real nats-server."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy.exc import OperationalError

from guiyan_contracts.envelope import Contract, Request
from guiyan_eventing.rpc import RemoteError, call
from guiyan_eventing.runtime import Service
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


def answerer(nats_url: str, tmp_path) -> Service[SqlUnitOfWork]:
    service = Service("answerer", ServiceSettings(nats_url=nats_url,
                                                  database_url=f"sqlite:///{tmp_path / 'a.db'}"),
                      [], SqlUnitOfWork)
    service.on_request(Ask, answer)
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
