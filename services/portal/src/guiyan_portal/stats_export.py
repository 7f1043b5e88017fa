"""Each dashboard figure as an Excel workbook, written as every workbook of the portal is
(`ledgers.writer`): headers in the reader's language in a frozen first row, counts and money as
numbers (money in whole yuan, `#,##0`), so that a reader can sum and chart them again, and
labels typed by people (a station's name) never taken for a formula."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import Response

from guiyan_contracts import api

from .ledgers.writer import Heading, add_sheet, attachment, new_workbook

Gettext = Callable[[str], str]
Table = tuple[str, list[Heading], list[list[object]]]  # a sheet's title, headings and rows
WIDE, NARROW = 24, 16


def download(filename: str, *tables: Table) -> Response:
    workbook = new_workbook()
    for title, headings, rows in tables:
        add_sheet(workbook, title[:31], headings, rows)  # Excel's limit on a sheet's name
    return attachment(workbook, f"{filename}.xlsx")


def funnel_sheet(stats: api.FunnelStats, _: Gettext) -> Table:
    submitted = stats.stages[0].projects
    return (_("Funnel"), [Heading(_("Stage"), "text", WIDE), Heading(_("Projects"), "count", NARROW),
                          Heading(_("Share of submitted"), "percent", NARROW)],
            [[stage.label, stage.projects, stage.projects / submitted if submitted else 0]
             for stage in stats.stages])


def breakdown_sheet(stats: api.BreakdownStats, title: str, _: Gettext) -> Table:
    return (title, [Heading(title, "text", WIDE), Heading(_("Projects"), "count", NARROW),
                    Heading(_("Placed"), "count", NARROW),
                    Heading(_("Investment (yuan)"), "money", NARROW),
                    Heading(_("Jobs"), "count", NARROW)],
            [[row.label, row.projects, row.placed, round(row.investment_yuan), row.jobs]
             for row in stats.rows])


def parks_sheet(stats: api.ParkStats, _: Gettext) -> Table:
    """Room in its own unit (m², mu, slots, yuan), named in the resource column."""
    return (_("Parks"), [Heading(_("Park"), "text", WIDE), Heading(_("Resource"), "text", NARROW),
                         *(Heading(header, "number", NARROW) for header in (
                             _("Capacity"), _("Accepted"), _("Offered"), _("Free"))),
                         Heading(_("Used"), "percent", NARROW)],
            [[park.park_name, room.label, room.capacity, room.accepted, room.offered, room.free,
              room.used_pct / 100]
             for park in stats.parks for room in park.resources])


def plans_sheets(stats: api.PlanStatsView, _: Gettext) -> list[Table]:
    """The plans, and on a sheet of its own why the projects now unplaced are."""
    plans = (_("Plans"), [Heading(_("Finished"), "text", WIDE),
                          Heading(_("Objective"), "count", NARROW),
                          Heading(_("Bound"), "count", NARROW),
                          Heading(_("Gap"), "fine_percent", NARROW),
                          *(Heading(header, "count", NARROW) for header in (
                              _("Open projects"), _("Offered"), _("Not placed")))],
             [[plan.label, plan.objective, plan.bound, plan.gap_pct / 100, plan.open_projects,
               plan.offered, plan.unplaced] for plan in stats.plans])
    reasons = (_("Why not placed"), [Heading(_("Why not placed"), "text", WIDE),
                                     Heading(_("Projects"), "count", NARROW)],
               [[reason.label, reason.projects] for reason in stats.reasons])
    return [plans, reasons]
