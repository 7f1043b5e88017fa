"""notification: the inbox and the delivery log."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .envelope import Contract, Offset, Request
from .models import Id, InboxItem


class ListInbox(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.notification.inbox.list.v1"
    user_id: Id
    limit: int = Field(default=100, ge=1, le=500)
    offset: Offset = 0


class Inbox(Contract):
    items: list[InboxItem]
    total: int
