"""The signed-in user's notification preferences: for each kind of notice, the media that tell
them of it. A critical kind reaches the inbox whatever is chosen, and the page says so."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import notification
from guiyan_contracts.models import Role
from guiyan_contracts.notification import Medium, NoticeKind, Preference

from ..access import Caller, Services
from ..auth import Principal
from ..gateway import Gateway
from .account import has_account
from .actions import done
from .forms import every
from .rendering import render

router = APIRouter(include_in_schema=False)
# Only a city's admins hear that a robot or webhook keeps failing.
ADMINS_ONLY = frozenset({NoticeKind.channel_failing})


def kinds_for(caller: Principal) -> list[NoticeKind]:
    return [kind for kind in NoticeKind
            if caller.role is Role.admin or kind not in ADMINS_ONLY]


async def show(request: Request, caller: Principal, services: Gateway) -> HTMLResponse:
    found = await services.ask(notification.GetPreferences(tenant_id=caller.tenant_id,
                                                           user_id=caller.user_id),
                               notification.Preferences)
    chosen = {item.kind.value: {medium.value for medium in item.media} for item in found.items}
    return await render(request, "account/notifications.html", caller,
                        kinds=[kind.value for kind in kinds_for(caller)],
                        media=[medium.value for medium in Medium], chosen=chosen,
                        critical={kind.value for kind in found.critical})


@router.get("/account/notifications", response_class=HTMLResponse)
async def preferences(request: Request, caller: Caller, services: Services) -> HTMLResponse:
    has_account(request)
    return await show(request, caller, services)


@router.post("/account/notifications", response_class=HTMLResponse)
async def save_preferences(request: Request, caller: Caller, services: Services) -> Response:
    """Each kind's boxes are named by the kind; a critical kind's inbox box is shown checked
    and disabled, so it is not sent, and notification keeps the inbox for it anyway."""
    has_account(request)
    form = await request.form()
    media = {medium.value for medium in Medium}
    items = [Preference(kind=kind, media=[Medium(m) for m in dict.fromkeys(
        every(form, kind.value)) if m in media]) for kind in kinds_for(caller)]
    await services.ask(notification.SetPreferences(tenant_id=caller.tenant_id,
                                                   user_id=caller.user_id, items=items),
                       notification.Preferences)
    return done("/account/notifications", "saved")
