"""Sends what is due, on every medium, and logs every attempt.

Each attempt is written just before its send and completed after it, in transactions of their
own: a transaction held across a send would block every other writer for the whole conversation
with the receiver. A process killed between the two leaves the attempt unfinished; the restart
marks its outcome unknown, flags the delivery, and sends it again under the same Idempotency-Key.
That is the one way a receiver can see a message twice, and the key lets it drop the copy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlmodel import col, select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.notification import AttemptOutcome, DeliveryStatus, Medium
from guiyan_contracts.refusals import NotFound
from guiyan_eventing.database_thread import RunsDatabaseWork

from ..adapters import dingtalk, webhook, wecom
from ..adapters.email import send_email
from ..adapters.orm import Attempt, Channel, DeliveredNotice, Delivery, Notice, Recipient
from ..adapters.outcome import Outcome
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings
from ..domain import notices
from ..domain.notices import Content
from ..domain.rate_limit import WINDOW, next_slot
from ..domain.rendering import Rendered, Shown, render
from ..domain.retry import RetryPolicy
from .telling import Telling, tell

log = logging.getLogger(__name__)
ROBOTS = {Medium.dingtalk.value, Medium.wecom.value}


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


class Sender:
    def __init__(self, unit_of_work: Callable[[], NotificationUnitOfWork],
                 settings: NotificationSettings, database: RunsDatabaseWork) -> None:
        self._unit_of_work = unit_of_work
        self._settings = settings
        self._database = database
        self._policy = RetryPolicy(settings.delivery_max_attempts, settings.retry_base_seconds,
                                   settings.retry_cap_seconds)
        self._how = Telling(email_enabled=bool(settings.smtp_host),
                            digest_seconds=settings.digest_seconds)
        self._wake = asyncio.Event()
        self._client = httpx.AsyncClient(timeout=settings.channel_timeout_seconds,
                                         follow_redirects=False)

    def notify(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        await self._database(self.recover)
        while True:
            try:
                while await self.send_due():
                    pass
            except Exception:
                log.exception("a delivery pass failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: see OutboxRelay.run
                async with asyncio.timeout(1.0):
                    await self._wake.wait()

    def recover(self) -> None:
        """Attempts a killed process left unfinished: their outcome is unknown, so their
        deliveries go again, flagged."""
        with self._unit_of_work() as uow:
            now = utc_now()
            for attempt in uow.session.exec(select(Attempt).where(
                    col(Attempt.finished_at).is_(None))):
                attempt.finished_at, attempt.outcome = now, AttemptOutcome.unknown.value
                uow.session.add(attempt)
                delivery = uow.session.get(Delivery, attempt.delivery_id)
                if delivery is not None and delivery.status == DeliveryStatus.sending.value:
                    delivery.status = DeliveryStatus.pending.value
                    delivery.outcome_unknown, delivery.next_attempt_at = True, now
                    uow.session.add(delivery)
            uow.commit()

    async def send_due(self) -> int:
        """Send one batch of what is due, each lane in turn and the lanes side by side: a
        receiver that hangs holds up only its own messages. Returns how many were claimed."""
        jobs = await self._database(self._claim)
        lanes: dict[str, list[Job]] = defaultdict(list)
        for job in jobs:
            lanes[job.lane].append(job)
        await asyncio.gather(*(self._send_lane(lane) for lane in lanes.values()))
        return len(jobs)

    async def _send_lane(self, jobs: list[Job]) -> None:
        for job in jobs:
            attempt_id = await self._database(partial(self._begin_attempt, job))
            if attempt_id is None:  # cancelled or erased since it was read
                continue
            try:
                outcome = await self._send(job)
            except Exception as error:  # an adapter's bug must not leave the attempt open
                log.exception("sending delivery %s failed", job.delivery_id)
                outcome = Outcome(AttemptOutcome.transient, error=type(error).__name__)
            await self._database(partial(self._record, job, attempt_id, outcome))

    async def _send(self, job: Job) -> Outcome:
        message = job.rendered
        if job.medium is Medium.email:
            assert job.address is not None
            return await asyncio.to_thread(send_email, self._settings, job.address,
                                           message.subject, message.text, message.html,
                                           f"<{job.delivery_id}@guiyan>")
        assert job.url is not None
        if job.medium is Medium.dingtalk:
            return await dingtalk.send(self._client, job.url, job.secret, job.keyword,
                                       message.subject, message.markdown,
                                       int(time.time() * 1000))
        if job.medium is Medium.wecom:
            return await wecom.send(self._client, job.url, message.markdown)
        return await webhook.send(self._client, job.url, job.secret, job.delivery_id,
                                  webhook_body(message), int(time.time()))

    def _claim(self) -> list[Job]:
        """What is due, read and rendered in one transaction; a robot at its rate limit has its
        excess moved to its next free slot. Nothing is sent between two claims, so a delivery
        read here is not read again before it is sent."""
        with self._unit_of_work() as uow:
            now = utc_now()
            due = list(uow.session.exec(
                select(Delivery).where(Delivery.status == DeliveryStatus.pending.value)
                .where(col(Delivery.next_attempt_at) <= now)
                .order_by(col(Delivery.next_attempt_at))
                .limit(self._settings.delivery_batch)))
            recent: dict[str, list[datetime]] = {}
            jobs = [job for delivery in due
                    if (job := self._begin(uow, delivery, now, recent)) is not None]
            uow.commit()
            return jobs

    def _begin(self, uow: NotificationUnitOfWork, delivery: Delivery, now: datetime,
               recent: dict[str, list[datetime]]) -> Job | None:
        target = self._target(uow, delivery)
        if isinstance(target, DeliveryStatus):  # nowhere to send it any more
            delivery.status, delivery.next_attempt_at = target.value, None
            uow.session.add(delivery)
            return None
        if delivery.medium in ROBOTS:
            starts = recent.setdefault(delivery.channel_id or "", self._starts(uow, delivery, now))
            slot = next_slot(starts, now, self._settings.robot_messages_per_minute)
            if slot is not None:
                delivery.next_attempt_at = slot
                uow.session.add(delivery)
                return None
            starts.append(now)  # its attempt begins within this batch
        rendered = render(self._shown(uow, delivery), delivery.locale, delivery.id,
                          delivery.tenant_id)
        if isinstance(target, Channel):
            return Job(delivery.id, Medium(delivery.medium), target.id, rendered,
                       url=target.url, secret=target.secret, keyword=target.keyword)
        return Job(delivery.id, Medium.email, f"email:{delivery.recipient}", rendered,
                   address=target)

    def _begin_attempt(self, job: Job) -> int | None:
        """The attempt's record, committed before the send: the mark a crash leaves behind."""
        with self._unit_of_work() as uow:
            delivery = uow.session.get(Delivery, job.delivery_id)
            if delivery is None or delivery.status != DeliveryStatus.pending.value:
                return None
            attempt = Attempt(delivery_id=delivery.id, channel_id=delivery.channel_id,
                              number=delivery.attempts + 1, started_at=utc_now())
            delivery.status = DeliveryStatus.sending.value
            uow.session.add_all([attempt, delivery])
            uow.commit()
            return attempt.id

    def _target(self, uow: NotificationUnitOfWork, delivery: Delivery
                ) -> Channel | str | DeliveryStatus:
        """The channel or address it goes to, or what became of it when there is none (an
        email queued before SMTP was unset is skipped too)."""
        if delivery.medium == Medium.email.value:
            recipient = uow.session.get(Recipient, delivery.recipient)
            if self._settings.smtp_host and recipient and recipient.email:
                return recipient.email
            return DeliveryStatus.skipped
        channel = uow.session.get(Channel, delivery.channel_id)
        if channel is None or not channel.enabled:
            return DeliveryStatus.cancelled
        return channel

    @staticmethod
    def _starts(uow: NotificationUnitOfWork, delivery: Delivery, now: datetime) -> list[datetime]:
        return list(uow.session.exec(
            select(Attempt.started_at).where(Attempt.channel_id == delivery.channel_id)
            .where(col(Attempt.started_at) > now - WINDOW)))

    def _shown(self, uow: NotificationUnitOfWork, delivery: Delivery) -> list[Shown]:
        rows = uow.session.exec(
            select(Notice).join(DeliveredNotice, col(DeliveredNotice.notice_id) == Notice.id)
            .where(DeliveredNotice.delivery_id == delivery.id).order_by(col(Notice.created_at)))
        return [shown_to(row, delivery.locale, self._settings.portal_url) for row in rows]

    def _record(self, job: Job, attempt_id: int, outcome: Outcome) -> None:
        with self._unit_of_work() as uow:
            now = utc_now()
            attempt = uow.session.get(Attempt, attempt_id)
            delivery = uow.session.get(Delivery, job.delivery_id)
            if attempt is None or delivery is None:  # erased with its person while being sent
                return
            attempt.finished_at, attempt.outcome = now, outcome.outcome.value
            attempt.response_code, attempt.error = outcome.code, (outcome.error or None)
            delivery.attempts = attempt.number
            if outcome.outcome is AttemptOutcome.sent:
                delivery.status, delivery.sent_at, delivery.next_attempt_at = (
                    DeliveryStatus.sent.value, now, None)
            elif self._policy.gives_up(outcome.outcome, attempt.number):
                delivery.status, delivery.next_attempt_at = DeliveryStatus.failed.value, None
                log.warning("delivery %s on %s failed for good: %s %s", delivery.id,
                            delivery.medium, outcome.code, outcome.error)
            else:
                wait = self._policy.wait(attempt.number, outcome.retry_after)
                delivery.status = DeliveryStatus.pending.value
                delivery.next_attempt_at = now + timedelta(seconds=wait)
            uow.session.add_all([attempt, delivery])
            if delivery.channel_id and (channel := uow.session.get(Channel, delivery.channel_id)):
                self._keep_count(uow, channel, outcome, now)
            uow.commit()

    def _keep_count(self, uow: NotificationUnitOfWork, channel: Channel, outcome: Outcome,
                    now: datetime) -> None:
        """A channel's run of failed attempts; at `channel_failing_after`, its city's admins
        are told, once per run."""
        if outcome.outcome is AttemptOutcome.sent:
            channel.consecutive_failures, channel.alerted, channel.last_sent_at = 0, False, now
        else:
            channel.consecutive_failures += 1
        uow.session.add(channel)
        if channel.consecutive_failures >= self._settings.channel_failing_after and not channel.alerted:
            channel.alerted = True
            event = contract.ChannelFailing(
                tenant_id=channel.tenant_id, channel_id=channel.id, channel_name=channel.name,
                kind=channel.kind, park_id=channel.park_id, user_id=channel.user_id,
                failures=channel.consecutive_failures,
                last_error=" ".join(filter(None, (outcome.code, outcome.error))) or "?")
            uow.emit(event)
            admins = list(uow.session.exec(
                select(Recipient.id).where(Recipient.tenant_id == channel.tenant_id)
                .where(Recipient.role == "admin")))
            tell(uow, event, notices.channel_failing(event), admins, self._how)

    async def test(self, request: contract.TestChannel) -> contract.Attempt:
        """A test message to a channel now, outside the queue and the log: the admin sees at
        once what the receiver answered."""
        job = await self._database(partial(self._test_job, request))
        started = utc_now()
        outcome = await self._send(job)
        return contract.Attempt(number=1, started_at=started, finished_at=utc_now(),
                                outcome=outcome.outcome, response_code=outcome.code,
                                error=outcome.error)

    def _test_job(self, request: contract.TestChannel) -> Job:
        with self._unit_of_work() as uow:
            channel = uow.session.get(Channel, request.channel_id)
            if channel is None or channel.tenant_id != request.tenant_id:
                raise NotFound(f"no channel {request.channel_id!r}")
            told = notices.content("channel_test", channel.locale,
                                   name=channel.name)
            test = Shown("test", "channel_test", told, f"{self._settings.portal_url}/"
                         f"admin/channels/{channel.id}", utc_now(), {})
            return Job(f"test-{channel.id}-{time.time_ns()}", Medium(channel.kind), channel.id,
                       render([test], channel.locale, "test", channel.tenant_id),
                       url=channel.url, secret=channel.secret, keyword=channel.keyword)


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


def webhook_body(message: Rendered) -> bytes:
    return json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode()
