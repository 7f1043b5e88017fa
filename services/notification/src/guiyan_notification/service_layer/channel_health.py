"""A channel's run of failed attempts, and the alert when it keeps failing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from guiyan_contracts import notification as contract
from guiyan_contracts.notification import AttemptOutcome

from ..adapters.orm import Channel, Recipient
from ..adapters.outcome import Outcome
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import notices
from .telling import Telling, tell


def keep_count(uow: NotificationUnitOfWork, channel: Channel, outcome: Outcome, now: datetime,
               failing_after: int, how: Telling) -> None:
    """A success ends the run; a failure lengthens it (throttling is the robot asking to wait,
    not failing). At `failing_after`, `ChannelFailing` is published and the city's admins are
    told, once per run."""
    if outcome.outcome is AttemptOutcome.sent:
        channel.consecutive_failures, channel.alerted, channel.last_sent_at = 0, False, now
    elif outcome.outcome is not AttemptOutcome.throttled:
        channel.consecutive_failures += 1
    uow.session.add(channel)
    if channel.consecutive_failures < failing_after or channel.alerted:
        return
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
    tell(uow, event, notices.channel_failing(event), admins, how)
