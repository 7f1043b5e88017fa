"""Reads the dead-letter stream, newest first, so parked messages are visible with their reasons."""

from __future__ import annotations

from datetime import datetime

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from guiyan_contracts.models import DeadLetter


async def read_dead_letters(js: JetStreamContext, stream: str, limit: int) -> list[DeadLetter]:
    try:
        state = (await js.stream_info(stream)).state
    except NotFoundError:
        return []
    letters: list[DeadLetter] = []
    sequence = state.last_seq
    while sequence >= state.first_seq and sequence > 0 and len(letters) < limit:
        try:
            message = await js.get_msg(stream, sequence)
        except NotFoundError:  # deleted or purged
            sequence -= 1
            continue
        headers = message.headers or {}
        parked_at = headers.get("Guiyan-Parked-At")
        letters.append(DeadLetter(
            stream_sequence=sequence, subject=message.subject or "",
            original_subject=headers.get("Guiyan-Original-Subject", ""),
            consumer=headers.get("Guiyan-Consumer", ""), reason=headers.get("Guiyan-Reason", ""),
            parked_at=datetime.fromisoformat(parked_at) if parked_at else None,
            payload=(message.data or b"").decode("utf-8", "replace")))
        sequence -= 1
    return letters
