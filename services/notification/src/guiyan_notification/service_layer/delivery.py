"""Sends pending email deliveries, retrying with backoff; the delivery log records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from sqlmodel import col, select

from guiyan_contracts.envelope import utc_now
from guiyan_eventing.database_thread import RunsDatabaseWork

from ..adapters.email import send_email
from ..adapters.orm import Delivery, InboxRow, Recipient
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings

log = logging.getLogger(__name__)


class EmailSender:
    def __init__(self, unit_of_work: Callable[[], NotificationUnitOfWork],
                 settings: NotificationSettings, database: RunsDatabaseWork) -> None:
        self._unit_of_work = unit_of_work
        self._database = database
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
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: see OutboxRelay.run
                async with asyncio.timeout(1.0):
                    await self._wake.wait()

    async def send_due(self) -> None:
        """Read what is due, send with no transaction open, then record each outcome. A crash
        between a send and its record sends that email again: delivery is at least once.

        A transaction held across the send would block every other writer for the whole SMTP
        conversation."""
        for delivery_id, address, subject, body in await self._database(self._due):
            if address is None:  # nobody to write to: the inbox item is the whole delivery
                await self._database(partial(self._record, delivery_id, None, status="skipped"))
                continue
            try:
                await asyncio.to_thread(send_email, self._settings, address, subject, body)
            except Exception as error:
                failure: str | None = repr(error)
            else:
                failure = None
            await self._database(partial(self._record, delivery_id, failure))

    def _due(self) -> list[tuple[int | None, str | None, str, str]]:
        with self._unit_of_work() as uow:
            return [(d.id, *self._envelope(uow, d)) for d in uow.session.exec(
                select(Delivery).where(Delivery.status == "pending")
                .where(col(Delivery.next_attempt_at) <= utc_now()).limit(50))]

    @staticmethod
    def _envelope(uow: NotificationUnitOfWork, delivery: Delivery) -> tuple[str | None, str, str]:
        item = uow.session.get(InboxRow, delivery.inbox_item_id)
        assert item is not None, "a delivery always belongs to an inbox item"
        recipient = uow.session.get(Recipient, item.user_id)
        address = recipient.email if recipient else None
        return (address, f"{item.title_zh} / {item.title_en}",
                f"{item.body_zh}\n\n{item.body_en}\n")

    def _record(self, delivery_id: int | None, error: str | None, status: str = "sent") -> None:
        with self._unit_of_work() as uow:
            delivery = uow.session.get(Delivery, delivery_id)
            if delivery is None:  # its item was erased with its person while being sent
                return
            delivery.attempts += 1
            if error is None:
                delivery.status, delivery.sent_at = status, utc_now()
            else:
                delivery.last_error = error[:1000]
                retries = self._settings.email_retry_seconds
                if delivery.attempts >= self._settings.email_max_attempts or not retries:
                    delivery.status = "failed"
                    log.warning("email delivery %s failed for good: %s", delivery_id, error)
                else:
                    wait = retries[min(delivery.attempts, len(retries)) - 1]
                    delivery.next_attempt_at = utc_now() + timedelta(seconds=wait)
            uow.commit()
