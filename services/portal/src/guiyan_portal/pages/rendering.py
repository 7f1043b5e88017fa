"""One Jinja environment for every page, and what each page's frame needs: the reader's
language, who they are, the sections their role opens, and the CSRF token forms carry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import matching, notification, registry
from guiyan_contracts.models import ProposalStatus, Role
from guiyan_contracts.taxonomy import load_taxonomy

from ..auth import Principal
from ..gateway import Gateway
from ..i18n import request_locale
from ..presentation.templating import page_context, template_environment
from ..sessions import csrf_token
from .actions import notice_text
from .wording import money_unit, wording

WEB = Path(__file__).parents[1] / "web"
STATIC = WEB / "static"
environment = template_environment(WEB / "templates")


@dataclass(frozen=True)
class Section:
    href: str
    label: str
    current: bool = False
    count: int = 0


@dataclass(frozen=True)
class Flash:
    kind: str  # ok | error
    text: str


def static(path: str) -> str:
    return f"/static/{path}"


def sections(role: Role, gettext: Any, here: str, managed: list[str], pending: int,
             station_id: str | None = None) -> list[Section]:
    """The places a role works in, in the order they use them."""
    _ = gettext
    offered = [("/proposals", _("Proposals"), pending)]
    dashboard = ("/dashboard", _("Dashboard"), 0)
    stations = ("/stations", _("Stations"), 0)
    # Those who work with people: their records and the follow-ups due.
    people = [stations, ("/people", _("People"), 0), ("/tasks", _("Tasks"), 0)]
    by_role = {
        Role.staff: [("/projects", _("Projects"), 0), ("/projects/new", _("New project"), 0),
                     ("/parks", _("Parks"), 0), *people, ("/chains", _("Chain map"), 0),
                     ("/plans", _("Plans"), 0), dashboard],
        Role.park_manager: [*offered, *(
            [(f"/parks/{managed[0]}", _("My park"), 0)] if len(managed) == 1
            else [("/parks", _("My parks"), 0)])],
        Role.admin: [("/projects", _("Projects"), 0), *offered, ("/parks", _("Parks"), 0),
                     *people, ("/chains", _("Chain map"), 0), ("/admin/users", _("Users"), 0),
                     ("/plans", _("Plans"), 0), ("/admin/channels", _("Channels"), 0),
                     ("/admin/deliveries", _("Failed deliveries"), 0),
                     ("/admin/dead-letters", _("Dead letters"), 0), dashboard],
        # Leaders see the stations and how they rank, never a person's record.
        Role.leader: [dashboard, ("/projects", _("Projects"), 0), *offered,
                      ("/parks", _("Parks"), 0), stations, ("/chains", _("Chain map"), 0),
                      ("/plans", _("Plans"), 0)],
        # A station's head sees their own station and the people it knows.
        Role.station: [*([(f"/stations/{station_id}", _("My station"), 0)] if station_id else []),
                       ("/people", _("People"), 0)],
    }[role]
    # The longest matching prefix is the current section ("/projects/new" over "/projects").
    best = max((href for href, _l, _c in by_role if here == href or here.startswith(href + "/")),
               key=len, default=None)
    return [Section(href, label, href == best, count) for href, label, count in by_role]


async def pending_offers(services: Gateway, caller: Principal, parks: list[str] | None) -> int:
    """The count beside "Proposals"; none while matching does not answer, so that every other
    page still opens."""
    try:
        found = await services.ask(matching.ListProposals(
            tenant_id=caller.tenant_id, park_ids=parks, statuses=[ProposalStatus.offered],
            limit=1), matching.ProposalList)
    except HTTPException:
        return 0
    return found.total


async def unread_notices(services: Gateway, caller: Principal) -> int | None:
    """The count beside the inbox link; None (the link without a count) while notification
    does not answer, so that every other page still opens."""
    try:
        found = await services.ask(notification.CountUnread(tenant_id=caller.tenant_id,
                                                            user_id=caller.user_id),
                                   notification.Unread)
    except HTTPException:
        return None
    return found.unread


def translator(request: Request, caller: Principal | None) -> dict[str, Any]:
    """The page's language, its formatters, and the pages' own sentences."""
    locale = request_locale(request)
    values = page_context(request, locale, load_taxonomy(caller.tenant_id) if caller else None)
    values["money_unit"] = money_unit(locale)
    return values | wording(values)


async def render(request: Request, template: str, caller: Principal | None, *,
                 status: int = 200, flashes: list[Flash] | None = None,
                 **context: Any) -> HTMLResponse:
    values = translator(request, caller)
    shown = list(flashes or [])
    if notice := notice_text(values["_"], request.query_params.get("notice")):
        shown.insert(0, Flash("ok", notice))
    frame: dict[str, Any] = {"user": None, "sections": [], "unread": None}
    if caller is not None:
        # The caller as `principal` read them; none for a token of a user registry does not know.
        view: registry.UserView | None = getattr(request.state, "user_view", None)
        managed = list(caller.managed_park_ids or ())
        pending = (await pending_offers(request.app.state.gateway, caller,
                                        managed if caller.role is Role.park_manager else None)
                   if caller.role not in (Role.staff, Role.station) else 0)
        frame = {"user": view.user if view else None,
                 "sections": sections(caller.role, values["_"], request.url.path, managed,
                                      pending, view.user.station_id if view else None),
                 "unread": await unread_notices(request.app.state.gateway, caller)}
    html = environment.get_template(template).render({
        **values, **frame, "request": request, "caller": caller, "static": static,
        # Pages a session opened carry its token; a script's bearer token needs none.
        "csrf_token": csrf_token(request) if hasattr(request.state, "session") else "",
        "flashes": shown, **context})
    # A page may show what only its reader may see, and holds a form's one-time key: never
    # kept by the browser, so that Back after signing out, or to a sent form, asks afresh.
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
