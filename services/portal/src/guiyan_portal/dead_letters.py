"""Reads the dead-letter stream for one city's admins: their city's letters only, a page at a
time, oldest first, each payload cut short in a list (a poisoned burst can park megabytes).
Letters that name no city (too malformed to tell) are shown to every city's admins, but only
what was wrong with them: their payload may be any city's."""

from __future__ import annotations

from datetime import datetime

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from guiyan_contracts.api import DeadLetterPage
from guiyan_contracts.models import DeadLetter
from guiyan_contracts.system import DLQ_STREAM, NO_CITY, dead_letters_of

PAYLOAD_SHOWN = 2000  # characters of each payload in a list; one letter by sequence has it all


def letter(message: RawStreamMsg, whole: bool) -> DeadLetter:
    headers = message.headers or {}
    parked_at = headers.get("Guiyan-Parked-At")
    city = (message.subject or "").rsplit(".", 1)[-1]
    payload = "" if city == NO_CITY else (message.data or b"").decode("utf-8", "replace")
    return DeadLetter(
        stream_sequence=message.seq or 0, subject=message.subject or "",
        original_subject=headers.get("Guiyan-Original-Subject", ""),
        consumer=headers.get("Guiyan-Consumer", ""), city=None if city == NO_CITY else city,
        reason=headers.get("Guiyan-Reason", ""),
        parked_at=datetime.fromisoformat(parked_at) if parked_at else None,
        payload=payload if whole else payload[:PAYLOAD_SHOWN],
        payload_truncated=not whole and len(payload) > PAYLOAD_SHOWN)


async def dead_letter_page(js: JetStreamContext, city: str | None, after: int,
                           limit: int) -> DeadLetterPage:
    """The city's letters (None: those of no city) after stream sequence `after`, at most
    `limit` of them."""
    subject = dead_letters_of(city or NO_CITY)
    try:
        state = (await js.stream_info(DLQ_STREAM, subjects_filter=subject)).state
    except NotFoundError:
        return DeadLetterPage(items=[], total=0, limit=limit, next_after=None)
    letters: list[DeadLetter] = []
    sequence = after + 1
    while len(letters) <= limit:  # one more than shown tells whether a next page exists
        try:
            message = await js.get_msg(DLQ_STREAM, seq=sequence, subject=subject, next=True)
        except NotFoundError:
            break
        letters.append(letter(message, whole=False))
        sequence = (message.seq or sequence) + 1
    more = len(letters) > limit
    letters = letters[:limit]
    return DeadLetterPage(items=letters, total=sum((state.subjects or {}).values()), limit=limit,
                          next_after=letters[-1].stream_sequence if more else None)


async def one_dead_letter(js: JetStreamContext, city: str, sequence: int) -> DeadLetter | None:
    """The letter at `sequence` with its whole payload, if it is the city's."""
    try:
        message = await js.get_msg(DLQ_STREAM, seq=sequence)
    except NotFoundError:
        return None
    found = letter(message, whole=True)
    return found if found.city == city else None
