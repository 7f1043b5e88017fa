"""The city's dashboard: leaders' home, and a section for staff and admins. The page shows
each figure as a table (the charts' text alternative) and names each chart's series; its
script (`web/static/dashboard.js`) draws the charts from the stats API, so a chart and its
download show the same figures the table does."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts.matching import BreakdownBy

from .. import stats
from ..access import CityReader, Services
from ..i18n import request_locale
from ..presentation.formats import WAN
from ..routes.stations import Since, Until, period
from ..routes.stats import breakdown_title
from ..stations import performance_page
from .rendering import render, translator

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, caller: CityReader, services: Services,
                    since: Since = None, until: Until = None) -> HTMLResponse:
    locale, city = request_locale(request), caller.tenant_id
    funnel, parks, plans, ranking, *breakdowns = await asyncio.gather(
        stats.funnel(services, city, locale), stats.parks(services, city, locale),
        stats.plans(services, city, locale), performance_page(services, city, *period(since, until)),
        *(stats.breakdown(services, city, locale, by) for by in BreakdownBy))
    values = translator(request, caller)
    _ = values["_"]
    wan = values["money_unit"] == "wan"
    series = {  # each chart's series and axes, named in the page's language
        "projects": _("Projects"), "placed": _("Placed"), "jobs": _("Jobs"),
        "investment": values["money_label"](_("Investment")), "money_scale": WAN if wan else 1,
        "objective": _("Objective"), "bound": _("Bound"), "used": _("Used (%)"),
        "unplaced": _("Projects not placed")}
    return await render(
        request, "dashboard/dashboard.html", caller, funnel=funnel, parks=parks, plans=plans,
        ranking=ranking.stations, period={"from": since.isoformat() if since else "",
                                 "to": until.isoformat() if until else ""},
        breakdowns=[(by, breakdown_title(by, _), found)
                    for by, found in zip(BreakdownBy, breakdowns, strict=True)],
        series=series)
