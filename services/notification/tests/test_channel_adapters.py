"""The channel adapters against real local receivers over real sockets (guiyan_receivers)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import httpx
import pytest

from guiyan_contracts.notification import AttemptOutcome
from guiyan_notification.adapters import dingtalk, webhook, wecom
from guiyan_notification.adapters.email import send_email
from guiyan_notification.adapters.outcome import Outcome, retry_after
from guiyan_notification.config import NotificationSettings
from guiyan_receivers import DingTalkRobot, SmtpServer, WebhookReceiver, WeComRobot

TOKEN = "b1f0c0ffee5ecre7acce55t0ken"
SIGNING_SECRET = "SEC0a1b2c3d4e5f60718293a4b5c6d7e8f9"
WECOM_KEY = "693a91f6-7f9c-4bc4-97a0-0ec2aaaa5aaa"
WEBHOOK_SECRET = "whsec-kept-by-both-ends"
SMTP_PASSWORD = "correct horse battery staple"
SECRETS = [TOKEN, SIGNING_SECRET, WECOM_KEY, WEBHOOK_SECRET, SMTP_PASSWORD]

OFFER = "## 入园推荐\n\n**尧舜汉服设计工作室** 推荐入驻 曹县汉服产业返乡创业园(补链)。"


def now_ms() -> int:
    return int(time.time() * 1000)


def assert_no_secret(outcome: Outcome) -> None:
    for secret in SECRETS:
        assert secret not in (outcome.error or "")
        assert secret not in (outcome.code or "")


@pytest.fixture
async def client() -> httpx.AsyncClient:
    # The caller's client: its timeout is what a hanging receiver runs into.
    async with httpx.AsyncClient(timeout=0.5) as client:
        yield client


@pytest.fixture
def signed_robot() -> Iterator[DingTalkRobot]:
    with DingTalkRobot(TOKEN, secret=SIGNING_SECRET) as robot:
        yield robot


async def test_a_signed_dingtalk_message_is_accepted(client, signed_robot) -> None:
    outcome = await dingtalk.send(client, signed_robot.url, SIGNING_SECRET, None, "入园推荐",
                                  OFFER, now_ms())

    assert outcome == Outcome(AttemptOutcome.sent, "200")
    [message] = signed_robot.received
    assert message.json() == {"msgtype": "markdown",
                              "markdown": {"title": "入园推荐", "text": OFFER}}


async def test_a_wrong_signing_secret_is_refused_for_good(client, signed_robot) -> None:
    outcome = await dingtalk.send(client, signed_robot.url, "SECnot-the-robots", None, "入园推荐",
                                  OFFER, now_ms())

    assert outcome.outcome is AttemptOutcome.permanent
    assert outcome.code == "errcode 310000"
    assert signed_robot.received == []
    assert_no_secret(outcome)


async def test_a_signature_over_an_hour_old_is_refused(client, signed_robot) -> None:
    outcome = await dingtalk.send(client, signed_robot.url, SIGNING_SECRET, None, "入园推荐",
                                  OFFER, now_ms() - 2 * 3600 * 1000)

    assert (outcome.outcome, outcome.code) == (AttemptOutcome.permanent, "errcode 310000")


async def test_keyword_mode_adds_the_keyword_so_the_robot_takes_it(client) -> None:
    with DingTalkRobot(TOKEN, keyword="归雁") as robot:
        outcome = await dingtalk.send(client, robot.url, None, "归雁", "入园推荐", OFFER, now_ms())

        assert outcome.outcome is AttemptOutcome.sent
        [message] = robot.received
        assert message.json()["markdown"]["text"].startswith("【归雁】\n")


async def test_a_message_already_saying_the_keyword_is_sent_as_written(client) -> None:
    with DingTalkRobot(TOKEN, keyword="入园推荐") as robot:
        await dingtalk.send(client, robot.url, None, "入园推荐", "入园推荐", OFFER, now_ms())

        assert robot.received[0].json()["markdown"]["text"] == OFFER


async def test_a_message_without_the_keyword_is_refused_by_the_robot(client) -> None:
    with DingTalkRobot(TOKEN, keyword="归雁") as robot:
        outcome = await dingtalk.send(client, robot.url, None, None, "入园推荐", OFFER, now_ms())

        assert (outcome.outcome, outcome.code) == (AttemptOutcome.permanent, "errcode 310000")
        assert outcome.error == "keywords not in content"


async def test_a_wrong_access_token_is_refused_without_naming_it(client, signed_robot) -> None:
    url = signed_robot.url.replace(TOKEN, TOKEN[::-1])
    outcome = await dingtalk.send(client, url, SIGNING_SECRET, None, "t", OFFER, now_ms())

    assert (outcome.outcome, outcome.code) == (AttemptOutcome.permanent, "errcode 300001")
    assert TOKEN[::-1] not in (outcome.error or "")


async def test_a_throttled_robot_is_tried_again_after_a_minute(client, signed_robot) -> None:
    signed_robot.throttle(1)
    outcome = await dingtalk.send(client, signed_robot.url, SIGNING_SECRET, None, "t", OFFER,
                                  now_ms())

    assert outcome == Outcome(AttemptOutcome.throttled, "errcode 130101",
                              "send too fast, exceed 20 times per minute", 60.0)


async def test_a_server_error_is_transient(client, signed_robot) -> None:
    signed_robot.fail(1, status=503)
    outcome = await dingtalk.send(client, signed_robot.url, SIGNING_SECRET, None, "t", OFFER,
                                  now_ms())

    assert outcome == Outcome(AttemptOutcome.transient, "503", "HTTP 503")


async def test_a_hanging_robot_times_out_as_transient(client, signed_robot) -> None:
    signed_robot.hang(1, seconds=3)
    outcome = await dingtalk.send(client, signed_robot.url, SIGNING_SECRET, None, "t", OFFER,
                                  now_ms())

    assert outcome == Outcome(AttemptOutcome.transient, None, "timed out")


async def test_a_robot_nobody_listens_on_is_transient(client) -> None:
    with DingTalkRobot(TOKEN) as robot:
        url = robot.url
    outcome = await dingtalk.send(client, url, None, None, "t", OFFER, now_ms())

    assert outcome == Outcome(AttemptOutcome.transient, None, "connection failed")


async def test_wecom_takes_long_chinese_markdown_cut_to_its_limit(client) -> None:
    long_offer = "\n".join(f"- 第{n}个项目:尧舜汉服设计工作室,推荐入驻曹县汉服产业返乡创业园"
                           for n in range(200))
    with WeComRobot(WECOM_KEY) as robot:
        outcome = await wecom.send(client, robot.url, long_offer)

        assert outcome.outcome is AttemptOutcome.sent
        content = robot.received[0].json()["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith("\n…")  # cut at a line's end, and says so
    assert long_offer.startswith(content.removesuffix("…"))


async def test_wecom_frequency_limit_is_transient_and_a_wrong_key_permanent(client) -> None:
    with WeComRobot(WECOM_KEY) as robot:
        robot.throttle(1)
        throttled = await wecom.send(client, robot.url, OFFER)
        wrong_key = await wecom.send(client, robot.url.replace(WECOM_KEY, "0" * 36), OFFER)

    assert throttled == Outcome(AttemptOutcome.throttled, "errcode 45009",
                                "api freq out of limit", 60.0)
    assert (wrong_key.outcome, wrong_key.code) == (AttemptOutcome.permanent, "errcode 93000")
    assert_no_secret(throttled)


async def test_a_signed_webhook_is_verified_and_a_repeat_dropped(client) -> None:
    body = json.dumps({"kind": "proposal_offered", "park": "曹县汉服产业返乡创业园"},
                      ensure_ascii=False).encode()
    with WebhookReceiver(WEBHOOK_SECRET) as receiver:
        first = await webhook.send(client, receiver.url, WEBHOOK_SECRET, "delivery-1", body,
                                   int(time.time()))
        again = await webhook.send(client, receiver.url, WEBHOOK_SECRET, "delivery-1", body,
                                   int(time.time()))

        assert first == again == Outcome(AttemptOutcome.sent, "200")
        [taken] = receiver.received
        assert taken.body == body
        assert receiver.duplicates == ["delivery-1"]
        assert taken.headers["user-agent"] == "Guiyan-Webhook/1"
        assert taken.headers["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("secret, age_seconds", [("forged", 0), (WEBHOOK_SECRET, 301)],
                         ids=["forged", "too-old"])
async def test_a_forged_or_old_signature_is_refused_for_good(client, secret, age_seconds) -> None:
    with WebhookReceiver(WEBHOOK_SECRET) as receiver:
        outcome = await webhook.send(client, receiver.url, secret, "delivery-2", b"{}",
                                     int(time.time()) - age_seconds)

        assert outcome == Outcome(AttemptOutcome.permanent, "401", "HTTP 401")
        assert receiver.received == []


async def test_a_throttling_webhook_says_when_to_come_back(client) -> None:
    with WebhookReceiver(WEBHOOK_SECRET) as receiver:
        receiver.throttle(1)
        outcome = await webhook.send(client, receiver.url, WEBHOOK_SECRET, "delivery-3", b"{}",
                                     int(time.time()))

    assert outcome == Outcome(AttemptOutcome.throttled, "429", "HTTP 429", 30.0)


def test_a_retry_after_date_written_in_utc_is_read_as_such() -> None:
    later = datetime.now(UTC) + timedelta(seconds=120)
    answer = httpx.Response(429, headers={
        "Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S -0000")})
    assert 100 < retry_after(answer) <= 120


def smtp_settings(server: SmtpServer, **overrides: object) -> NotificationSettings:
    return NotificationSettings(smtp_host=server.host, smtp_port=server.port,
                                smtp_from="guiyan@heze.example", smtp_timeout_seconds=2,
                                **overrides)


def mail_to(settings: NotificationSettings) -> Outcome:
    return send_email(settings, "mgr@heze.example", "入园推荐:尧舜汉服设计工作室",
                      "请在七天内决定。", "<p>请在<b>七天</b>内决定。</p>", "delivery-42")


def test_an_email_is_multipart_with_its_chinese_subject_decoded_back() -> None:
    with SmtpServer() as server:
        outcome = mail_to(smtp_settings(server))

        [mail] = server.received
    assert outcome == Outcome(AttemptOutcome.sent, "SMTP 250")
    raw_subject = mail.content.split(b"\r\nSubject: ", 1)[1].split(b"\r\n", 1)[0]
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject
    assert str(make_header(decode_header(raw_subject.decode()))) == "入园推荐:尧舜汉服设计工作室"
    assert mail.message["Subject"] == "入园推荐:尧舜汉服设计工作室"
    assert mail.message["Message-ID"] == "<delivery-42@heze.example>"
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.message.get_body(("plain",)).get_content().strip() == "请在七天内决定。"
    assert "<b>七天</b>" in mail.message.get_body(("html",)).get_content()


def test_a_subject_no_header_can_carry_fails_for_good_without_a_send() -> None:
    with SmtpServer() as server:
        outcome = send_email(smtp_settings(server), "mgr@heze.example", "两行\n标题", "t", "<p>t</p>",
                             "delivery-43")
        assert server.received == []
    assert outcome.outcome is AttemptOutcome.permanent


def test_starttls_and_login_work_against_a_relay_that_requires_both() -> None:
    with SmtpServer(starttls=True, username="guiyan", password=SMTP_PASSWORD) as server:
        outcome = mail_to(smtp_settings(server, smtp_starttls=True, smtp_username="guiyan",
                                        smtp_password=SMTP_PASSWORD,
                                        smtp_ca_file=str(server.ca_file)))

        assert outcome.outcome is AttemptOutcome.sent
        assert len(server.received) == 1


def test_a_wrong_password_is_refused_for_good() -> None:
    with SmtpServer(starttls=True, username="guiyan", password=SMTP_PASSWORD) as server:
        outcome = mail_to(smtp_settings(server, smtp_starttls=True, smtp_username="guiyan",
                                        smtp_password="wrong", smtp_ca_file=str(server.ca_file)))

    assert (outcome.outcome, outcome.code) == (AttemptOutcome.permanent, "SMTP 535")
    assert_no_secret(outcome)


def test_an_untrusted_certificate_is_refused_for_good() -> None:
    with SmtpServer(starttls=True) as server:
        outcome = mail_to(smtp_settings(server, smtp_starttls=True))

    assert outcome == Outcome(AttemptOutcome.permanent, None,
                              "the server's TLS certificate is not trusted")


def test_a_451_is_transient_and_a_550_permanent() -> None:
    with SmtpServer() as server:
        server.fail(1, code=451)
        server.refuse(1)
        settings = smtp_settings(server)
        later, never = mail_to(settings), mail_to(settings)

        assert server.received == []
    assert (later.outcome, later.code) == (AttemptOutcome.transient, "SMTP 451")
    assert (never.outcome, never.code) == (AttemptOutcome.permanent, "SMTP 550")


def test_a_mail_server_that_is_not_there_is_transient() -> None:
    with SmtpServer() as server:
        settings = smtp_settings(server)
    assert mail_to(settings) == Outcome(AttemptOutcome.transient, None,
                                        "connection failed (ConnectionRefusedError)")

