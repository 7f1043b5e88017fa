"""Telling an audience of an event: a notice for each user (their inbox item) and for each park
whose group chat listens, and a delivery for each medium that should carry it. Runs in the
consumer's transaction, so that notices and deliveries commit with the event's claim: once each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.notification import PARK_KINDS, DeliveryStatus, Medium
from guiyan_eventing.errors import Rejected

from ..adapters.orm import Channel, DeliveredNotice, Delivery, Notice, Preference, Recipient
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import rules
from ..domain.notices import Told


@dataclass(frozen=True)
class Telling:
    email_enabled: bool
    digest_seconds: float


def tell(uow: NotificationUnitOfWork, event: Event, told: Told, user_ids: list[str],
         how: Telling) -> None:
    """Each user once (a manager of two parks hears once), and the park's group chat. An event
    naming someone recorded in another city is parked: nobody hears of another city's news."""
    recipients = list(dict.fromkeys(user_ids))
    # A batch's rows are inserted together at its commit, not flushed by each read (a flush per
    # read was most of an offer's time). No event of the batch writes what is read here: users are
    # recorded from registry's events, which come through a consumer of their own, and the
    # digests the batch opens are kept in the unit of work.
    with uow.session.no_autoflush:
        known = {user_id: uow.recipient(user_id) for user_id in recipients}
        elsewhere = [user_id for user_id, r in known.items()
                     if r and r.tenant_id != event.tenant_id]
        if elsewhere:
            raise Rejected(f"{', '.join(elsewhere)} are not of {event.tenant_id}, "
                           "the event's city")
        now = utc_now()
        for user_id in recipients:
            _tell_user(uow, event, told, user_id, known[user_id], how, now)
        if told.park_id and told.kind in PARK_KINDS:
            _tell_park(uow, event, told, told.park_id, how, now)


def _tell_user(uow: NotificationUnitOfWork, event: Event, told: Told, user_id: str,
               recipient: Recipient | None, how: Telling, now: datetime) -> None:
    chosen = uow.kept(("preference", user_id, told.kind.value),
                      lambda: uow.session.get(Preference, (user_id, told.kind.value)))
    media = rules.media_for(told.kind, chosen.media if chosen else None, how.email_enabled)
    notice = _notice(event, told, f"user:{user_id}", user_id, Medium.inbox in media, now)
    uow.session.add(notice)
    locale = recipient.locale if recipient else "zh"
    if Medium.email in media and (recipient is None or recipient.email):
        _queue(uow, notice, told, Medium.email, user_id, None, locale, how, now)
    for channel in (c for c in _channels(uow, event.tenant_id) if c.user_id == user_id):
        if Medium(channel.kind) in media and rules.channel_hears(channel.kinds, told.kind):
            _queue(uow, notice, told, Medium(channel.kind), user_id, channel, channel.locale,
                   how, now)


def _tell_park(uow: NotificationUnitOfWork, event: Event, told: Told, park_id: str,
               how: Telling, now: datetime) -> None:
    listening = [c for c in _channels(uow, event.tenant_id)
                 if c.park_id == park_id and rules.channel_hears(c.kinds, told.kind)]
    if not listening:
        return
    notice = _notice(event, told, f"park:{park_id}", None, False, now)
    uow.session.add(notice)
    for channel in listening:
        _queue(uow, notice, told, Medium(channel.kind), park_id, channel, channel.locale, how, now)


def _channels(uow: NotificationUnitOfWork, city: str) -> list[Channel]:
    """The city's enabled channels."""
    return uow.kept(("channels", city), lambda: list(uow.session.exec(
        select(Channel).where(Channel.tenant_id == city).where(col(Channel.enabled)))))


def _notice(event: Event, told: Told, audience: str, user_id: str | None, in_inbox: bool,
            now: datetime) -> Notice:
    return Notice(id=str(uuid.uuid4()), tenant_id=event.tenant_id, audience=audience,
                  user_id=user_id, kind=told.kind.value, title_zh=told.zh.title,
                  title_en=told.en.title, body_zh=told.zh.body, body_en=told.en.body,
                  facts={"zh": told.zh.as_stored(), "en": told.en.as_stored()}, link=told.link,
                  proposal_id=told.proposal_id, project_id=told.project_id, park_id=told.park_id,
                  task_id=told.task_id, in_inbox=in_inbox, source_event_id=str(event.event_id),
                  created_at=now)


def _queue(uow: NotificationUnitOfWork, notice: Notice, told: Told, medium: Medium,
           recipient: str, channel: Channel | None, locale: str, how: Telling,
           now: datetime) -> None:
    """A delivery of the notice, or a place in an open digest of the same reader and channel."""
    digested = rules.is_digested(told.kind, how.digest_seconds)
    channel_id = channel.id if channel else None
    digest = ("digest", medium.value, recipient, channel_id)
    # A digest found open is the batch's to join even if its window closes meanwhile: the sender
    # cannot take it before this commits, and then gathers its notices by their join rows.
    if digested and (open_digest := uow.kept(
            digest, lambda: _open_digest(uow, medium, recipient, channel_id, now))):
        uow.session.add(DeliveredNotice(delivery_id=open_digest.id, notice_id=notice.id))
        return
    until = now + timedelta(seconds=how.digest_seconds) if digested else None
    delivery = Delivery(id=str(uuid.uuid4()), tenant_id=notice.tenant_id, medium=medium.value,
                        channel_id=channel_id,
                        channel_name=channel.name if channel else None, recipient=recipient,
                        locale=locale, status=DeliveryStatus.pending.value, digest_until=until,
                        created_at=now, next_attempt_at=until or now)
    uow.session.add(delivery)
    uow.session.add(DeliveredNotice(delivery_id=delivery.id, notice_id=notice.id))
    if digested:
        uow.keep(digest, delivery)  # the batch's next offers to this reader join it


def _open_digest(uow: NotificationUnitOfWork, medium: Medium, recipient: str,
                 channel_id: str | None, now: datetime) -> Delivery | None:
    """A digest of the reader on the medium and channel that an earlier transaction opened and
    that is still open (the ones this transaction opens are kept in the unit of work)."""
    return uow.session.exec(
        select(Delivery).where(Delivery.medium == medium.value)
        .where(Delivery.recipient == recipient)
        .where(Delivery.channel_id == channel_id)
        .where(Delivery.status == DeliveryStatus.pending.value).where(Delivery.attempts == 0)
        .where(col(Delivery.digest_until) > now)).first()
