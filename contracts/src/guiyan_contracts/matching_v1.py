"""The proposal events of version 1, read so that those still in the stream when matching moves
to version 2 reach their readers: each is upgraded to its version 2 on the way in.

Version 1 carried a withdrawal's reason as one string, Chinese and English joined by " / ";
version 2 carries them apart (`Bilingual`). Matching publishes only version 2."""

from __future__ import annotations

from typing import ClassVar

from .envelope import Event
from .matching import (
    ProposalAccepted,
    ProposalExpired,
    ProposalOffered,
    ProposalRejected,
    ProposalReminded,
    ProposalWithdrawn,
)
from .models import Bilingual, Proposal

JOINED = " / "  # how version 1 joined a reason's two languages


def unjoined(text: str) -> Bilingual:
    """A reason as version 1 joined it, apart again (Chinese alone where no English followed)."""
    zh, _, en = text.partition(JOINED)
    return Bilingual(zh=zh, en=en or zh)


class ProposalV1(Proposal):
    withdraw_reason: str | None = None  # type: ignore[assignment]  # as version 1 joined it

    def upgraded(self) -> Proposal:
        reason = unjoined(self.withdraw_reason) if self.withdraw_reason else None
        return Proposal.model_validate(self.model_dump() | {"withdraw_reason": reason})


class ProposalOfferedV1(ProposalOffered):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.offered.v1"
    proposal: ProposalV1


class ProposalAcceptedV1(ProposalAccepted):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.accepted.v1"
    proposal: ProposalV1


class ProposalRejectedV1(ProposalRejected):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.rejected.v1"
    proposal: ProposalV1


class ProposalRemindedV1(ProposalReminded):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.reminded.v1"
    proposal: ProposalV1


class ProposalExpiredV1(ProposalExpired):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.expired.v1"
    proposal: ProposalV1


class ProposalWithdrawnV1(ProposalWithdrawn):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.withdrawn.v1"
    proposal: ProposalV1


CURRENT: dict[type[Event], type[Event]] = {
    ProposalOfferedV1: ProposalOffered, ProposalAcceptedV1: ProposalAccepted,
    ProposalRejectedV1: ProposalRejected, ProposalRemindedV1: ProposalReminded,
    ProposalExpiredV1: ProposalExpired, ProposalWithdrawnV1: ProposalWithdrawn,
}


def upgraded(event: Event) -> Event:
    """A version 1 event as its version 2, with the same id (so a reader that saw it under either
    version sees it once)."""
    proposal: ProposalV1 = event.proposal  # type: ignore[attr-defined]
    return CURRENT[type(event)].model_validate(
        event.model_dump() | {"proposal": proposal.upgraded()})
