"""Sends pending email deliveries, retrying with backoff; the delivery log records every outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import col, select

from guiyan_contracts.envelope import utc_now

from ..adapters.email import send_email
from ..adapters.orm import Delivery, InboxRow, Recipient
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings

log = logging.getLogger(__name__)


class EmailSender:
    def __init__(self, unit_of_work: Callable[[], NotificationUnitOfWork],
                 settings: NotificationSettings) -> None:
        self._unit_of_work = unit_of_work
        self._settings = settings
        self._wake = asyncio.Event()

    def notify(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:
                log.exception("email delivery pass failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), 1.0)
            except TimeoutError:
                pass

    async def send_due(self) -> None:
        with self._unit_of_work() as uow:
            due = list(uow.session.exec(
                select(Delivery).where(Delivery.status == "pending")
                .where(col(Delivery.next_attempt_at) <= utc_now()).limit(50)))
            for delivery in due:
                await self._attempt(uow, delivery)
                uow.commit()

    async def _attempt(self, uow: NotificationUnitOfWork, delivery: Delivery) -> None:
        item = uow.session.get(InboxRow, delivery.inbox_item_id)
        assert item is not None
        recipient = uow.session.get(Recipient, item.user_id)
        delivery.attempts += 1
        try:
            if recipient is None or not recipient.email:
                raise LookupError(f"no email address known for user {item.user_id}")
            subject = f"{item.title_zh} / {item.title_en}"
            body = f"{item.body_zh}\n\n{item.body_en}\n"
            await asyncio.to_thread(send_email, self._settings, recipient.email, subject, body)
        except Exception as error:  # noqa: BLE001 - every failure is logged and retried
            delivery.last_error = repr(error)[:1000]
            retries = self._settings.email_retry_seconds
            if delivery.attempts >= self._settings.email_max_attempts or not retries:
                delivery.status = "failed"
                log.warning("email for %s failed for good: %r", item.user_id, error)
            else:
                wait = retries[min(delivery.attempts, len(retries)) - 1]
                delivery.next_attempt_at = utc_now() + timedelta(seconds=wait)
        else:
            delivery.status, delivery.sent_at = "sent", utc_now()
