"""What the API of inboxes, preferences and channels takes and answers beyond notification's own
contracts: a channel's secret travels beside its fields, never inside them, and a page of the
inbox says how many of all the user's items are unread."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field

from guiyan_contracts import api
from guiyan_contracts.envelope import Contract
from guiyan_contracts.models import Flag, Id, InboxItem
from guiyan_contracts.notification import (
    Channel,
    ChannelFields,
    NoticeKind,
    Preference,
    Secret,
)


class InboxPage(api.Page[InboxItem]):
    """A page of the caller's notifications, newest first."""

    unread: int  # of all the caller's items, not only this page's


class ReadMarks(Contract):
    """Mark the caller's items read, or unread again with `read` false; `item_ids` null marks
    every one of them."""

    item_ids: list[Id] | None = Field(default=None, max_length=500)
    read: Flag = True


class PreferenceChoices(Contract):
    """Which media tell the caller of each kind; kinds left out keep what they had."""

    items: list[Preference] = Field(max_length=len(NoticeKind))


class NewChannel(ChannelFields):
    """A robot or webhook; `secret` (DingTalk's signing secret, a webhook's HMAC key) is kept
    and never answered."""

    secret: Secret | None = Field(default=None, repr=False)


class ChannelUpdate(ChannelFields):
    """The channel's whole new state: `secret` left out keeps the one it has, and
    `clear_secret` removes it."""

    secret: Secret | None = Field(default=None, repr=False)
    clear_secret: Flag = False


def hides_token(channel: Channel) -> bool:
    """Whether the channel's URL is shown with its query's values (a robot's token) masked."""
    return bool(urlsplit(channel.url).query)

