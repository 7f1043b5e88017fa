"""registry: parks, projects and users, the system of record."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .envelope import Contract, Event, Offset, Request
from .models import Id, Park, ParkFields, Project, ProjectFields, User, UserFields

STREAM = "GUIYAN_REGISTRY"
EVENTS = "guiyan.registry.>"


# Events
class ParkRegistered(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.park.registered.v1"
    park: Park


class ProjectSubmitted(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.submitted.v1"
    project: Project


class ParkUpdated(Event):
    """Capacity, budget, policy or anything else of a park changed; `park` is the new state."""

    SUBJECT: ClassVar[str] = "guiyan.registry.park.updated.v1"
    park: Park
    updated_by: Id


class ProjectUpdated(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.updated.v1"
    project: Project
    updated_by: Id


class ProjectWithdrawn(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.withdrawn.v1"
    project: Project
    withdrawn_by: Id


class UserRegistered(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.user.registered.v1"
    user: User


# Commands
class RegisterPark(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.park.register.v1"
    park_id: Id | None = None
    park: ParkFields


class SubmitProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.submit.v1"
    project_id: Id | None = None
    submitted_by: Id
    project: ProjectFields


class UpdatePark(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.park.update.v1"
    park_id: Id
    updated_by: Id
    park: ParkFields  # the whole new state, as registered
    # Answer as the update would, changing nothing: the portal checks an update before it asks
    # matching to hold the park within it, so that a refused update changes nothing anywhere.
    validate_only: bool = False


class UpdateProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.update.v1"
    project_id: Id
    updated_by: Id
    project: ProjectFields


class WithdrawProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.withdraw.v1"
    project_id: Id
    withdrawn_by: Id
    reason: str = Field(min_length=1, max_length=1000)


class RegisterUser(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.user.register.v1"
    user_id: Id | None = None
    user: UserFields


# Queries
class GetPark(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.park.get.v1"
    park_id: Id


class ListParks(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.park.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class GetProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.project.get.v1"
    project_id: Id


class ListProjects(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.project.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class GetUser(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.user.get.v1"
    user_id: Id


class UserView(Contract):
    user: User
    managed_park_ids: list[Id]


class ParkList(Contract):
    parks: list[Park]
    total: int


class ProjectList(Contract):
    projects: list[Project]
    total: int
