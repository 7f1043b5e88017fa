"""What each audience is told, in Chinese first and English second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from guiyan_contracts.matching import (
    ProjectUnplaced,
    ProposalAccepted,
    ProposalExpired,
    ProposalOffered,
    ProposalRejected,
    ProposalReminded,
    ProposalWithdrawn,
)
from guiyan_contracts.models import Bilingual
from guiyan_contracts.people import TaskAssigned

CITY_TIME = ZoneInfo("Asia/Shanghai")  # what a reader in the city goes by
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Message:
    kind: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str


def proposal_offered(event: ProposalOffered) -> Message:
    p = event.proposal
    return Message(
        "proposal_offered",
        f"新的入园推荐：{p.project_name}", f"New proposal: {p.project_name}",
        f"项目「{p.project_name}」被推荐入驻「{p.park_name}」。{p.explanation_zh}。请在平台上接受或拒绝。",
        f"Project “{p.project_name}” is proposed for {p.park_name}. {p.explanation_en}. "
        "Please accept or reject it in Guiyan.")


def proposal_accepted(event: ProposalAccepted) -> Message:
    p = event.proposal
    return Message(
        "proposal_accepted",
        f"项目已落地：{p.project_name}", f"Project placed: {p.project_name}",
        f"「{p.park_name}」已接受项目「{p.project_name}」。",
        f"{p.park_name} accepted project “{p.project_name}”.")


def proposal_rejected(event: ProposalRejected) -> Message:
    p = event.proposal
    return Message(
        "proposal_rejected",
        f"推荐被拒绝：{p.project_name}", f"Proposal rejected: {p.project_name}",
        f"「{p.park_name}」拒绝了项目「{p.project_name}」，理由：{p.reject_reason}。系统将重新匹配。",
        f"{p.park_name} rejected project “{p.project_name}”: {p.reject_reason}. "
        "Guiyan will look for another park.")


def project_unplaced(event: ProjectUnplaced) -> Message:
    return Message(
        "project_unplaced",
        f"项目暂未匹配到园区：{event.project_name}", f"Project not placed: {event.project_name}",
        event.reason_zh, event.reason_en)


def city_time(moment: datetime) -> Bilingual:
    local = moment.astimezone(CITY_TIME)
    return Bilingual(zh=f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}",
                     en=f"{MONTHS[local.month - 1]} {local.day}, {local.year}, {local:%H:%M} Beijing time")


def city_date(day: date) -> Bilingual:
    return Bilingual(zh=f"{day.year}年{day.month}月{day.day}日",
                     en=f"{MONTHS[day.month - 1]} {day.day}, {day.year}")


def task_assigned(event: TaskAssigned) -> Message:
    """Says no name: the event has only the person's id, and a message kept in an inbox or sent
    by email must not outlive the person's erasure with their name in it."""
    due = city_date(event.due_on)
    return Message(
        "task_assigned",
        f"新的跟进任务：{due.zh}前完成", f"New follow-up task, due {due.en}",
        f"您有一项联系在外人员的跟进任务，请于{due.zh}前完成。请在平台上查看任务及其人员。",
        f"You have a follow-up task to contact a native working away, due on {due.en}. "
        "Open the task in Guiyan to see whom it is about.")


def proposal_reminded(event: ProposalReminded) -> Message:
    p = event.proposal
    due = city_time(p.expires_at) if p.expires_at else None
    due_zh, due_en = (f"将于{due.zh}", f"at {due.en}") if due else ("即将", "soon")
    return Message(
        "proposal_reminded",
        f"推荐即将过期：{p.project_name}", f"Proposal about to lapse: {p.project_name}",
        f"项目「{p.project_name}」入驻「{p.park_name}」的推荐{due_zh}过期，请尽快接受或拒绝。",
        f"The proposal of “{p.project_name}” for {p.park_name} lapses {due_en}. "
        "Please accept or reject it before then.")


def proposal_expired(event: ProposalExpired) -> Message:
    p = event.proposal
    return Message(
        "proposal_expired",
        f"推荐已过期：{p.project_name}", f"Proposal lapsed: {p.project_name}",
        f"项目「{p.project_name}」入驻「{p.park_name}」的推荐未在期限内处理，已过期。系统将重新匹配。",
        f"The proposal of “{p.project_name}” for {p.park_name} was not decided in time and has "
        "lapsed. Guiyan will look for another park.")


def proposal_withdrawn(event: ProposalWithdrawn) -> Message:
    p = event.proposal
    reason = p.withdraw_reason or Bilingual(zh="未说明", en="no reason given")
    return Message(
        "proposal_withdrawn",
        f"推荐已撤回：{p.project_name}", f"Proposal withdrawn: {p.project_name}",
        f"项目「{p.project_name}」入驻「{p.park_name}」的推荐已撤回，原因：{reason.zh}。",
        f"The proposal of “{p.project_name}” for {p.park_name} was withdrawn: {reason.en}.")
