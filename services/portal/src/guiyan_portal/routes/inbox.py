"""The caller's own notifications: the inbox, what is unread in it, marking items read, and
which media tell them of each kind of notice."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guiyan_contracts import notification

from ..access import Caller, Services
from ..errors import answers
from ..notifications import InboxPage, PreferenceChoices, ReadMarks
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["inbox"])


@router.get("/inbox", response_model=InboxPage, responses=answers(401, 422, 502, 503))
async def inbox(caller: Caller, services: Services,
                unread: Annotated[bool, Query(description="Only the items not read yet")] = False,
                limit: Limit(500) = 100, offset: Offset = 0) -> Any:
    """The caller's notifications, newest first, in Chinese and English; `unread` counts all
    their unread items, not only this page's."""
    found = await services.ask(notification.ListInbox(
        tenant_id=caller.tenant_id, user_id=caller.user_id, unread_only=unread, limit=limit,
        offset=offset), notification.Inbox)
    return InboxPage(items=found.items, total=found.total, unread=found.unread, limit=limit,
                     offset=offset)


@router.get("/inbox/unread", response_model=notification.Unread,
            responses=answers(401, 502, 503))
async def unread_count(caller: Caller, services: Services) -> Any:
    """How many of the caller's notifications are unread."""
    return await services.ask(notification.CountUnread(tenant_id=caller.tenant_id,
                                                       user_id=caller.user_id),
                              notification.Unread)


@router.post("/inbox/read", response_model=notification.Unread,
             responses=answers(401, 403, 413, 422, 502, 503))
async def mark_read(body: ReadMarks, caller: Caller, services: Services) -> Any:
    """Mark the caller's items read (`read` false: unread again), all of them when `item_ids`
    is null; answers how many stay unread. Ids of items not the caller's change nothing."""
    return await services.ask(notification.MarkRead(
        tenant_id=caller.tenant_id, user_id=caller.user_id, item_ids=body.item_ids,
        read=body.read), notification.Unread)


@router.get("/preferences", response_model=notification.Preferences,
            responses=answers(401, 502, 503))
async def preferences(caller: Caller, services: Services) -> Any:
    """Which media tell the caller of each kind of notice; `critical` kinds reach the inbox
    whatever is chosen."""
    return await services.ask(notification.GetPreferences(tenant_id=caller.tenant_id,
                                                          user_id=caller.user_id),
                              notification.Preferences)


@router.put("/preferences", response_model=notification.Preferences,
            responses=answers(401, 403, 413, 422, 502, 503))
async def set_preferences(body: PreferenceChoices, caller: Caller, services: Services) -> Any:
    """The media for some kinds of notice; kinds left out keep theirs."""
    return await services.ask(notification.SetPreferences(
        tenant_id=caller.tenant_id, user_id=caller.user_id, items=body.items),
        notification.Preferences)
