"""The sender against real local receivers on real sockets: retries then success, a permanent
failure recorded once, a digest as one message, a robot's rate limit, an attempt whose outcome a
crash lost, and a channel that keeps failing."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import User
from guiyan_contracts.refusals import Conflict
from guiyan_contracts.registry import UserRegistered
from guiyan_eventing.database_thread import in_place
from guiyan_eventing.outbox import OutboxMessage
from guiyan_notification.adapters.orm import Attempt, Delivery, Notice
from guiyan_notification.config import NotificationSettings
from guiyan_notification.entrypoints.app import build
from guiyan_notification.service_layer import channels
from guiyan_notification.service_layer.handlers import record_user
from guiyan_notification.service_layer.jobs import send
from guiyan_notification.service_layer.log import list_deliveries, resend
from guiyan_notification.service_layer.sender import Sender
from guiyan_notification.service_layer.telling import Telling
from guiyan_receivers import DingTalkRobot, SmtpServer, WebhookReceiver, WeComRobot

from .test_delivery import offered
from .test_telling import prefer, run, tell, withdrawn

CITY = "heze"
SECRET = "whsec-7c1d"



def sender(uow, **settings: object) -> Sender:
    configured = NotificationSettings(**{
        "retry_base_seconds": 0, "channel_timeout_seconds": 0.5, "delivery_max_attempts": 4,
        "portal_url": "https://guiyan.heze.gov.cn"} | settings)
    return Sender(uow, configured, in_place, Telling(bool(configured.smtp_host), 0))


def channel(uow, url: str, kind: str = "webhook", secret: str | None = SECRET,
            **fields: object) -> str:
    created = run(uow, channels.ChannelWriter(private_addresses=True).create, contract.CreateChannel(
        tenant_id=CITY, secret=secret, channel=contract.ChannelFields(
            kind=kind, name="曹县汉服园群", park_id="hanfu", url=url, **fields)))
    return created.id


def log(uow) -> list[contract.Delivery]:
    return run(uow, list_deliveries, contract.ListDeliveries(tenant_id=CITY)).items


def due_now(uow) -> None:
    """Every delivery due at once, as when the wait it was given has passed."""
    with uow() as unit:
        for delivery in unit.session.exec(select(Delivery)):
            delivery.next_attempt_at = utc_now()
            unit.session.add(delivery)
        unit.commit()


async def drain(sending: Sender, passes: int = 10) -> None:
    """Send until nothing is due: a retry due at once is sent in the next pass."""
    for _ in range(passes):
        claimed = await sending.send_due()
        await sending.settle()
        if not claimed:
            return


async def test_a_transient_failure_is_retried_until_it_is_sent(uow) -> None:
    with WebhookReceiver(SECRET) as receiver:
        channel(uow, receiver.url)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        receiver.fail(2, status=503)
        await drain(sender(uow))
    (delivery,) = log(uow)
    assert delivery.status == "sent" and len(receiver.received) == 1
    assert [(a.outcome, a.response_code) for a in delivery.attempts] == [
        ("transient", "503"), ("transient", "503"), ("sent", "200")]
    body = receiver.received[0].json()
    assert body["notifications"][0]["url"].startswith("https://guiyan.heze.gov.cn/proposals/")
    assert receiver.received[0].headers["idempotency-key"] == delivery.idempotency_key


async def test_a_permanent_failure_is_recorded_once_and_not_tried_again(uow) -> None:
    with DingTalkRobot("token-1", secret="SECright") as robot:
        channel(uow, robot.url, kind="dingtalk", secret="SECwrong")
        tell(uow, offered(CITY, "mgr-a"), email=False)
        await drain(sender(uow))
    (delivery,) = log(uow)
    assert delivery.status == "failed" and len(robot.seen) == 1
    (attempt,) = delivery.attempts
    assert (attempt.outcome, attempt.response_code) == ("permanent", "errcode 310000")
    assert "SECwrong" not in attempt.error and "token-1" not in attempt.error


async def test_a_receiver_that_keeps_failing_is_given_up_on_after_the_last_attempt(uow) -> None:
    with WebhookReceiver(SECRET) as receiver:
        channel(uow, receiver.url)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        receiver.hang(10, seconds=2)
        await drain(sender(uow, delivery_max_attempts=2))
    (delivery,) = log(uow)
    assert delivery.status == "failed"
    assert [(a.outcome, a.error) for a in delivery.attempts] == [("transient", "timed out")] * 2


async def test_offers_within_the_window_reach_a_group_chat_as_one_digest(uow) -> None:
    with DingTalkRobot("token-1", secret="SECright") as robot:
        channel(uow, robot.url, kind="dingtalk", secret="SECright")
        for _ in range(3):
            tell(uow, offered(CITY, "mgr-a"), email=False, digest=60)
        sending = sender(uow)
        await drain(sending)
        assert robot.seen == []  # the window is open
        due_now(uow)  # the window closes
        await drain(sending)
    (message,) = robot.received
    markdown = message.json()["markdown"]["text"]
    assert markdown.startswith("### 您有 3 条新消息") and markdown.count("#### 新的入园推荐") == 3


async def test_a_robot_gets_at_most_twenty_a_minute_and_the_rest_wait_their_turn(uow) -> None:
    with WeComRobot("key-1") as robot:
        channel(uow, robot.url, kind="wecom", secret=None)
        for _ in range(25):
            tell(uow, offered(CITY, "mgr-a"), email=False)
        sending = sender(uow)
        await drain(sending)
        assert len(robot.received) == 20
        waiting = [d for d in log(uow) if d.status == "pending"]
        first = min(a.started_at for d in log(uow) for a in d.attempts)
        assert len(waiting) == 5
        # a minute after the first of the twenty (as it was planned, a moment before it began)
        assert all(d.next_attempt_at >= first + timedelta(seconds=59) for d in waiting)
        with uow() as unit:  # a minute passes
            for attempt in unit.session.exec(select(Attempt)):
                attempt.started_at -= timedelta(minutes=1)
                unit.session.add(attempt)
            unit.commit()
        due_now(uow)
        await drain(sending)
    assert len(robot.received) == 25  # queued, never dropped


async def test_an_attempt_a_crash_left_open_is_sent_again_and_flagged(uow) -> None:
    with WebhookReceiver(SECRET) as receiver:
        channel(uow, receiver.url)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        crashed = sender(uow)
        jobs = crashed._claim(set())
        crashed._begin_attempt(jobs[0])  # the process dies during this send, after it arrived
        await send(httpx.AsyncClient(), NotificationSettings(), jobs[0])
        restarted = sender(uow)
        restarted.recover()
        await drain(restarted)
    flagged, clean = sorted(log(uow), key=lambda d: not d.outcome_unknown)
    assert (flagged.id, flagged.status, [a.outcome for a in flagged.attempts]) == (
        jobs[0].delivery_id, "sent", ["unknown", "sent"])
    assert (clean.status, [a.outcome for a in clean.attempts]) == ("sent", ["sent"])
    assert len(receiver.received) == 2 and receiver.duplicates == [jobs[0].delivery_id]


async def test_a_channel_that_keeps_failing_tells_the_city_s_admins_once(uow) -> None:
    run(uow, record_user, UserRegistered(producer="registry", tenant_id=CITY, user=User(
        id="heze-admin", tenant_id=CITY, name="管理员", role="admin")))
    with WebhookReceiver("another secret") as receiver:
        channel_id = channel(uow, receiver.url)
        for _ in range(4):
            tell(uow, offered(CITY, "mgr-a"), email=False)
        await drain(sender(uow, channel_failing_after=3, delivery_max_attempts=1))
    with uow() as unit:
        alerts = [(n.user_id, n.link, n.title_zh, n.body_zh) for n in unit.session.exec(
            select(Notice).where(Notice.kind == "channel_failing"))]
        events = [e.subject for e in unit.session.exec(select(OutboxMessage))]
    ((user_id, link, title, body),) = alerts
    assert (user_id, link) == ("heze-admin", f"/admin/channels/{channel_id}")
    assert "曹县汉服园群" in title and "401" in body
    assert events == [contract.ChannelFailing.SUBJECT]


async def test_a_test_message_reaches_the_channel_and_says_what_the_receiver_answered(uow) -> None:
    with DingTalkRobot("token-1", keyword="归雁") as robot:
        channel_id = channel(uow, robot.url, kind="dingtalk", secret=None, keyword="归雁")
        attempt = await sender(uow).test(contract.TestChannel(tenant_id=CITY,
                                                              channel_id=channel_id,
                                                              sent_by="heze-admin"))
    assert (attempt.outcome, attempt.response_code) == ("sent", "200")
    assert "测试消息" in robot.received[0].json()["markdown"]["text"]


async def test_preferences_choose_the_media_and_an_offer_still_reaches_the_inbox(uow) -> None:
    run(uow, record_user, UserRegistered(producer="registry", tenant_id=CITY, user=User(
        id="mgr-a", tenant_id=CITY, name="负责人", role="park_manager",
        email="mgr-a@heze.example.cn")))
    prefer(uow, "mgr-a", contract.NoticeKind.proposal_offered, [contract.Medium.dingtalk])
    prefer(uow, "mgr-a", contract.NoticeKind.proposal_withdrawn, [contract.Medium.email])
    with DingTalkRobot("token-1") as robot, SmtpServer() as mail:
        run(uow, channels.ChannelWriter(private_addresses=True).create, contract.CreateChannel(
            tenant_id=CITY, channel=contract.ChannelFields(
                kind="dingtalk", name="王经理的钉钉", user_id="mgr-a", url=robot.url)))
        tell(uow, offered(CITY, "mgr-a"))
        tell(uow, withdrawn("mgr-a"))
        await drain(sender(uow, smtp_host=mail.host, smtp_port=mail.port))
        assert ["新的入园推荐" in r.json()["markdown"]["text"] for r in robot.received] == [True]
        assert ["推荐已撤回" in m["Subject"] for m in mail.messages] == [True]
    with uow() as unit:
        inbox = [(n.kind, n.in_inbox) for n in unit.session.exec(
            select(Notice).where(Notice.user_id == "mgr-a").order_by(Notice.created_at))]
    assert inbox == [("proposal_offered", True), ("proposal_withdrawn", False)]


async def test_a_hanging_receiver_holds_up_only_its_own_lane(uow) -> None:
    with WebhookReceiver(SECRET) as slow, DingTalkRobot("token-1") as quick:
        channel(uow, slow.url)
        run(uow, channels.ChannelWriter(private_addresses=True).create, contract.CreateChannel(
            tenant_id=CITY, channel=contract.ChannelFields(
                kind="dingtalk", name="王经理的钉钉", user_id="mgr-a", url=quick.url)))
        for _ in range(3):
            tell(uow, offered(CITY, "mgr-a"), email=False)
        slow.hang(10, seconds=5)
        sending = sender(uow, channel_timeout_seconds=3)
        await sending.send_due()
        for _ in range(40):  # the robot's three are sent while the webhook's first still hangs
            if len(quick.received) == 3:
                break
            await asyncio.sleep(0.05)
        assert len(quick.received) == 3 and len(slow.seen) == 1
        await sending.settle()
    webhook = [d for d in log(uow) if d.medium == "webhook"]
    assert len(slow.seen) == 1  # a timeout: the rest of its lane waits with it, untried
    assert sorted(len(d.attempts) for d in webhook) == [0, 0, 1]
    assert all(d.status == "pending" for d in webhook)


async def test_a_throttling_robot_is_waited_for_and_not_counted_as_failing(uow) -> None:
    with DingTalkRobot("token-1") as robot:
        channel_id = channel(uow, robot.url, kind="dingtalk", secret=None)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        robot.throttle(3)
        sending = sender(uow, delivery_max_attempts=2, channel_failing_after=2)
        for _ in range(4):
            await drain(sending)
            due_now(uow)  # the minute it asked for passes
    (delivery,) = log(uow)
    assert [a.outcome for a in delivery.attempts] == ["throttled"] * 3 + ["sent"]
    assert delivery.status == "sent"
    shown = run(uow, channels.get_channel, contract.GetChannel(tenant_id=CITY,
                                                               channel_id=channel_id))
    with uow() as unit:
        alerts = unit.session.exec(select(Notice).where(Notice.kind == "channel_failing")).all()
    assert shown.consecutive_failures == 0 and alerts == []


async def test_a_resend_numbers_its_attempts_on_and_has_the_whole_limit_again(uow) -> None:
    with WebhookReceiver(SECRET) as receiver:
        channel(uow, receiver.url)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        receiver.fail(3, status=503)
        await drain(sender(uow, delivery_max_attempts=2))
        (failed,) = log(uow)
        assert failed.status == "failed"
        run(uow, resend, contract.ResendDelivery(tenant_id=CITY, delivery_id=failed.id,
                                                 resent_by="heze-admin"))
        await drain(sender(uow, delivery_max_attempts=2))
    (delivery,) = log(uow)
    assert [(a.number, a.outcome) for a in delivery.attempts] == [
        (1, "transient"), (2, "transient"), (3, "transient"), (4, "sent")]
    with pytest.raises(Conflict):  # sent: nothing to send again
        run(uow, resend, contract.ResendDelivery(tenant_id=CITY, delivery_id=delivery.id,
                                                 resent_by="heze-admin"))


async def test_no_log_line_carries_a_robot_s_token(uow, nats_url, tmp_path, caplog) -> None:
    build(NotificationSettings(nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'n.db'}"))
    caplog.set_level(logging.DEBUG)
    with WeComRobot("wecom-key-7f3a") as robot:
        channel(uow, robot.url, kind="wecom", secret=None)
        tell(uow, offered(CITY, "mgr-a"), email=False)
        robot.refuse(1)
        await drain(sender(uow))
    assert robot.seen and "wecom-key-7f3a" not in caplog.text
