"""notification against real NATS, a real database and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import email
import uuid
from datetime import UTC, datetime
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from guiyan_contracts.matching import ProposalOffered
from guiyan_contracts.models import Proposal, User
from guiyan_contracts.notification import ListInbox
from guiyan_contracts.registry import UserRegistered
from guiyan_eventing.natsd import free_port
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.unit_of_work import SqlUnitOfWork
from guiyan_notification.adapters.orm import Delivery, Recipient
from guiyan_notification.config import NotificationSettings
from guiyan_notification.entrypoints.app import build
from guiyan_notification.service_layer.inbox import list_inbox


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()


async def eventually(check, timeout: float = 15.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := check()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
    return result


def offered(tenant: str, manager_id: str) -> ProposalOffered:
    now = datetime.now(UTC)
    proposal = Proposal(id=str(uuid.uuid4()), tenant_id=tenant, project_id="p1",
                        project_name="尧舜汉服设计工作室", park_id="hanfu", park_name="曹县汉服产业返乡创业园",
                        status="offered", score=45008, chain_role="fill_gap", subsidy_yuan=120000,
                        explanation_zh="补链：园区产业链缺少这一环节", explanation_en="fills a missing link",
                        offered_at=now)
    return ProposalOffered(producer="test", tenant_id=tenant, proposal=proposal,
                           manager_ids=[manager_id], submitted_by="staff")


async def emit(nats_url: str, tmp_path, *events) -> None:
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'producer.db'}"), Tables([]), SqlUnitOfWork)
    async with producer.app():
        with producer.uow() as uow:
            for event in events:
                uow.emit(event)
            uow.commit()
        await producer.relay.publish_pending()


async def register(service, nats_url: str, tmp_path, user: User) -> None:
    """The user's registration and a proposal come from different producers, in no set order:
    here the user is registered first, as managers are long before their parks get offers."""
    await emit(nats_url, tmp_path, UserRegistered(producer="registry", tenant_id=user.tenant_id,
                                                  user=user))

    def recorded() -> bool:
        with service.uow() as uow:
            return uow.session.get(Recipient, user.id) is not None

    await eventually(recorded)


def inbox(service, tenant: str, user_id: str):
    with service.uow() as uow:
        return list_inbox(ListInbox(tenant_id=tenant, user_id=user_id), uow).items


async def test_a_manager_gets_an_inbox_item_and_a_real_email(nats_url, tmp_path, smtp_server) -> None:
    port, mailbox = smtp_server
    tenant = "heze"
    service = build(NotificationSettings(nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'n.db'}",
                                         smtp_host="127.0.0.1", smtp_port=port,
                                         digest_seconds=0))
    # A manager of its own isolates this test's events from others' on the stream.
    manager = User(id=f"mgr-{uuid.uuid4().hex[:8]}", tenant_id=tenant, name="负责人", role="park_manager",
                   email="manager@heze.example.cn")
    async with service.app():
        await register(service, nats_url, tmp_path, manager)
        await emit(nats_url, tmp_path, offered(tenant, manager.id))
        (item,) = await eventually(lambda: inbox(service, tenant, manager.id))
        assert item.title_zh == "新的入园推荐：尧舜汉服设计工作室"
        assert item.title_en == "New proposal: 尧舜汉服设计工作室"
        (message,) = await eventually(lambda: mailbox.messages)
    assert message["To"] == "manager@heze.example.cn"
    assert "尧舜汉服设计工作室" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "补链" in text and "/proposals/" in text  # in the reader's language, with its page
    assert "补链" in html and 'href="http://127.0.0.1:8000/proposals/' in html


async def test_an_unreachable_mail_server_is_retried_then_logged_as_failed(nats_url, tmp_path) -> None:
    tenant = "heze"
    service = build(NotificationSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'n.db'}", smtp_host="127.0.0.1",
        smtp_port=free_port(), delivery_max_attempts=2, retry_base_seconds=0.1,
        digest_seconds=0))
    # A manager of its own isolates this test's events from others' on the stream.
    manager = User(id=f"mgr-{uuid.uuid4().hex[:8]}", tenant_id=tenant, name="负责人", role="park_manager",
                   email="manager@heze.example.cn")
    async with service.app():
        await register(service, nats_url, tmp_path, manager)
        await emit(nats_url, tmp_path, offered(tenant, manager.id))

        def failed() -> list[Delivery]:
            with service.uow() as uow:
                return [d.model_dump() for d in uow.session.exec(select(Delivery))
                        if d.status == "failed"]

        (delivery,) = await eventually(failed)
    assert delivery["attempts"] == 2
    assert inbox(service, tenant, manager.id)  # the inbox item stands whatever email does
