"""Real local receivers for tests: DingTalk and WeCom robots, a webhook receiver and SMTP.

Each runs in a background thread on 127.0.0.1 with a free port, is a context manager, keeps
everything it was sent (`seen`) and what it accepted (`received`), and can be told to misbehave
for its next requests (`fail`, `throttle`, `hang`, `refuse`)."""

from .dingtalk import DingTalkRobot
from .http_receiver import Request
from .smtp import Mail, SmtpServer
from .webhook import WebhookReceiver
from .wecom import WeComRobot

__all__ = ["DingTalkRobot", "Mail", "Request", "SmtpServer", "WeComRobot", "WebhookReceiver"]
