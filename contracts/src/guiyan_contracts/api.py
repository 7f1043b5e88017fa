"""Bodies of the portal's HTTP API (v1). Ids are optional: a client that sends one may retry safely."""

from __future__ import annotations

from pydantic import Field

from .envelope import Contract
from .matching import ParkChange
from .models import Id, ParkFields, Placement, Project, ProjectFields, ProjectStatus, UserFields


class NewPark(ParkFields):
    id: Id | None = None


class NewProject(ProjectFields):
    id: Id | None = None


class NewUser(UserFields):
    id: Id | None = None


class ProjectAccepted(Contract):
    """202: the project is recorded; matching will place it."""

    id: Id
    status: ProjectStatus = ProjectStatus.submitted


class ProjectView(Contract):
    project: Project
    placement: Placement


class ProjectPage(Contract):
    projects: list[ProjectView]
    total: int


class Rejection(Contract):
    reason: str = Field(min_length=1, max_length=1000, examples=["场地已另作他用"])


class Withdrawal(Contract):
    reason: str = Field(min_length=1, max_length=1000, examples=["创业者决定留在杭州"])


class WhatIf(Contract):
    """Capacities to try, per park; the plan is computed and shown, never committed."""

    changes: list[ParkChange] = Field(min_length=1, max_length=50, examples=[[
        {"park_id": "caoxian-hanfu-park", "floor_m2": 14000}]])


class HealthReport(Contract):
    ok: bool
    nats: bool
    services: dict[str, bool]
