"""Each dashboard figure as an Excel workbook: one sheet, headers in the reader's language in a
frozen first row, counts and money as numbers (money in whole yuan, `#,##0`), so that a reader
can sum and chart them again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from guiyan_contracts import api

Gettext = Callable[[str], str]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT, MONEY, PERCENT = "#,##0", "#,##0", "0.0%"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: dict[int, str] = field(default_factory=dict)  # column → number format


def workbook(sheet: Sheet) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet.title[:31]  # Excel's limit on a sheet's name
    page.append(list(sheet.headers))
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    for row in sheet.rows:
        page.append(list(row))
    for column, number_format in sheet.formats.items():
        for (cell,) in page.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = number_format
    for letter, width in zip("ABCDEFGHIJ", (24, 16, 16, 16, 16, 16, 16, 16, 16, 16), strict=False):
        page.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def download(sheet: Sheet, filename: str) -> Response:
    """The workbook as an attachment named `filename` (ASCII, so every browser keeps it)."""
    return Response(workbook(sheet), media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filename}.xlsx"'})


def funnel_sheet(stats: api.FunnelStats, _: Gettext) -> Sheet:
    submitted = stats.stages[0].projects
    return Sheet(_("Funnel"), [_("Stage"), _("Projects"), _("Share of submitted")],
                 [[stage.label, stage.projects, stage.projects / submitted if submitted else 0]
                  for stage in stats.stages],
                 {1: COUNT, 2: PERCENT})


def breakdown_sheet(stats: api.BreakdownStats, title: str, _: Gettext) -> Sheet:
    return Sheet(title, [title, _("Projects"), _("Placed"), _("Investment (yuan)"), _("Jobs")],
                 [[row.label, row.projects, row.placed, round(row.investment_yuan), row.jobs]
                  for row in stats.rows],
                 {1: COUNT, 2: COUNT, 3: MONEY, 4: COUNT})


def parks_sheet(stats: api.ParkStats, _: Gettext) -> Sheet:
    """Room in its own unit (m², mu, slots, yuan), named in the resource column."""
    return Sheet(_("Parks"), [_("Park"), _("Resource"), _("Capacity"), _("Accepted"),
                              _("Offered"), _("Free"), _("Used")],
                 [[park.park_name, room.label, room.capacity, room.accepted, room.offered,
                   room.free, room.used_pct / 100]
                  for park in stats.parks for room in park.resources],
                 {2: "#,##0.##", 3: "#,##0.##", 4: "#,##0.##", 5: "#,##0.##", 6: PERCENT})


def plans_sheet(stats: api.PlanStatsView, _: Gettext) -> Sheet:
    """The plans, then under them why the projects now unplaced are (a count in column B)."""
    plans = [[plan.label, plan.objective, plan.bound, plan.gap_pct / 100, plan.open_projects,
              plan.offered, plan.unplaced] for plan in stats.plans]
    reasons = [[reason.label, reason.projects] for reason in stats.reasons]
    return Sheet(_("Plans"), [_("Finished"), _("Objective"), _("Bound"), _("Gap"),
                              _("Open projects"), _("Offered"), _("Not placed")],
                 [*plans, [], [_("Why not placed"), _("Projects")], *reasons],
                 {1: COUNT, 2: COUNT, 3: "0.00%", 4: COUNT, 5: COUNT, 6: COUNT})
