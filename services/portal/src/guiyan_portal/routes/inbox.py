from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, notification
from guiyan_contracts.models import InboxItem

from ..access import Caller, Services
from ..errors import answers
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["inbox"])


@router.get("/inbox", response_model=api.Page[InboxItem], responses=answers(401, 422, 502, 503))
async def inbox(caller: Caller, services: Services, limit: Limit(500) = 100,
                offset: Offset = 0) -> Any:
    """The caller's notifications, newest first, in Chinese and English."""
    found = await services.ask(notification.ListInbox(
        tenant_id=caller.tenant_id, user_id=caller.user_id, limit=limit, offset=offset),
        notification.Inbox)
    return api.Page[InboxItem](items=found.items, total=found.total, limit=limit, offset=offset)
