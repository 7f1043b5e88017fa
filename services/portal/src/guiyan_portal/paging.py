"""Every list pages explicitly: `limit` and `offset` in, `total` out, and no silent cap."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from guiyan_contracts.envelope import MAX_OFFSET

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Skip this many items first")]


def Limit(most: int) -> Any:
    return Annotated[int, Query(ge=1, le=most, description=f"At most this many items (1-{most})")]
