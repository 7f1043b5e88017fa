"""The receivers themselves, lightly: the adapters' tests exercise them in depth."""

from __future__ import annotations

import json
import smtplib
import time
import urllib.request
from email.message import EmailMessage

from guiyan_receivers import DingTalkRobot, SmtpServer, WebhookReceiver, WeComRobot


def post(url: str, payload: object, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


MARKDOWN = {"msgtype": "markdown", "markdown": {"title": "t", "text": "归雁"}}


def test_a_dingtalk_robot_sees_everything_and_keeps_what_it_took() -> None:
    with DingTalkRobot("token", keyword="归雁") as robot:
        robot.fail(1, status=502)
        robot.refuse(1)
        answers = [post(robot.url, MARKDOWN) for _ in range(3)]
        wrong_token = post(robot.url.replace("token", "other"), MARKDOWN)

        assert answers == [(502, {"error": "failing as told"}),
                           (200, {"errcode": 300001, "errmsg": "token is not exist"}),
                           (200, {"errcode": 0, "errmsg": "ok"})]
        assert wrong_token[1]["errcode"] == 300001
        assert len(robot.seen) == 4 and len(robot.received) == 1
        assert robot.received[0].at <= robot.seen[-1].at


def test_a_signed_robot_refuses_an_unsigned_message() -> None:
    with DingTalkRobot("token", secret="SECx") as robot:
        assert post(robot.url, MARKDOWN)[1]["errcode"] == 310000


def test_wecom_refuses_markdown_over_4096_bytes() -> None:
    with WeComRobot("key") as robot:
        status, answer = post(robot.url, {"msgtype": "markdown",
                                          "markdown": {"content": "园" * 1366}})

    assert (status, answer["errcode"]) == (200, 40058)


def test_a_webhook_receiver_refuses_a_request_without_a_signature() -> None:
    with WebhookReceiver("secret") as receiver:
        status, _ = post(receiver.url, {}, {"Idempotency-Key": "k",
                                            "X-Guiyan-Signature": f"t={int(time.time())},v1=00"})

        assert status == 401 and receiver.received == [] and len(receiver.seen) == 1


def test_an_smtp_server_keeps_parsed_messages() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "归雁"
    message.set_content("你好")
    with SmtpServer() as server, smtplib.SMTP(server.host, server.port, timeout=5) as smtp:
        smtp.send_message(message)

        assert server.messages[0]["Subject"] == "归雁"
        assert server.received[0].rcpt_tos == ["b@example.org"]
