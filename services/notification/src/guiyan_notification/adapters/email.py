"""Email over SMTP: a real send, run in a worker thread."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from ..config import NotificationSettings


def send_email(settings: NotificationSettings, to: str, subject: str, body: str) -> None:
    assert settings.smtp_host is not None
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
