"""Email over SMTP: one multipart message (plain text and HTML), sent synchronously; the caller
runs it in a worker thread."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from ..config import NotificationSettings
from .outcome import Outcome, permanent, redacted, sent, transient


def compose(settings: NotificationSettings, to: str, subject: str, text: str, html: str,
            message_id: str) -> EmailMessage:
    # The default policy writes a Chinese subject as RFC 2047 encoded words in UTF-8, which
    # every mail client decodes; the body parts go as UTF-8 too.
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id_header(message_id, settings.smtp_from)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def message_id_header(message_id: str, sender: str) -> str:
    """The same delivery gives the same Message-ID on every attempt, so a mail system that saw
    it once can drop the copy a retry sends after a lost answer."""
    if message_id.startswith("<"):
        return message_id
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{message_id}@{domain}>"


def send_email(settings: NotificationSettings, to: str, subject: str, text: str, html: str,
               message_id: str) -> Outcome:
    assert settings.smtp_host is not None, "email is sent only when SMTP is configured"
    try:
        message = compose(settings, to, subject, text, html, message_id)
    except ValueError:  # a header that cannot be written (a line break in it): never will be
        return permanent(None, "the message's headers cannot be written")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=settings.smtp_ca_file))
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()))
        return smtp_reply(code, reply, settings)
    except smtplib.SMTPResponseException as error:
        return smtp_reply(error.smtp_code, error.smtp_error, settings)
    except smtplib.SMTPServerDisconnected:
        return transient(None, "connection closed by the server")
    except smtplib.SMTPNotSupportedError:
        return permanent(None, "the server does not offer STARTTLS or AUTH as configured")
    except smtplib.SMTPException as error:
        return permanent(None, f"SMTP error ({type(error).__name__})")
    except TimeoutError:
        return transient(None, "timed out")
    except ssl.SSLCertVerificationError:
        # A certificate that does not verify will not start to: an admin has to fix it.
        return permanent(None, "the server's TLS certificate is not trusted")
    except OSError as error:
        return transient(None, f"connection failed ({type(error).__name__})")
    return sent("SMTP 250")


def smtp_reply(code: int, reply: bytes | str, settings: NotificationSettings) -> Outcome:
    """SMTP's own classes: 5xx refuses for good (550 no such mailbox, 535 wrong credentials,
    554 rejected); 4xx asks to try again later, and so does a reply that is neither."""
    words = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    error = redacted(f"SMTP {code} {words}".strip(), [settings.smtp_password])
    if 500 <= code < 600:
        return permanent(f"SMTP {code}", error)
    return transient(f"SMTP {code}", error)
