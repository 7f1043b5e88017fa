"""Load for tests and benchmarks: a city of any size, and many projects submitted through the
portal at a fixed concurrency, each timed."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import aiohttp

from guiyan_contracts.taxonomy import load_taxonomy

from .demo import PARKS, demo_projects
from .demo_stations import STATIONS


def parks(city: str, count: int) -> list[dict[str, Any]]:
    """`count` parks shaped like the demo city's, in turn, with their own ids and no managers."""
    return [{**PARKS[i % len(PARKS)], "id": f"{city}-park-{i:04d}",
             "name": f"{PARKS[i % len(PARKS)]['name']}{i // len(PARKS) + 1}号", "manager_ids": []}
            for i in range(count)]


def province_parks(city: str, count: int, takers_per_sector: int = 180,
                   seed: int = 231) -> list[dict[str, Any]]:
    """`count` parks shaped like the demo city's, each sector taken by about `takers_per_sector`
    of them: a park keeps each of its kind's sectors only so often, and some parks take a sector
    their kind does not list. Cycling the demo's 12 parks gives each sector 1/12 to 4/12 of all
    parks; a province's parks specialise more: at 1,000 parks its projects may go to 144 parks on
    average (median 166, 5th–95th percentile 60–217) once the other rules have ruled some out."""
    rng = random.Random(seed)
    cycled = parks(city, count)
    listed = Counter(sector for park in cycled for sector in park["sectors"])
    sectors = [sector.code for sector in load_taxonomy(city).sectors]
    for park in cycled:
        kept = [s for s in park["sectors"] if rng.random() < takers_per_sector / listed[s]]
        added = [s for s in sectors if s not in park["sectors"] and listed[s] < takers_per_sector
                 and rng.random() < (takers_per_sector - listed[s]) / (count - listed[s])]
        park["sectors"] = kept + added or park["sectors"][:1]
    return cycled


def stations() -> list[dict[str, Any]]:
    """The demo city's stations, for the projects to come from, without the demo's staff (a
    city loaded for measuring has none)."""
    return [{**station, "staff_ids": []} for station in STATIONS]


def projects(city: str, count: int, seed: int = 231) -> list[dict[str, Any]]:
    return [{**p, "id": f"{city}-{p['id']}"} for p in demo_projects(count, seed=seed)]


@dataclass(frozen=True)
class Submission:
    project_id: str
    sent_at: float  # wall clock (epoch seconds), to compare with the services' timestamps
    seconds: float  # until the portal answered
    status: int


async def submit(portal_url: str, token: str, bodies: list[dict[str, Any]],
                 concurrency: int) -> list[Submission]:
    """POST every project, `concurrency` at a time. aiohttp, because the load shares the host
    with the system it measures, and spends several times less CPU a request than httpx
    (measured: docs/performance.md, "load generator on aiohttp")."""
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(portal_url, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60),
                                     headers={"Authorization": f"Bearer {token}"}) as client:
        async def one(body: dict[str, Any]) -> Submission:
            async with gate:
                sent, started = time.time(), time.monotonic()
                async with client.post("/api/v1/projects", json=body) as response:
                    await response.read()
                return Submission(body["id"], sent, time.monotonic() - started, response.status)

        return await asyncio.gather(*(one(body) for body in bodies))
