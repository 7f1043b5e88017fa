"""The dashboard's figures for the city's staff, admins and leaders: each as JSON, or as an
Excel workbook with `?format=xlsx`. Things counted keep their code in `key` and carry their
name in the reader's language (the `lang` cookie, else Accept-Language) in `label`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from guiyan_contracts import api
from guiyan_contracts.matching import BreakdownBy

from .. import stats, stats_export
from ..access import CityReader, Services
from ..errors import answers
from ..i18n import request_locale, translations
from ..ledgers.writer import XLSX

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])
Format = Annotated[Literal["json", "xlsx"], Query(
    description="`xlsx`: the figure as an Excel workbook, headers in the reader's language")]
XLSX_ANSWER = {"content": {XLSX: {}}, "description": "With `format=xlsx`"}


def gettext(request: Request) -> Any:
    return translations(request_locale(request)).gettext


def breakdown_title(by: BreakdownBy, _: Any) -> str:
    return {BreakdownBy.sector: _("Sector"), BreakdownBy.source: _("Service station"),
            BreakdownBy.county: _("Hometown county"), BreakdownBy.month: _("Month")}[by]


@router.get("/funnel", response_model=api.FunnelStats,
            responses={**answers(401, 403, 422, 502, 503), 200: XLSX_ANSWER})
async def funnel(request: Request, caller: CityReader, services: Services,
                 format: Format = "json") -> Any:
    """Every project submitted, those ever proposed to a park, those placed now, and the
    placement rate (placed / submitted); `statuses` counts where every project stands now."""
    found = await stats.funnel(services, caller.tenant_id, request_locale(request))
    if format == "xlsx":
        return stats_export.download("funnel", stats_export.funnel_sheet(found, gettext(request)))
    return found


@router.get("/breakdown", response_model=api.BreakdownStats,
            responses={**answers(401, 403, 422, 502, 503), 200: XLSX_ANSWER})
async def breakdown(request: Request, caller: CityReader, services: Services, by: BreakdownBy,
                    format: Format = "json") -> Any:
    """The projects not withdrawn by sector, service station, hometown county or month of
    submission (the city's time): how many, how many placed, their investment and jobs."""
    found = await stats.breakdown(services, caller.tenant_id, request_locale(request), by)
    if format == "xlsx":
        _ = gettext(request)
        return stats_export.download(
            f"by-{by.value}", stats_export.breakdown_sheet(found, breakdown_title(by, _), _))
    return found


@router.get("/parks", response_model=api.ParkStats,
            responses={**answers(401, 403, 422, 502, 503), 200: XLSX_ANSWER})
async def parks(request: Request, caller: CityReader, services: Services,
                format: Format = "json") -> Any:
    """Every park's room (floor, land, incubator slots) and subsidy budget, as
    `GET /api/v1/parks/{id}/occupancy` gives one park's, with the share used (accepted and
    offered)."""
    found = await stats.parks(services, caller.tenant_id, request_locale(request))
    if format == "xlsx":
        return stats_export.download("parks", stats_export.parks_sheet(found, gettext(request)))
    return found


@router.get("/plans", response_model=api.PlanStatsView,
            responses={**answers(401, 403, 422, 502, 503), 200: XLSX_ANSWER})
async def plans(request: Request, caller: CityReader, services: Services,
                format: Format = "json") -> Any:
    """The latest plans (objective against the proven bound, offers, projects left unplaced),
    how many projects stand unplaced now, and how many of them each reason was given for."""
    found = await stats.plans(services, caller.tenant_id, request_locale(request))
    if format == "xlsx":
        return stats_export.download("plans", *stats_export.plans_sheets(found, gettext(request)))
    return found
