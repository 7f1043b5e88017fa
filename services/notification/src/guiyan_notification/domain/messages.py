"""What each audience is told, in Chinese first and English second."""

from __future__ import annotations

from dataclasses import dataclass

from guiyan_contracts.matching import (
    ProjectUnplaced,
    ProposalAccepted,
    ProposalOffered,
    ProposalRejected,
)


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
