"""A delivery read for sending (a `Job`), and its one send on its medium."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

import httpx

from guiyan_contracts.notification import AttemptOutcome, Medium

from ..adapters import dingtalk, webhook, wecom
from ..adapters.email import send_email
from ..adapters.orm import Delivery, Notice
from ..adapters.outcome import Outcome
from ..config import NotificationSettings
from ..domain.notices import Content
from ..domain.rendering import Rendered, Shown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A delivery due, read for sending: what to send, and where."""

    delivery_id: str
    medium: Medium
    lane: str  # sends on one lane go one after another: a robot, or one reader's mailbox
    rendered: Rendered
    address: str | None = None  # email
    url: str | None = None  # a robot's or webhook's
    secret: str | None = None
    keyword: str | None = None


def lane_of(delivery: Delivery) -> str:
    return delivery.channel_id or f"email:{delivery.recipient}"


async def send(client: httpx.AsyncClient, settings: NotificationSettings, job: Job) -> Outcome:
    """One send, whatever happens: an adapter's own failure is an outcome too, so that no
    attempt is left open by it."""
    try:
        return await _send(client, settings, job)
    except Exception as error:
        log.exception("sending delivery %s failed", job.delivery_id)
        return Outcome(AttemptOutcome.transient, error=type(error).__name__)


async def _send(client: httpx.AsyncClient, settings: NotificationSettings, job: Job) -> Outcome:
    message = job.rendered
    if job.medium is Medium.email:
        assert job.address is not None
        return await asyncio.to_thread(send_email, settings, job.address, message.subject,
                                       message.text, message.html, f"<{job.delivery_id}@guiyan>")
    assert job.url is not None
    if job.medium is Medium.dingtalk:
        return await dingtalk.send(client, job.url, job.secret, job.keyword, message.subject,
                                   message.markdown, int(time.time() * 1000))
    if job.medium is Medium.wecom:
        return await wecom.send(client, job.url, message.markdown)
    return await webhook.send(client, job.url, job.secret, job.delivery_id,
                              webhook_body(message), int(time.time()))


def webhook_body(message: Rendered) -> bytes:
    return json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode()


def shown_to(notice: Notice, language: str, portal_url: str) -> Shown:
    stored = notice.facts.get(language, {})
    title, body = ((notice.title_zh, notice.body_zh) if language == "zh"
                   else (notice.title_en, notice.body_en))
    content = Content(title=title, body=body,
                      facts=[(label, value) for label, value in stored.get("facts", [])],
                      action=stored.get("action", ""))
    ids = {name: value for name in ("proposal_id", "project_id", "park_id", "task_id")
           if (value := getattr(notice, name)) is not None}
    return Shown(notice.id, notice.kind, content,
                 f"{portal_url.rstrip('/')}{notice.link}" if notice.link else None,
                 notice.created_at, ids)
