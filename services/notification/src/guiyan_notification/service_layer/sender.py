"""Sends what is due, on every medium, and logs every attempt.

Each attempt is written just before its send and completed after it, in transactions of their
own: a transaction held across a send would block every other writer for the whole conversation
with the receiver. A process killed between the two leaves the attempt unfinished; the restart
marks its outcome unknown, flags the delivery, and sends it again under the same Idempotency-Key.
That is the one way a receiver can see a message twice, and the key lets it drop the copy.

Sends go by lane (a robot, a webhook, one reader's mailbox), each lane a task of its own: a lane
whose receiver hangs holds up only its own messages, and is left out of the next claims until it
is done."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlalchemy import func, or_
from sqlmodel import col, select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.notification import AttemptOutcome, DeliveryStatus, Medium
from guiyan_contracts.refusals import NotFound
from guiyan_eventing.database_thread import RunsDatabaseWork

from ..adapters.orm import Attempt, Channel, DeliveredNotice, Delivery, Notice, Recipient
from ..adapters.outcome import Outcome
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings
from ..domain import notices
from ..domain.rate_limit import WINDOW, next_slot
from ..domain.rendering import Shown, render
from ..domain.retry import RetryPolicy
from .channel_health import keep_count
from .jobs import Job, lane_of, send, shown_to
from .telling import Telling

log = logging.getLogger(__name__)
ROBOTS = {Medium.dingtalk.value, Medium.wecom.value}
# What a delivery's attempts count against the limit: a throttled one was the robot asking to wait.
COUNTED = (AttemptOutcome.transient.value, AttemptOutcome.permanent.value,
           AttemptOutcome.unknown.value)


class Sender:
    def __init__(self, unit_of_work: Callable[[], NotificationUnitOfWork],
                 settings: NotificationSettings, database: RunsDatabaseWork,
                 how: Telling) -> None:
        self._unit_of_work = unit_of_work
        self._settings = settings
        self._database = database
        self._how = how
        self._policy = RetryPolicy(settings.delivery_max_attempts, settings.retry_base_seconds,
                                   settings.retry_cap_seconds)
        self._wake = asyncio.Event()
        self._client = httpx.AsyncClient(timeout=settings.channel_timeout_seconds,
                                         follow_redirects=False)
        self._lanes: dict[str, asyncio.Task[None]] = {}  # lanes sending now
        self._tested: dict[str, list[datetime]] = defaultdict(list)  # test messages, per robot

    def notify(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        await self._database(self.recover)
        try:
            while True:
                try:
                    await self.send_due()
                except Exception:
                    log.exception("a delivery pass failed")
                self._wake.clear()
                with contextlib.suppress(TimeoutError):  # asyncio.timeout: see OutboxRelay.run
                    async with asyncio.timeout(1.0):
                        await self._wake.wait()
        finally:
            for lane in self._lanes.values():
                lane.cancel()

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
                    delivery.status, delivery.attempts = DeliveryStatus.pending.value, attempt.number
                    delivery.outcome_unknown, delivery.next_attempt_at = True, now
                    uow.session.add(delivery)
            uow.commit()

    async def send_due(self) -> int:
        """Claim what is due on the lanes not sending now, and start each lane. Returns how
        many deliveries were claimed."""
        jobs = await self._database(partial(self._claim, set(self._lanes)))
        lanes: dict[str, list[Job]] = defaultdict(list)
        for job in jobs:
            lanes[job.lane].append(job)
        for lane, queued in lanes.items():
            self._lanes[lane] = asyncio.create_task(self._send_lane(lane, queued))
        return len(jobs)

    async def settle(self) -> None:
        """Until every lane started has finished: for a test, or a caller that must know."""
        while self._lanes:
            await asyncio.gather(*self._lanes.values(), return_exceptions=True)

    async def _send_lane(self, lane: str, jobs: list[Job]) -> None:
        try:
            for index, job in enumerate(jobs):
                attempt_id = await self._database(partial(self._begin_attempt, job))
                if attempt_id is None:  # cancelled or erased since it was read
                    continue
                outcome = await send(self._client, self._settings, job)
                retry_at = await self._database(partial(self._record, job, attempt_id, outcome))
                if retry_at is not None:  # the receiver is down or busy: the rest wait with it
                    later = [queued.delivery_id for queued in jobs[index + 1:]]
                    await self._database(partial(self._postpone, later, retry_at))
                    return
        except Exception:
            log.exception("lane %s stopped", lane)
        finally:
            del self._lanes[lane]
            self.notify()

    def _claim(self, busy: set[str]) -> list[Job]:
        """What is due on lanes not busy, read and rendered in one transaction; a robot at its
        rate limit has its excess moved to its next free slot, and a delivery that cannot be
        read for sending is failed, not left to stop the others."""
        with self._unit_of_work() as uow:
            now = utc_now()
            mailboxes = [lane.removeprefix("email:") for lane in busy if lane.startswith("email:")]
            due = list(uow.session.exec(
                select(Delivery).where(Delivery.status == DeliveryStatus.pending.value)
                .where(col(Delivery.next_attempt_at) <= now)
                .where(or_(col(Delivery.channel_id).is_(None),
                           col(Delivery.channel_id).notin_(busy - set(mailboxes))))
                .where(or_(col(Delivery.channel_id).is_not(None),
                           col(Delivery.recipient).notin_(mailboxes)))
                .order_by(col(Delivery.next_attempt_at))
                .limit(self._settings.delivery_batch)))
            recent: dict[str, list[datetime]] = {}
            jobs = []
            for delivery in due:
                try:
                    job = self._job(uow, delivery, now, recent)
                except Exception:
                    log.exception("delivery %s cannot be read for sending", delivery.id)
                    delivery.status, delivery.next_attempt_at = DeliveryStatus.failed.value, None
                    uow.session.add(delivery)
                    continue
                if job is not None:
                    jobs.append(job)
            uow.commit()
            return jobs

    def _job(self, uow: NotificationUnitOfWork, delivery: Delivery, now: datetime,
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
        shown = self._shown(uow, delivery)
        if not shown:  # its notices went with an erased person
            delivery.status, delivery.next_attempt_at = DeliveryStatus.cancelled.value, None
            uow.session.add(delivery)
            return None
        rendered = render(shown, delivery.locale, delivery.id, delivery.tenant_id)
        if isinstance(target, Channel):
            return Job(delivery.id, Medium(delivery.medium), lane_of(delivery), rendered,
                       url=target.url, secret=target.secret, keyword=target.keyword)
        return Job(delivery.id, Medium.email, lane_of(delivery), rendered, address=target)

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

    def _starts(self, uow: NotificationUnitOfWork, delivery: Delivery, now: datetime
                ) -> list[datetime]:
        """When the robot was last sent to: the log's attempts, and test messages."""
        logged = uow.session.exec(
            select(Attempt.started_at).where(Attempt.channel_id == delivery.channel_id)
            .where(col(Attempt.started_at) > now - WINDOW))
        return [*logged, *self._tested[delivery.channel_id or ""]]

    def _shown(self, uow: NotificationUnitOfWork, delivery: Delivery) -> list[Shown]:
        rows = uow.session.exec(
            select(Notice).join(DeliveredNotice, col(DeliveredNotice.notice_id) == Notice.id)
            .where(DeliveredNotice.delivery_id == delivery.id).order_by(col(Notice.created_at)))
        return [shown_to(row, delivery.locale, self._settings.portal_url) for row in rows]

    def _begin_attempt(self, job: Job) -> int | None:
        """The attempt's record, committed before the send: the mark a crash leaves behind. The
        delivery's row is locked till then, so that of two replicas that claimed it, the second
        finds it sending and leaves it."""
        with self._unit_of_work() as uow:
            delivery = uow.session.get(Delivery, job.delivery_id, with_for_update=True)
            if delivery is None or delivery.status != DeliveryStatus.pending.value:
                return None
            attempt = Attempt(delivery_id=delivery.id, channel_id=delivery.channel_id,
                              number=delivery.attempts + 1, started_at=utc_now())
            delivery.status = DeliveryStatus.sending.value
            uow.session.add_all([attempt, delivery])
            uow.commit()
            return attempt.id

    def _record(self, job: Job, attempt_id: int, outcome: Outcome) -> datetime | None:
        """The outcome, and what follows: sent; failed for good; or pending until the moment
        returned, when the rest of its lane should wait too."""
        with self._unit_of_work() as uow:
            now = utc_now()
            attempt = uow.session.get(Attempt, attempt_id)
            delivery = uow.session.get(Delivery, job.delivery_id)
            if attempt is None or delivery is None:  # erased with its person while being sent
                return None
            attempt.finished_at, attempt.outcome = now, outcome.outcome.value
            attempt.response_code, attempt.error = outcome.code, (outcome.error or None)
            delivery.attempts = attempt.number
            uow.session.add_all([attempt, delivery])
            retry_at = None
            if outcome.outcome is AttemptOutcome.sent:
                delivery.status, delivery.sent_at, delivery.next_attempt_at = (
                    DeliveryStatus.sent.value, now, None)
            else:
                retry_at = self._after_failure(uow, delivery, attempt, outcome, now)
            if delivery.channel_id and (channel := uow.session.get(Channel, delivery.channel_id)):
                keep_count(uow, channel, outcome, now, self._settings.channel_failing_after,
                           self._how)
            uow.commit()
            return retry_at

    def _after_failure(self, uow: NotificationUnitOfWork, delivery: Delivery, attempt: Attempt,
                       outcome: Outcome, now: datetime) -> datetime | None:
        """Failed for good (None), or pending until the moment returned."""
        counted = self._counted(uow, delivery)
        if self._policy.gives_up(outcome.outcome, counted,
                                 attempt.number - (delivery.resent_after or 0)):
            delivery.status, delivery.next_attempt_at = DeliveryStatus.failed.value, None
            log.warning("delivery %s on %s failed for good: %s %s", delivery.id,
                        delivery.medium, outcome.code, outcome.error)
            return None
        retry_at = now + timedelta(seconds=self._policy.wait(counted or 1, outcome.retry_after))
        delivery.status, delivery.next_attempt_at = DeliveryStatus.pending.value, retry_at
        return retry_at

    @staticmethod
    def _counted(uow: NotificationUnitOfWork, delivery: Delivery) -> int:
        """Its attempts since its last resend that count against the limit."""
        uow.session.flush()
        return uow.session.exec(
            select(func.count()).select_from(Attempt).where(Attempt.delivery_id == delivery.id)
            .where(Attempt.number > (delivery.resent_after or 0))
            .where(col(Attempt.outcome).in_(COUNTED))).one()

    def _postpone(self, delivery_ids: list[str], until: datetime) -> None:
        with self._unit_of_work() as uow:
            for delivery in uow.session.exec(select(Delivery).where(
                    col(Delivery.id).in_(delivery_ids))):
                if delivery.status == DeliveryStatus.pending.value:
                    delivery.next_attempt_at = max(until, delivery.next_attempt_at or until)
                    uow.session.add(delivery)
            uow.commit()

    async def test(self, request: contract.TestChannel) -> contract.Attempt:
        """A test message to a channel now, outside the queue and the log, though a robot's
        rate limit counts it: the admin sees at once what the receiver answered."""
        job = await self._database(partial(self._test_job, request))
        started = utc_now()
        if job.medium.value in ROBOTS:
            self._tested[job.lane] = [*(t for t in self._tested[job.lane]
                                        if t > started - WINDOW), started]
        outcome = await send(self._client, self._settings, job)
        return contract.Attempt(number=1, started_at=started, finished_at=utc_now(),
                                outcome=outcome.outcome, response_code=outcome.code,
                                error=outcome.error)

    def _test_job(self, request: contract.TestChannel) -> Job:
        with self._unit_of_work() as uow:
            channel = uow.session.get(Channel, request.channel_id)
            if channel is None or channel.tenant_id != request.tenant_id:
                raise NotFound(f"no channel {request.channel_id!r}")
            told = notices.content("channel_test", channel.locale, name=channel.name)
            test = Shown("test", "channel_test", told, f"{self._settings.portal_url}/"
                         f"admin/channels/{channel.id}", utc_now(), {})
            return Job(f"test-{channel.id}-{utc_now().timestamp()}", Medium(channel.kind),
                       channel.id, render([test], channel.locale, "test", channel.tenant_id),
                       url=channel.url, secret=channel.secret, keyword=channel.keyword)
