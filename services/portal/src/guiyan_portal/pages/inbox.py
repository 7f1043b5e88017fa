"""The signed-in user's inbox: their notifications, newest first, the unread ones marked, each
with a link to where it is acted on; marking one, or all, read."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from guiyan_contracts import api, notification
from guiyan_contracts.notification import NoticeKind

from ..access import Caller, Services
from .actions import done, local_path
from .forms import first
from .rendering import render

router = APIRouter(include_in_schema=False)
PAGE = 30
# Notices that ask the reader to do something: their link says so (去处理), the others' "view".
TO_ACT_ON = frozenset({NoticeKind.proposal_offered, NoticeKind.proposal_reminded,
                       NoticeKind.task_assigned, NoticeKind.channel_failing})


def inbox_href(unread: bool, offset: int = 0) -> str:
    query = "&".join(part for part in ("unread=true" if unread else "",
                                       f"offset={offset}" if offset else "") if part)
    return f"/inbox?{query}" if query else "/inbox"


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, caller: Caller, services: Services, unread: bool = False,
                offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    found = await services.ask(notification.ListInbox(
        tenant_id=caller.tenant_id, user_id=caller.user_id, unread_only=unread, limit=PAGE,
        offset=offset), notification.Inbox)
    page = api.Page(items=found.items, total=found.total, limit=PAGE, offset=offset)
    return await render(request, "inbox/list.html", caller, page=page, unread_only=unread,
                        unread_total=found.unread, to_act_on={kind.value for kind in TO_ACT_ON},
                        link_of=lambda item: local_path(item.link) if item.link else None,
                        here=inbox_href(unread, offset),
                        href=lambda at: inbox_href(unread, at))


@router.post("/inbox/read", response_class=HTMLResponse)
async def mark_read(request: Request, caller: Caller, services: Services) -> RedirectResponse:
    """One item (`item_id`) or, without one, every item of the caller's, read (or, with
    `unread`, unread again: to come back to later); then back to the inbox as it was shown."""
    form = await request.form()
    item_id, unread = first(form, "item_id"), first(form, "unread") == "true"
    await services.ask(notification.MarkRead(
        tenant_id=caller.tenant_id, user_id=caller.user_id,
        item_ids=[item_id] if item_id else None, read=not unread), notification.Unread)
    return done(local_path(first(form, "back") or "/inbox"), "unread" if unread else "read")
