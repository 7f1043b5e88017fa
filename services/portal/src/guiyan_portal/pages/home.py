"""Where a visitor starts, and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import RedirectResponse

from guiyan_contracts.models import Role

from ..access import Caller
from ..i18n import LOCALES
from .actions import local_path

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


@router.get("/")
async def start(caller: Caller) -> RedirectResponse:
    """Each role to where it works: staff to projects, managers to their proposals, leaders to
    the dashboard, a station's head to their station."""
    home = {Role.staff: "/projects", Role.park_manager: "/proposals", Role.admin: "/projects",
            Role.leader: "/dashboard", Role.station: "/stations"}
    return RedirectResponse(home[caller.role], status_code=303)


@router.get("/lang/{locale}")
async def switch_language(locale: str = Path(pattern="^[a-z]{2}$"), next: str = "/") -> RedirectResponse:
    if locale not in LOCALES:
        raise HTTPException(404)
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie("lang", locale, max_age=YEAR, httponly=True, samesite="lax")
    return response
