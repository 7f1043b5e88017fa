"""notification: the inbox, the channels that reach people where they work (DingTalk and WeCom
robots, signed webhooks, email), each user's preferences, and the delivery log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import AnyHttpUrl, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .envelope import Contract, Event, Offset, Request
from .models import Flag, Id, InboxItem

STREAM = "GUIYAN_NOTIFICATION"
EVENTS = "guiyan.notification.>"


class NoticeKind(StrEnum):
    """What a notification tells: one template per kind and language."""

    proposal_offered = "proposal_offered"
    proposal_reminded = "proposal_reminded"
    proposal_accepted = "proposal_accepted"
    proposal_rejected = "proposal_rejected"
    proposal_expired = "proposal_expired"
    proposal_withdrawn = "proposal_withdrawn"
    project_unplaced = "project_unplaced"
    task_assigned = "task_assigned"
    channel_failing = "channel_failing"  # to a city's admins: a robot or webhook keeps failing


# A proposal that awaits a decision reaches the inbox whatever the preferences say: a park that
# never hears of it loses the project.
CRITICAL: frozenset[NoticeKind] = frozenset({NoticeKind.proposal_offered,
                                             NoticeKind.proposal_reminded})
# What a park's group chat hears: the proposals made to the park and what became of them.
PARK_KINDS: frozenset[NoticeKind] = frozenset({
    NoticeKind.proposal_offered, NoticeKind.proposal_reminded, NoticeKind.proposal_accepted,
    NoticeKind.proposal_rejected, NoticeKind.proposal_expired, NoticeKind.proposal_withdrawn})


class ChannelKind(StrEnum):
    """A configured channel; the inbox and email (the user's own address) need no configuring."""

    dingtalk = "dingtalk"  # a DingTalk group's custom robot (钉钉自定义机器人)
    wecom = "wecom"  # a WeCom group robot (企业微信群机器人)
    webhook = "webhook"  # any HTTP receiver, sent a signed JSON body


class Medium(StrEnum):
    """Where a user may hear of something: a preference names these."""

    inbox = "inbox"
    email = "email"
    dingtalk = "dingtalk"
    wecom = "wecom"
    webhook = "webhook"


ChannelName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class ChannelFields(Contract):
    """A robot or webhook, for one park's group chat or one user. Its secret is sent beside these,
    never with them: nothing that answers carries it."""

    kind: ChannelKind
    name: ChannelName
    park_id: Id | None = None
    user_id: Id | None = None
    url: AnyHttpUrl  # its query (a robot's access token or key) is never shown again
    keyword: Keyword | None = None  # DingTalk's keyword mode: the robot takes only what says it
    kinds: list[NoticeKind] | None = None  # what it hears; none: everything its owner would
    locale: Literal["zh", "en"] = "zh"
    enabled: Flag = True

    @model_validator(mode="after")
    def _one_owner(self) -> ChannelFields:
        if (self.park_id is None) == (self.user_id is None):
            raise PydanticCustomError("channel_one_owner",
                                      "a channel belongs to one park or to one user")
        return self


class Channel(ChannelFields):
    id: Id
    tenant_id: str
    url: str  # type: ignore[assignment]  # the query's values are masked
    has_secret: bool
    consecutive_failures: int = 0  # failed deliveries since its last success
    last_sent_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class Channels(Contract):
    items: list[Channel]
    total: int


class ListChannels(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.channel.list.v1"
    park_id: Id | None = None
    user_id: Id | None = None
    limit: int = Field(default=100, ge=1, le=500)
    offset: Offset = 0


class GetChannel(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.channel.get.v1"
    channel_id: Id


class CreateChannel(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.channel.create.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"secret"})
    channel_id: Id | None = None
    channel: ChannelFields
    secret: Secret | None = None  # DingTalk's signing secret (SEC…) or a webhook's HMAC key


class UpdateChannel(Request):
    """The channel's whole new state; `secret` None keeps the one it has, and `clear_secret`
    removes it."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.channel.update.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"secret"})
    channel_id: Id
    channel: ChannelFields
    secret: Secret | None = None
    clear_secret: Flag = False


class DeleteChannel(Request):
    """Its pending deliveries are cancelled; its history stays in the delivery log."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.channel.delete.v1"
    channel_id: Id


class ChannelDeleted(Contract):
    channel_id: Id
    cancelled: int  # deliveries that were still to be sent


class TestChannel(Request):
    """Send a test message now, outside the rate limit's queue, and say what the receiver
    answered: for an admin checking a robot as they add it."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.channel.test.v1"
    channel_id: Id
    sent_by: Id


class ListInbox(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.inbox.list.v1"
    user_id: Id
    unread_only: Flag = False
    limit: int = Field(default=100, ge=1, le=500)
    offset: Offset = 0


class Inbox(Contract):
    items: list[InboxItem]
    total: int
    unread: int  # of all the user's items, not only this page's


class CountUnread(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.inbox.unread.v1"
    user_id: Id


class MarkRead(Request):
    """Mark the user's items read (`read` False: unread again); `item_ids` None marks them all."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.inbox.mark.v1"
    user_id: Id
    item_ids: list[Id] | None = Field(default=None, max_length=500)
    read: Flag = True


class Unread(Contract):
    unread: int


class Preference(Contract):
    kind: NoticeKind
    media: list[Medium]


class Preferences(Contract):
    """Which media tell the user of each kind of notice. A critical kind reaches the inbox
    whatever is chosen."""

    user_id: Id
    items: list[Preference]
    critical: list[NoticeKind]


class GetPreferences(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.preferences.get.v1"
    user_id: Id


class SetPreferences(Request):
    """Kinds left out keep what they had."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.preferences.set.v1"
    user_id: Id
    items: list[Preference] = Field(max_length=len(NoticeKind))


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting: for its first try, its digest window, a retry or the rate limit
    sending = "sending"  # an attempt is under way
    sent = "sent"
    failed = "failed"  # a permanent refusal, or every retry used
    skipped = "skipped"  # nowhere to send it (a user with no email address)
    cancelled = "cancelled"  # its channel was deleted or disabled first


class AttemptOutcome(StrEnum):
    sent = "sent"
    transient = "transient"  # a timeout, a 5xx, a busy receiver: tried again later
    # The receiver asked to wait (DingTalk's 130101, WeCom's 45009, HTTP 429): tried again after
    # its wait, counted neither against the attempts nor as the channel failing.
    throttled = "throttled"
    permanent = "permanent"  # a 4xx, a bad signature or keyword: not tried again
    unknown = "unknown"  # the process stopped during the send: sent again, and flagged


class Attempt(Contract):
    number: int
    started_at: datetime
    finished_at: datetime | None
    outcome: AttemptOutcome | None  # None while under way
    response_code: str | None = None  # HTTP status, DingTalk/WeCom errcode, or SMTP code
    error: str | None = None


class Delivery(Contract):
    """One message on one channel to one recipient; a digest carries several notifications."""

    id: Id
    tenant_id: str
    medium: Medium
    channel_id: Id | None = None
    channel_name: str | None = None
    recipient: str  # the user's or the park's id
    notification_ids: list[Id]
    status: DeliveryStatus
    outcome_unknown: bool = False  # an attempt's outcome was lost: the receiver may see it twice
    idempotency_key: str
    created_at: datetime
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    attempts: list[Attempt]


class Deliveries(Contract):
    items: list[Delivery]
    total: int


class ListDeliveries(Request):
    """The log: of one notification, of one channel, or (for an admin) all failures."""

    SUBJECT: ClassVar[str] = "guiyan.query.notification.delivery.list.v1"
    notification_id: Id | None = None
    channel_id: Id | None = None
    status: DeliveryStatus | None = None
    limit: int = Field(default=100, ge=1, le=500)
    offset: Offset = 0


class GetNotification(Request):
    """Whose a notification is, for the portal to check before it shows the log."""

    SUBJECT: ClassVar[str] = "guiyan.query.notification.notice.get.v1"
    notification_id: Id


class Notice(Contract):
    id: Id
    tenant_id: str
    kind: NoticeKind
    user_id: Id | None  # an inbox item's user
    park_id: Id | None  # a park's group-chat notice


class ResendDelivery(Request):
    """Send a failed or cancelled delivery again, from a fresh first attempt."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.notification.delivery.resend.v1"
    delivery_id: Id
    resent_by: Id


class ChannelFailing(Event):
    """A robot or webhook failed `failures` deliveries in a row: its URL, secret or keyword is
    likely wrong, or the receiver is down. Raised once per run of failures."""

    SUBJECT: ClassVar[str] = "guiyan.notification.channel.failed.v1"
    producer: str = "notification"
    channel_id: Id
    channel_name: str
    kind: ChannelKind
    park_id: Id | None
    user_id: Id | None
    failures: int
    last_error: str
