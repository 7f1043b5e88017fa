"""At most `limit` messages a minute per robot, as DingTalk and WeCom allow: the excess waits
for its slot, never dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

ROBOT_LIMIT = 20
WINDOW = timedelta(minutes=1)


def next_slot(recent_starts: list[datetime], now: datetime, limit: int = ROBOT_LIMIT,
              window: timedelta = WINDOW) -> datetime | None:
    """None when a message may go now; else the moment the oldest send in the window leaves it."""
    inside = sorted(start for start in recent_starts if start > now - window)
    if len(inside) < limit:
        return None
    return inside[-limit] + window
