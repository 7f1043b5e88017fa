"""The robots and webhooks admins configure. A secret goes in and never comes out: no answer
carries it, and a URL is shown with its query's values masked (a robot's access token is in it)."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from sqlalchemy import func, update
from sqlmodel import col, select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.notification import DeliveryStatus
from guiyan_contracts.refusals import Invalid, NotFound

from ..adapters.orm import Channel, Delivery
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import addresses

MASK = "••••"


def masked_url(url: str) -> str:
    """The URL with its query's values masked, and any path segment that looks like a token (a
    long run with digits in it, as Feishu's and Slack's webhooks carry theirs)."""
    parts = urlsplit(url)
    path = "/".join(MASK if _token_like(segment) else segment
                    for segment in parts.path.split("/"))
    query = "&".join(f"{quote(key)}={MASK}"
                     for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    netloc = parts.hostname or ""  # a password in the address is a secret too
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _token_like(segment: str) -> bool:
    return len(segment) >= 16 and any(c.isdigit() for c in segment)


def shown(channel: Channel) -> contract.Channel:
    return contract.Channel(
        id=channel.id, tenant_id=channel.tenant_id, kind=channel.kind, name=channel.name,
        park_id=channel.park_id, user_id=channel.user_id, url=masked_url(channel.url),
        keyword=channel.keyword, kinds=channel.kinds, locale=channel.locale,
        enabled=channel.enabled, has_secret=channel.secret is not None,
        consecutive_failures=channel.consecutive_failures, last_sent_at=channel.last_sent_at,
        created_at=channel.created_at, updated_at=channel.updated_at)


def list_channels(query: contract.ListChannels, uow: NotificationUnitOfWork) -> contract.Channels:
    found = select(Channel).where(Channel.tenant_id == query.tenant_id)
    if query.park_id is not None:
        found = found.where(Channel.park_id == query.park_id)
    if query.user_id is not None:
        found = found.where(Channel.user_id == query.user_id)
    total = uow.session.exec(select(func.count()).select_from(found.subquery())).one()
    rows = uow.session.exec(found.order_by(col(Channel.name), col(Channel.id))
                            .limit(query.limit).offset(query.offset))
    return contract.Channels(items=[shown(row) for row in rows], total=total)


def get_channel(query: contract.GetChannel, uow: NotificationUnitOfWork) -> contract.Channel:
    return shown(_channel(uow, query.tenant_id, query.channel_id))


class ChannelWriter:
    """Creates and updates channels, to addresses ops allow (`channel_private_addresses`)."""

    def __init__(self, private_addresses: bool) -> None:
        self._private_addresses = private_addresses

    def create(self, command: contract.CreateChannel,
               uow: NotificationUnitOfWork) -> contract.Channel:
        channel_id = command.channel_id or str(uuid.uuid4())
        if uow.session.get(Channel, channel_id) is not None:
            raise Invalid.at(["channel_id"], f"channel {channel_id!r} exists", "channel_exists")
        now = utc_now()
        channel = Channel(id=channel_id, tenant_id=command.tenant_id, created_at=now,
                          updated_at=now, secret=command.secret, **_settable(command.channel))
        _check(channel, self._private_addresses)
        uow.session.add(channel)
        uow.session.flush()
        return shown(channel)

    def update(self, command: contract.UpdateChannel,
               uow: NotificationUnitOfWork) -> contract.Channel:
        """A new URL, secret or keyword starts a new run: its failures so far were the old
        one's. The URL sent back as it is shown, masked, keeps the one stored: a form or a
        script that read the channel and changed its name must not put the masks in place of
        the robot's token."""
        channel = _channel(uow, command.tenant_id, command.channel_id)
        fields = _settable(command.channel)
        if unquote(str(fields["url"])) == masked_url(channel.url):
            fields["url"] = channel.url
        reaches_anew = (fields["url"] != channel.url or command.secret is not None
                        or command.clear_secret or fields["keyword"] != channel.keyword)
        for name, value in fields.items():
            setattr(channel, name, value)
        if command.clear_secret:
            channel.secret = None
        elif command.secret is not None:
            channel.secret = command.secret
        if reaches_anew:
            channel.consecutive_failures, channel.alerted = 0, False
        _check(channel, self._private_addresses)
        channel.updated_at = utc_now()
        uow.session.add(channel)
        if not channel.enabled:
            _cancel_pending(uow, channel.id)
        uow.session.flush()
        return shown(channel)


def delete_channel(command: contract.DeleteChannel,
                   uow: NotificationUnitOfWork) -> contract.ChannelDeleted:
    channel = _channel(uow, command.tenant_id, command.channel_id)
    cancelled = _cancel_pending(uow, channel.id)
    uow.session.delete(channel)
    return contract.ChannelDeleted(channel_id=channel.id, cancelled=cancelled)


def _cancel_pending(uow: NotificationUnitOfWork, channel_id: str) -> int:
    result = uow.session.exec(  # type: ignore[call-overload]
        update(Delivery).where(col(Delivery.channel_id) == channel_id)
        .where(col(Delivery.status) == DeliveryStatus.pending.value)
        .values(status=DeliveryStatus.cancelled.value, next_attempt_at=None))
    return int(result.rowcount or 0)


def _channel(uow: NotificationUnitOfWork, city: str, channel_id: str) -> Channel:
    channel = uow.session.get(Channel, channel_id)
    if channel is None or channel.tenant_id != city:
        raise NotFound(f"no channel {channel_id!r}")
    return channel


def _settable(fields: contract.ChannelFields) -> dict[str, object]:
    return {"kind": fields.kind.value, "name": fields.name, "park_id": fields.park_id,
            "user_id": fields.user_id, "url": str(fields.url), "keyword": fields.keyword,
            "kinds": [k.value for k in fields.kinds] if fields.kinds is not None else None,
            "locale": fields.locale, "enabled": fields.enabled}


def _check(channel: Channel, private_addresses: bool) -> None:
    """What only one kind of channel takes, that a webhook is signed, and where it may send."""
    if channel.keyword is not None and channel.kind != contract.ChannelKind.dingtalk:
        raise Invalid.at(["channel", "keyword"], "only a DingTalk robot takes a keyword",
                         "keyword_dingtalk_only")
    if channel.kind == contract.ChannelKind.wecom and channel.secret is not None:
        raise Invalid.at(["secret"], "a WeCom robot is not signed: its key is in its URL",
                         "secret_not_signed")
    if channel.kind == contract.ChannelKind.webhook and channel.secret is None:
        raise Invalid.at(["secret"], "a webhook is signed: give it a secret",
                         "webhook_secret_required")
    if not private_addresses and (problem := addresses.refused(channel.url)):
        raise Invalid.at(["channel", "url"], problem, "url_not_public")
