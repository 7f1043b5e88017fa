"""Whom an event tells and on what, on a real database: preferences with the critical override,
a park's group chat, a digest of offers, channels that name their kinds, and read and unread."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from guiyan_contracts import notification as contract
from guiyan_contracts.matching import ProposalWithdrawn
from guiyan_contracts.models import User
from guiyan_contracts.notification import Medium, NoticeKind
from guiyan_contracts.registry import UserRegistered
from guiyan_notification.adapters.orm import DeliveredNotice, Delivery, Notice
from guiyan_notification.service_layer import channels, inbox, preferences
from guiyan_notification.service_layer.handlers import notifier, record_user
from guiyan_notification.service_layer.telling import Telling

from .test_delivery import offered

CITY = "heze"



def run(uow, handle, message):
    with uow() as unit:
        answer = handle(message, unit)
        unit.commit()
        return answer


def manager(uow, user_id: str = "mgr-a", email: str | None = "a@heze.example.cn") -> str:
    run(uow, record_user, UserRegistered(producer="registry", tenant_id=CITY, user=User(
        id=user_id, tenant_id=CITY, name="负责人", role="park_manager", email=email)))
    return user_id


def tell(uow, event, email: bool = True, digest: float = 0) -> None:
    run(uow, notifier(Telling(email_enabled=email, digest_seconds=digest))[type(event)], event)


def deliveries(uow) -> list[tuple[str, str, int]]:
    """(medium, recipient, notices carried) of every delivery."""
    with uow() as unit:
        return sorted((d.medium, d.recipient, len(unit.session.exec(
            select(DeliveredNotice).where(DeliveredNotice.delivery_id == d.id)).all()))
            for d in unit.session.exec(select(Delivery)))


def channel(uow, kind: str = "webhook", **owner: str) -> contract.Channel:
    fields = contract.ChannelFields(kind=kind, name="汉服园群", url="http://127.0.0.1:1/hook?key=k",
                                    **owner)
    return run(uow, channels.ChannelWriter(private_addresses=True).create,
               contract.CreateChannel(tenant_id=CITY, channel=fields, secret="s3cret"))


def prefer(uow, user_id: str, kind: NoticeKind, media: list[Medium]) -> None:
    run(uow, preferences.set_preferences, contract.SetPreferences(
        tenant_id=CITY, user_id=user_id, items=[contract.Preference(kind=kind, media=media)]))


def withdrawn(user_id: str):
    offer = offered(CITY, user_id)
    return ProposalWithdrawn(producer="matching", tenant_id=CITY, proposal=offer.proposal,
                             manager_ids=[user_id], submitted_by=user_id)


def test_a_manager_with_no_preferences_hears_in_the_inbox_and_by_email(uow) -> None:
    tell(uow, offered(CITY, manager(uow)))
    assert deliveries(uow) == [("email", "mgr-a", 1)]
    assert run(uow, inbox.count_unread, contract.CountUnread(tenant_id=CITY, user_id="mgr-a")
               ).unread == 1


def test_an_offer_reaches_the_inbox_even_for_a_manager_who_chose_no_media(uow) -> None:
    user = manager(uow)
    prefer(uow, user, NoticeKind.proposal_offered, [])
    prefer(uow, user, NoticeKind.proposal_withdrawn, [])
    tell(uow, offered(CITY, user))
    tell(uow, withdrawn(user))
    items = run(uow, inbox.list_inbox, contract.ListInbox(tenant_id=CITY, user_id=user)).items
    assert [item.kind for item in items] == ["proposal_offered"]  # the withdrawal is not critical
    assert deliveries(uow) == []


def test_a_user_s_own_robot_hears_only_the_kinds_they_chose_for_it(uow) -> None:
    user = manager(uow, email=None)
    channel(uow, kind="dingtalk", user_id=user)
    prefer(uow, user, NoticeKind.proposal_withdrawn, [Medium.inbox])
    tell(uow, offered(CITY, user))
    tell(uow, withdrawn(user))
    assert deliveries(uow) == [("dingtalk", "mgr-a", 1)]


def test_a_park_s_group_chat_hears_once_however_many_managers_the_park_has(uow) -> None:
    for user in ("mgr-a", "mgr-b"):
        manager(uow, user, email=None)
    channel(uow, park_id="hanfu")
    event = offered(CITY, "mgr-a")
    tell(uow, event.model_copy(update={"manager_ids": ["mgr-a", "mgr-b", "mgr-a"]}))
    assert deliveries(uow) == [("webhook", "hanfu", 1)]
    with uow() as unit:
        audiences = sorted(n.audience for n in unit.session.exec(select(Notice)))
    assert audiences == ["park:hanfu", "user:mgr-a", "user:mgr-b"]


def test_offers_within_the_digest_window_go_as_one_message_per_channel(uow) -> None:
    user = manager(uow)
    channel(uow, park_id="hanfu")
    for _ in range(3):
        tell(uow, offered(CITY, user), digest=60)
    tell(uow, withdrawn(user), digest=60)  # not digested: goes alone
    assert deliveries(uow) == [("email", "mgr-a", 1), ("email", "mgr-a", 3),
                               ("webhook", "hanfu", 1), ("webhook", "hanfu", 3)]
    with uow() as unit:
        waits = [d.next_attempt_at - d.created_at for d in unit.session.exec(select(Delivery))
                 if d.digest_until is not None]
    assert len(waits) == 2 and all(wait == timedelta(seconds=60) for wait in waits)


def test_a_batch_of_offers_reads_each_table_once_and_writes_only_at_its_commit(uow) -> None:
    """A consumer applies a fetch's events in one transaction: a plan's offers to a few managers.
    Telling reads the recipient, the channels, the preference and each open digest once, flushes
    nothing before the commit, and still gathers the batch's offers into one digest a channel."""
    user = manager(uow)
    channel(uow, park_id="hanfu")
    channel(uow, user_id=user)
    prefer(uow, user, NoticeKind.proposal_offered, [Medium.email, Medium.webhook])
    handle = notifier(Telling(email_enabled=True, digest_seconds=60))[type(offered(CITY, user))]
    statements: list[str] = []
    flushes: list[object] = []

    def executed(connection, cursor, statement: str, *rest) -> None:
        statements.append(statement.lstrip())

    with uow() as unit:
        engine = unit.session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", executed)
        sa.event.listen(unit.session, "after_flush", lambda *args: flushes.append(args))
        try:
            for _ in range(4):
                handle(offered(CITY, user), unit)
            assert flushes == []
            assert not [s for s in statements if not s.upper().startswith("SELECT")]
            unit.commit()
        finally:
            sa.event.remove(engine, "before_cursor_execute", executed)
    assert deliveries(uow) == [("email", "mgr-a", 4), ("webhook", "hanfu", 4),
                               ("webhook", "mgr-a", 4)]
    assert run(uow, inbox.count_unread, contract.CountUnread(tenant_id=CITY, user_id=user)
               ).unread == 4
    reads = [s for s in statements if s.upper().startswith("SELECT")]
    read = {table: sum(f"FROM {table}" in s for s in reads) for table in (
        "notification_recipients", "notification_channels", "notification_preferences",
        "notification_deliveries")}
    assert read == {"notification_recipients": 1, "notification_channels": 1,
                    "notification_preferences": 1, "notification_deliveries": 3}


def test_a_digest_once_sent_is_closed_and_the_next_offer_opens_another(uow) -> None:
    user = manager(uow)
    tell(uow, offered(CITY, user), digest=60)
    with uow() as unit:
        (first,) = unit.session.exec(select(Delivery)).all()
        first.status = "sent"
        unit.session.add(first)
        unit.commit()
    tell(uow, offered(CITY, user), digest=60)
    assert deliveries(uow) == [("email", "mgr-a", 1), ("email", "mgr-a", 1)]


def test_read_and_unread_and_only_one_s_own_items_change(uow) -> None:
    for user in ("mgr-a", "mgr-b"):
        manager(uow, user)
        tell(uow, offered(CITY, user))
        tell(uow, offered(CITY, user))
    mine = run(uow, inbox.list_inbox, contract.ListInbox(tenant_id=CITY, user_id="mgr-a")).items
    theirs = run(uow, inbox.list_inbox, contract.ListInbox(tenant_id=CITY, user_id="mgr-b")).items
    left = run(uow, inbox.mark_read, contract.MarkRead(
        tenant_id=CITY, user_id="mgr-a", item_ids=[mine[0].id, theirs[0].id]))
    assert left.unread == 1
    unread = run(uow, inbox.list_inbox, contract.ListInbox(tenant_id=CITY, user_id="mgr-a",
                                                           unread_only=True))
    assert [item.id for item in unread.items] == [mine[1].id] and unread.unread == 1
    assert run(uow, inbox.mark_read, contract.MarkRead(tenant_id=CITY, user_id="mgr-a")).unread == 0
    assert run(uow, inbox.mark_read, contract.MarkRead(
        tenant_id=CITY, user_id="mgr-a", item_ids=[mine[0].id], read=False)).unread == 1
    assert run(uow, inbox.count_unread, contract.CountUnread(tenant_id=CITY, user_id="mgr-b")
               ).unread == 2


def test_preferences_show_every_kind_with_the_critical_inbox_kept(uow) -> None:
    prefer(uow, "mgr-a", NoticeKind.proposal_offered, [Medium.email])
    shown = run(uow, preferences.get_preferences,
                contract.GetPreferences(tenant_id=CITY, user_id="mgr-a"))
    chosen = {item.kind: item.media for item in shown.items}
    assert chosen[NoticeKind.proposal_offered] == [Medium.email, Medium.inbox]
    assert chosen[NoticeKind.proposal_accepted] == sorted(Medium)
    assert set(shown.critical) == {NoticeKind.proposal_offered, NoticeKind.proposal_reminded}


def test_an_id_never_seen_is_a_new_notice_not_a_copy(uow) -> None:
    """One notice per event and audience: a second event about the same proposal is news."""
    user = manager(uow)
    event = offered(CITY, user)
    tell(uow, event)
    tell(uow, event.model_copy(update={"event_id": uuid.uuid4()}))
    assert run(uow, inbox.count_unread, contract.CountUnread(tenant_id=CITY, user_id=user)
               ).unread == 2
