"""The city's records as workbooks. The projects sheet has the import's columns first, so an
export imported again changes nothing; what only the system knows (status, park, when
submitted, its id) follows, and an import ignores it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from openpyxl import Workbook

from guiyan_contracts.matching import ParkOccupancy, ProjectListing
from guiyan_contracts.models import Park, Plan, Project, Proposal
from guiyan_contracts.people import Person
from guiyan_contracts.taxonomy import Taxonomy

from ..presentation.formats import CITY_TIME_ZONE
from ..presentation.names import name
from .columns import PEOPLE, PROJECT_COLUMNS, Vocabulary
from .writer import Heading, add_sheet, new_workbook

CITY = ZoneInfo(CITY_TIME_ZONE)
PROJECT_HEADINGS = [*(Heading(c.header, c.kind, c.width) for c in PROJECT_COLUMNS),
                    Heading("状态", "text", 10), Heading("所在园区", "text", 30),
                    Heading("提交时间", "datetime", 18), Heading("系统编号", "text", 38)]


def projects_workbook(listings: list[ProjectListing], words: Vocabulary) -> Workbook:
    workbook = new_workbook()
    add_sheet(workbook, "项目台账", PROJECT_HEADINGS, (
        [*words.cells(listing.project.model_dump()),
         name(None, "project_status", listing.placement.status, "zh"),
         listing.park_name, listing.project.submitted_at.astimezone(CITY), listing.project.id]
        for listing in listings))
    return workbook


PEOPLE_HEADINGS = [*(Heading(c.header, c.kind, c.width) for c in PEOPLE.columns),
                   Heading("最近联系", "date", 12), Heading("系统编号", "text", 38)]


def people_workbook(people: list[Person], words: Vocabulary) -> Workbook:
    """The people as an archive ledger that imports again unchanged, with the day each was last
    contacted."""
    workbook = new_workbook()
    add_sheet(workbook, PEOPLE.sheet, PEOPLE_HEADINGS, (
        [*words.cells(person.model_dump(), PEOPLE), person.last_contact_on, person.id]
        for person in people))
    return workbook


PROPOSAL_HEADINGS = [Heading("项目名称", "text", 30), Heading("家乡县区", "text", 10),
                     Heading("行业", "text", 14), Heading("产业链", "text", 14),
                     Heading("投资额（元）", "money", 16), Heading("就业人数", "count", 8),
                     Heading("园区", "text", 30), Heading("链上作用", "text", 14),
                     Heading("得分", "number", 8), Heading("补贴（元）", "money", 14),
                     Heading("状态", "text", 10), Heading("提议时间", "datetime", 18),
                     Heading("确认期限", "datetime", 18), Heading("决定时间", "datetime", 18),
                     Heading("拒绝原因", "text", 30), Heading("撤回原因", "text", 30)]


def proposals_workbook(proposals: list[Proposal], projects: dict[str, Project],
                       taxonomy: Taxonomy) -> Workbook:
    """A row per proposal, placements (accepted ones) among them: the project as the city
    names it, the park, why and how well it fits, the subsidy, and where the offer stands."""
    def row(proposal: Proposal) -> list:
        project = projects.get(proposal.project_id)
        about = [None] * 5 if project is None else [
            name(taxonomy, "county", project.hometown_county, "zh"),
            name(taxonomy, "sector", project.sector, "zh"),
            name(taxonomy, "chain", project.chain, "zh", sector=project.sector),
            project.investment_yuan, project.jobs]
        return [proposal.project_name, *about, proposal.park_name,
                name(None, "chain_role", proposal.chain_role, "zh"), round(proposal.score, 2),
                proposal.subsidy_yuan, name(None, "proposal_status", proposal.status, "zh"),
                *(moment.astimezone(CITY) if moment else None for moment in (
                    proposal.offered_at, proposal.expires_at, proposal.decided_at)),
                proposal.reject_reason,
                proposal.withdraw_reason.zh if proposal.withdraw_reason else None]

    workbook = new_workbook()
    add_sheet(workbook, "提议与入驻", PROPOSAL_HEADINGS, (row(p) for p in proposals))
    return workbook


PARK_HEADINGS = [Heading("园区", "text", 30), Heading("类型", "text", 14),
                 Heading("县区", "text", 10), Heading("资源", "text", 12),
                 Heading("容量", "number", 12), Heading("已落地", "number", 12),
                 Heading("待决定", "number", 12), Heading("空余", "number", 12),
                 Heading("使用率", "text", 8)]


def parks_workbook(parks: list[tuple[Park, ParkOccupancy]], taxonomy: Taxonomy) -> Workbook:
    """A row per park and resource: its room and subsidy budget, what placements use, what
    offers hold and what is left (matching's occupancy)."""
    rows = []
    for park, occupancy in parks:
        for resource in occupancy.resources:
            used = resource.accepted + resource.offered
            rows.append([park.name, name(None, "park_kind", park.kind, "zh"),
                         name(taxonomy, "county", park.county, "zh"),
                         name(None, "resource", resource.resource, "zh"), resource.capacity,
                         resource.accepted, resource.offered, resource.free,
                         f"{used / resource.capacity:.0%}" if resource.capacity else ""])
    workbook = new_workbook()
    add_sheet(workbook, "园区占用", PARK_HEADINGS, rows)
    return workbook


PLAN_HEADINGS = [Heading("开始时间", "datetime", 18), Heading("完成时间", "datetime", 18),
                 Heading("方式", "text", 10), Heading("求解状态", "text", 12),
                 Heading("目标值", "number", 14), Heading("上界", "number", 14),
                 Heading("差距（%）", "number", 8), Heading("用时（秒）", "number", 10),
                 Heading("提前结束", "text", 8), Heading("待安置项目", "count", 10),
                 Heading("提议", "count", 8), Heading("未落地", "count", 8),
                 Heading("调整", "count", 8), Heading("触发数", "count", 8),
                 Heading("输入指纹", "text", 20), Heading("方案编号", "text", 38)]


# The solver's words, as a reader of the audit says them.
PLAN_MODES = {"hold": "保留待定提议", "reoptimise": "重新优化"}
SOLVER_STATUSES = {"optimal": "最优", "feasible": "可行", "infeasible": "无可行解", "unknown": "未知"}


def plans_workbook(plans: list[Plan]) -> Workbook:
    """The plan audit: each solve, what asked for it and what it found."""
    workbook = new_workbook()
    add_sheet(workbook, "方案审计", PLAN_HEADINGS, (
        [plan.started_at.astimezone(CITY), plan.finished_at.astimezone(CITY),
         PLAN_MODES.get(plan.mode, "其他"), SOLVER_STATUSES.get(plan.status, "未知"), plan.objective, plan.bound, plan.gap_pct, plan.solve_seconds,
         "是" if plan.ended_early else "否", plan.open_projects, plan.offered, plan.unplaced,
         plan.moved, plan.triggers_total, plan.fingerprint, plan.id]
        for plan in plans))
    return workbook
