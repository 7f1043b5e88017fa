"""Who hears of what, and how: one function per rule, each with its pair of tests."""

from __future__ import annotations

from collections.abc import Iterable

from guiyan_contracts.notification import CRITICAL, Medium, NoticeKind

DIGESTED = frozenset({NoticeKind.proposal_offered})  # a plan offers many at once


def media_for(kind: NoticeKind, chosen: Iterable[str] | None, email_enabled: bool) -> set[Medium]:
    """The media a user hears of `kind` on: what they chose (everything, until they choose), the
    inbox always for a critical kind, and email only where it is configured."""
    media = {Medium(m) for m in chosen} if chosen is not None else set(Medium)
    if kind in CRITICAL:
        media.add(Medium.inbox)
    if not email_enabled:
        media.discard(Medium.email)
    return media


def channel_hears(kinds: list[str] | None, kind: NoticeKind) -> bool:
    """A channel hears every kind its owner would, unless it names the ones it hears."""
    return kinds is None or kind.value in kinds


def is_digested(kind: NoticeKind, window_seconds: float) -> bool:
    """Proposals offered to one reader within the window go out as one message per channel."""
    return window_seconds > 0 and kind in DIGESTED
