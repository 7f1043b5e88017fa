"""The proposal events of version 1, read so that those still in the stream when matching moves
to version 2 reach their readers: each is upgraded to its version 2 on the way in.

Version 1 carried a withdrawal's reason as one string, Chinese and English joined by " / ";
version 2 carries them apart (`Bilingual`). Matching publishes only version 2."""

from __future__ import annotations

from . import matching
from .envelope import Event
from .models import Bilingual, Proposal

JOINED = " / "  # how version 1 joined a reason's two languages


def unjoined(text: str) -> Bilingual:
    """A reason as version 1 joined it, apart again (Chinese alone where no English followed).
    Its two halves quote the same user text, so where that text holds the separator too, the
    middle one of an odd number is the join."""
    parts = text.split(JOINED)
    middle = len(parts) // 2 if len(parts) % 2 == 0 else 1
    zh, en = JOINED.join(parts[:middle]), JOINED.join(parts[middle:])
    return Bilingual(zh=zh, en=en or zh)


class ProposalV1(Proposal):
    withdraw_reason: str | None = None  # type: ignore[assignment]  # as version 1 joined it

    def upgraded(self) -> Proposal:
        reason = unjoined(self.withdraw_reason) if self.withdraw_reason else None
        return Proposal.model_validate(self.model_dump() | {"withdraw_reason": reason})


def _version_1(current: type[Event]) -> type[Event]:
    """`current` as version 1 wrote it: its subject's v1, the proposal as `ProposalV1`."""
    return type(f"{current.__name__}V1", (current,), {
        "__module__": __name__, "__annotations__": {"proposal": ProposalV1, "schema_version": int},
        "SUBJECT": current.SUBJECT.removesuffix(".v2") + ".v1", "schema_version": 1})


(ProposalOfferedV1, ProposalAcceptedV1, ProposalRejectedV1, ProposalRemindedV1, ProposalExpiredV1,
 ProposalWithdrawnV1) = VERSION_1 = tuple(_version_1(current) for current in (
    matching.ProposalOffered, matching.ProposalAccepted, matching.ProposalRejected,
    matching.ProposalReminded, matching.ProposalExpired, matching.ProposalWithdrawn))
CURRENT: dict[type[Event], type[Event]] = {older: older.__mro__[1] for older in VERSION_1}


def upgraded(event: Event) -> Event:
    """A version 1 event as its version 2, with the same id (so a reader that saw it under either
    version sees it once)."""
    proposal: ProposalV1 = event.proposal  # type: ignore[attr-defined]
    return CURRENT[type(event)].model_validate(
        event.model_dump(exclude={"schema_version"}) | {"proposal": proposal.upgraded()})
