"""Where matching stands on projects, asked in pages."""

from __future__ import annotations

import asyncio

from guiyan_contracts import matching
from guiyan_contracts.models import Placement

from .gateway import Gateway

PLACEMENTS_PER_REQUEST = 100


async def placements(services: Gateway, tenant_id: str, project_ids: list[str],
                     with_reasons: bool) -> dict[str, Placement]:
    # In pages: a thousand placements with their explanations outgrow one NATS message.
    pages = [project_ids[i:i + PLACEMENTS_PER_REQUEST]
             for i in range(0, len(project_ids), PLACEMENTS_PER_REQUEST)]
    found = await asyncio.gather(*(services.ask(
        matching.GetPlacements(tenant_id=tenant_id, project_ids=page, with_reasons=with_reasons),
        matching.PlacementList) for page in pages))
    return {p.project_id: p for answer in found for p in answer.placements}
