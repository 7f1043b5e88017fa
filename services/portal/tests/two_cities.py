"""Two cities behind a fake gateway, as `tests/e2e/test_access_matrix.py` sets them up on a
running system: in each a park, a project proposed to it, that proposal, a plan, a dead letter,
a station, a person it knows, a task to contact them and a person erased; and the people of the
access matrix, by the names the matrix gives them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from guiyan_contracts import matching, notification, people, registry
from guiyan_contracts.models import (
    ChainRole,
    DeadLetter,
    Park,
    Placement,
    Plan,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from guiyan_contracts.refusals import Invalid, NotFound
from guiyan_contracts.system import (
    SERVICES,
    AsyncAPIDocument,
    Health,
    asyncapi_subject,
    dead_letter_subject,
    health_subject,
)
from guiyan_contracts.taxonomy import configured_cities, load_taxonomy

from .fakes import FakeGateway

HEZE, JINING = "heze", "jining"
PARK, OTHER_PARK, JINING_PARK = "caoxian-hanfu-park", "juye-chemical-park", "jining-matrix-park"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
PARK_FIELDS = {"name": "曹县汉服产业园", "kind": "return_home_park", "county": "caoxian",
               "sectors": ["textiles_apparel"], "floor_m2": 30000}
PROJECT_FIELDS = {"name": "汉服工坊", "founder": "王芳", "source": "hangzhou",
                  "hometown_county": "caoxian", "sector": "textiles_apparel", "chain": "hanfu",
                  "link": "design_pattern", "floor_m2": 300, "investment_yuan": 500000, "jobs": 5}
STATION_FIELDS = {"name": "杭州站", "level": "city", "host_city": "杭州",
                  "host_province": "zhejiang", "head_name": "孙站长"}
PERSON_FIELDS = {"name": "刘在外", "hometown_county": "caoxian", "current_province": "zhejiang",
                 "current_city": "杭州"}
TASK_FIELDS = {"person_id": "heze-person", "assignee_id": "heze-staff", "due_on": "2026-12-01"}
CONTACT_FIELDS = {"method": "call", "on": "2026-11-02"}
CHANNEL_FIELDS = {"kind": "dingtalk", "name": "汉服园工作群",
                  "url": "https://oapi.dingtalk.com/robot/send?access_token=matrix"}


@dataclass(frozen=True)
class Person:
    user_id: str
    city: str
    role: Role
    parks: tuple[str, ...] = ()  # those they manage
    registered: bool = True
    station: str | None = None  # the station a station's head heads


PEOPLE = {
    "staff": Person("heze-staff", HEZE, Role.staff),
    "admin": Person("heze-admin", HEZE, Role.admin),
    "leader": Person("heze-leader", HEZE, Role.leader),
    "park's manager": Person(f"mgr-{PARK}", HEZE, Role.park_manager, (PARK,)),
    "other park's manager": Person(f"mgr-{OTHER_PARK}", HEZE, Role.park_manager, (OTHER_PARK,)),
    "unregistered manager": Person("mgr-nobody", HEZE, Role.park_manager, registered=False),
    "station": Person("heze-station", HEZE, Role.station, station="heze-station"),
    "other city's staff": Person("jining-staff", JINING, Role.staff),
    "other city's admin": Person("jining-admin", JINING, Role.admin),
    "other city's manager": Person("jining-mgr", JINING, Role.park_manager, (JINING_PARK,)),
}


@dataclass(frozen=True)
class City:
    park: Park
    project: registry.Project
    proposal: Proposal
    plan: Plan
    letter: DeadLetter
    station: people.Station
    person: people.Person
    task: people.Task
    channel: notification.Channel
    notice: notification.Notice
    delivery: notification.Delivery

    @property
    def ids(self) -> dict[str, Any]:
        """Each record's id by the name the matrix gives it in a path (`{park}`, …)."""
        return {"park": self.park.id, "project": self.project.id, "proposal": self.proposal.id,
                "plan": self.plan.id, "letter": self.letter.stream_sequence,
                "user": f"{self.park.tenant_id}-staff", "service": "matching", "locale": "en",
                "station": self.station.id, "person": self.person.id, "task": self.task.id,
                "erased": f"{self.park.tenant_id}-erased", "channel": self.channel.id,
                "deleted_channel": f"{self.park.tenant_id}-deleted-channel",
                "notification": self.notice.id, "delivery": self.delivery.id}

    def record(self, record_id: str) -> Any:
        for found in (self.park, self.project, self.proposal, self.plan, self.station,
                      self.person, self.task, self.channel, self.notice, self.delivery):
            if found.id == record_id:
                return found
        raise NotFound(f"no record {record_id} in {self.park.tenant_id}")


def city(name: str, park_id: str, letter_sequence: int) -> City:
    park = Park(id=park_id, tenant_id=name, created_at=NOW, **PARK_FIELDS)
    project = registry.Project(id=f"{name}-project", tenant_id=name, submitted_by=f"{name}-staff",
                               submitted_at=NOW, **PROJECT_FIELDS)
    proposal = Proposal(
        id=f"{name}-proposal", tenant_id=name, project_id=project.id, project_name=project.name,
        park_id=park.id, park_name=park.name, status=ProposalStatus.offered, score=80.0,
        chain_role=ChainRole.same_sector, subsidy_yuan=12000.0, explanation_zh="同一产业",
        explanation_en="same sector", offered_at=NOW)
    plan = Plan(id=f"{name}-plan", tenant_id=name, started_at=NOW, finished_at=NOW, triggers=[],
                triggers_total=0, fingerprint="0" * 64, mode="hold", status="optimal",
                objective=80.0, bound=80.0, gap_pct=0.0, solve_seconds=0.1, open_projects=1,
                offered=1, unplaced=0, moved=0, proposal_ids=[proposal.id])
    letter = DeadLetter(stream_sequence=letter_sequence,
                        subject=dead_letter_subject("matching", "planner", name),
                        original_subject=registry.ProjectSubmitted.SUBJECT, consumer="planner",
                        city=name, reason="unreadable", parked_at=NOW, payload="{}")
    station = people.Station(id=f"{name}-station", tenant_id=name, created_at=NOW,
                             **STATION_FIELDS)
    person = people.Person(id=f"{name}-person", tenant_id=name, created_at=NOW,
                           station_id=station.id, **PERSON_FIELDS)
    task = people.Task(id=f"{name}-task", tenant_id=name, created_by=f"{name}-staff",
                       created_at=NOW, **{**TASK_FIELDS, "person_id": person.id,
                                          "assignee_id": f"{name}-staff"})
    channel = notification.Channel(id=f"{name}-channel", tenant_id=name, created_at=NOW,
                                   updated_at=NOW, has_secret=True, **{
                                       **CHANNEL_FIELDS, "park_id": park.id,
                                       "url": "https://oapi.dingtalk.com/robot/send?access_token=***"})
    manager = next(person.user_id for person in PEOPLE.values()
                   if person.city == name and park.id in person.parks)
    notice = notification.Notice(id=f"{name}-notice", tenant_id=name,
                                 kind=notification.NoticeKind.proposal_offered, user_id=manager,
                                 park_id=None)
    delivery = notification.Delivery(
        id=f"{name}-delivery", tenant_id=name, medium=notification.Medium.dingtalk,
        channel_id=channel.id, channel_name=channel.name, recipient=park.id,
        notification_ids=[notice.id], status=notification.DeliveryStatus.failed,
        idempotency_key=f"{name}-delivery", created_at=NOW, attempts=[notification.Attempt(
            number=1, started_at=NOW, finished_at=NOW,
            outcome=notification.AttemptOutcome.permanent, response_code="310000",
            error="keywords not in content")])
    return City(park, project, proposal, plan, letter, station, person, task, channel, notice,
                delivery)


CITIES = {HEZE: city(HEZE, PARK, 1), JINING: city(JINING, JINING_PARK, 2)}


def of(request: Any) -> City:
    return CITIES[request.tenant_id]


def found(field: str) -> Any:
    """A reply: the record of the request's city whose id the request names in `field`."""
    return lambda request: of(request).record(getattr(request, field))


def user(request: Any) -> registry.UserView:
    """The person a request names by `user_id`, as registry would answer of them."""
    for person in PEOPLE.values():
        if person.registered and (person.city, person.user_id) == (request.tenant_id,
                                                                   request.user_id):
            return registry.UserView(user=User(id=person.user_id, tenant_id=person.city,
                                               name=person.user_id, role=person.role,
                                               station_id=person.station),
                                     managed_park_ids=list(person.parks))
    raise NotFound(f"no user {request.user_id}")


def password_changed(request: registry.ChangePassword) -> registry.UserView:
    user(registry.GetUser(tenant_id=request.tenant_id, user_id=request.user_id))
    raise Invalid.at(["current_password"], "the current password is wrong")


def placements(request: matching.GetPlacements) -> matching.PlacementList:
    proposal = of(request).proposal
    return matching.PlacementList(placements=[
        Placement(project_id=project_id, status=ProjectStatus.proposed, proposal=proposal)
        if project_id == proposal.project_id else
        Placement(project_id=project_id, status=ProjectStatus.submitted)
        for project_id in request.project_ids])


def proposals(request: matching.ListProposals) -> matching.ProposalList:
    shown = [proposal for proposal in [of(request).proposal]
             if request.park_ids is None or proposal.park_id in request.park_ids]
    return matching.ProposalList(proposals=shown, total=len(shown),
                                 counts={ProposalStatus.offered: len(shown)} if shown else {})


def projects(request: matching.ListProjects) -> matching.ProjectPage:
    listed = [matching.ProjectListing(project=of(request).project, placement=placement)
              for placement in placements(matching.GetPlacements(
                  tenant_id=request.tenant_id, project_ids=[of(request).project.id])).placements]
    return matching.ProjectPage(items=listed, total=len(listed))


def preview(request: matching.PreviewPlan) -> matching.PlanPreview:
    for change in request.changes:
        if change.park_id != of(request).park.id:
            raise NotFound(f"no park {change.park_id}")
    outcome = matching.PreviewOutcome(status="optimal", objective=0.0, bound=0.0,
                                      solve_seconds=0.0, offers=[], unplaced_project_ids=[])
    return matching.PlanPreview(changes=request.changes, current=outcome, changed=outcome,
                                gained=[], lost=[])


def contact(request: people.RecordContact) -> people.Contact:
    return people.Contact(id="contact-1", tenant_id=request.tenant_id,
                          person_id=of(request).record(request.person_id).id,
                          recorded_by=request.recorded_by, recorded_at=NOW,
                          **request.contact.model_dump())


def performance(request: matching.GetStationPerformance) -> matching.StationPerformanceList:
    return matching.StationPerformanceList(stations=[matching.StationPerformance(
        station_id=of(request).station.id, recommended=1, proposed=1, placed=0, withdrawn=0,
        investment_yuan=0, jobs=0)])


def people_replies() -> dict[str, Any]:
    """Registry's stations, people, contacts and tasks, and matching's leads and performance."""
    return {
        people.GetStation.SUBJECT: found("station_id"),
        people.UpdateStation.SUBJECT: found("station_id"),
        people.RegisterStation.SUBJECT: lambda request: people.Station(
            id=request.station_id or "new-station", tenant_id=request.tenant_id,
            created_at=NOW, **request.station.model_dump()),
        people.ListStations.SUBJECT: lambda request: people.StationList(
            stations=[of(request).station], total=1),
        people.GetPerson.SUBJECT: found("person_id"),
        people.UpdatePerson.SUBJECT: found("person_id"),
        people.ErasePerson.SUBJECT: found("person_id"),  # the matrix erases no one it knows
        people.RegisterPerson.SUBJECT: lambda request: people.Person(
            id=request.person_id or "new-person", tenant_id=request.tenant_id, created_at=NOW,
            **request.person.model_dump()),
        people.ListPeople.SUBJECT: lambda request: people.PersonList(
            people=[person for person in [of(request).person]
                    if request.station_id in (None, person.station_id)], total=1),
        people.GetPeople.SUBJECT: lambda request: people.PersonList(people=[], total=0),
        people.ListContacts.SUBJECT: lambda request: people.ContactList(contacts=[], total=0),
        people.RecordContact.SUBJECT: contact,
        people.ListTasks.SUBJECT: lambda request: people.TaskList(tasks=[of(request).task],
                                                                  total=1),
        people.CreateTask.SUBJECT: lambda request: of(request).task,
        people.UpdateTask.SUBJECT: found("task_id"),
        people.ListPersonalDataReads.SUBJECT: people.PersonalDataReadList(reads=[], total=0),
        matching.GetParkLeads.SUBJECT: lambda request: matching.ParkLeads(
            park_id=of(request).record(request.park_id).id, park_name=of(request).park.name,
            computed_at=NOW, links=[]),
        matching.GetStationPerformance.SUBJECT: performance,
    }


def preferences(request: Any) -> notification.Preferences:
    return notification.Preferences(user_id=request.user_id, items=getattr(request, "items", []),
                                    critical=sorted(notification.CRITICAL))


def notification_replies() -> dict[str, Any]:
    """Notification's inbox, preferences, channels and delivery log."""
    nothing_unread = notification.Unread(unread=0)
    return {
        notification.ListInbox.SUBJECT: notification.Inbox(items=[], total=0, unread=0),
        notification.CountUnread.SUBJECT: nothing_unread,
        notification.MarkRead.SUBJECT: nothing_unread,
        notification.GetPreferences.SUBJECT: preferences,
        notification.SetPreferences.SUBJECT: preferences,
        notification.ListChannels.SUBJECT: lambda request: notification.Channels(
            items=[of(request).channel], total=1),
        notification.GetChannel.SUBJECT: found("channel_id"),
        notification.CreateChannel.SUBJECT: lambda request: of(request).channel,
        notification.UpdateChannel.SUBJECT: found("channel_id"),
        notification.DeleteChannel.SUBJECT: lambda request: notification.ChannelDeleted(
            channel_id=of(request).record(request.channel_id).id, cancelled=0),
        notification.TestChannel.SUBJECT: lambda request: notification.Attempt(
            number=1, started_at=NOW, finished_at=NOW,
            outcome=notification.AttemptOutcome.sent
            if of(request).record(request.channel_id) else None),
        notification.GetNotification.SUBJECT: found("notification_id"),
        notification.ListDeliveries.SUBJECT: lambda request: notification.Deliveries(
            items=[of(request).delivery], total=1),
        notification.ResendDelivery.SUBJECT: found("delivery_id"),
    }


def two_cities() -> FakeGateway:
    """The services of both cities: each request answered from the records of its own city."""
    return FakeGateway({
        registry.GetUser.SUBJECT: user,
        registry.ListUsers.SUBJECT: lambda request: registry.UserList(
            users=[user(registry.GetUser(tenant_id=request.tenant_id,
                                         user_id=f"{request.tenant_id}-staff")).user], total=1),
        registry.UpdateUser.SUBJECT: lambda request: user(request),
        registry.ResetPassword.SUBJECT: lambda request: user(request),
        registry.ChangePassword.SUBJECT: password_changed,
        registry.RegisterUser.SUBJECT: lambda request: User(
            id=request.user_id or "new-user", tenant_id=request.tenant_id,
            **request.user.model_dump()),
        registry.RegisterPark.SUBJECT: lambda request: Park(
            id=request.park_id or "new-park", tenant_id=request.tenant_id, created_at=NOW,
            **request.park.model_dump()),
        registry.GetPark.SUBJECT: found("park_id"),
        registry.UpdatePark.SUBJECT: found("park_id"),
        registry.ListParks.SUBJECT: lambda request: registry.ParkList(parks=[of(request).park],
                                                                      total=1),
        registry.SubmitProject.SUBJECT: lambda request: of(request).project,
        registry.GetProject.SUBJECT: found("project_id"),
        registry.UpdateProject.SUBJECT: found("project_id"),
        registry.WithdrawProject.SUBJECT: found("project_id"),
        registry.ListProjects.SUBJECT: lambda request: registry.ProjectList(
            projects=[of(request).project], total=1),
        matching.GetPlacements.SUBJECT: placements,
        matching.ListProjects.SUBJECT: projects,
        matching.LimitParkCapacity.SUBJECT: lambda request: matching.ParkCommitments(
            park_id=request.park_id, accepted={}),
        matching.GetProjectHistory.SUBJECT: lambda request: matching.ProjectHistory(
            project_id=of(request).record(request.project_id).id, entries=[]),
        matching.ListProposals.SUBJECT: proposals,
        matching.GetProposal.SUBJECT: found("proposal_id"),
        matching.AcceptProposal.SUBJECT: found("proposal_id"),
        matching.RejectProposal.SUBJECT: found("proposal_id"),
        matching.ListPlans.SUBJECT: lambda request: matching.PlanList(plans=[of(request).plan],
                                                                      total=1),
        matching.GetPlan.SUBJECT: found("plan_id"),
        matching.GetPlanningStatus.SUBJECT: matching.PlanningStatus(solving=None,
                                                                    queued_triggers=0),
        matching.PreviewPlan.SUBJECT: preview,
        matching.GetParkOccupancy.SUBJECT: lambda request: matching.ParkOccupancy(
            park_id=of(request).record(request.park_id).id, resources=[]),
        matching.GetChainCoverage.SUBJECT: lambda request: matching.ChainMap(
            park_ids=request.park_ids, chains=[]),
        matching.GetFunnel.SUBJECT: matching.Funnel(submitted=1, proposed=1, placed=0,
                                                    placement_rate=0.0, by_status={
                                                        ProjectStatus.proposed: 1}),
        matching.GetBreakdown.SUBJECT: lambda request: matching.Breakdown(by=request.by, rows=[]),
        matching.GetParkUse.SUBJECT: matching.ParkUseList(parks=[]),
        matching.GetPlanStats.SUBJECT: lambda request: matching.PlanStats(
            plans=[matching.PlanSummary.model_validate(of(request).plan, from_attributes=True)],
            unplaced=0, reasons=[]),
        **notification_replies(),
        registry.RecordExport.SUBJECT: lambda request: registry.ExportRecord(
            id="export-1", tenant_id=request.tenant_id, exported_by=request.exported_by,
            exported_at=datetime(2026, 6, 1, tzinfo=UTC), what=request.what, rows=request.rows,
            filters=request.filters),
        registry.ListExports.SUBJECT: registry.ExportList(exports=[], total=0),
        **{health_subject(service): Health(service=service, database=True)
           for service in SERVICES},
        **{asyncapi_subject(service): AsyncAPIDocument(document={}) for service in SERVICES},
        **people_replies(),
    }, letters=[each.letter for each in CITIES.values()])


@contextmanager
def jining_served(root: Path) -> Iterator[None]:
    """Jining served besides Heze, as ops add a city: Heze's taxonomy under its name in
    `CITIES_DIR`. The cities are read once per process, so they are read again on the way in
    and on the way out."""
    heze = files("guiyan_contracts.taxonomies").joinpath("heze.toml").read_text("utf-8")
    (root / "taxonomies").mkdir(parents=True, exist_ok=True)
    (root / "taxonomies" / "jining.toml").write_text(
        heze.replace('city = "heze"', 'city = "jining"'), "utf-8")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CITIES_DIR", str(root))
        configured_cities.cache_clear()
        load_taxonomy.cache_clear()
        try:
            yield
        finally:
            configured_cities.cache_clear()
            load_taxonomy.cache_clear()
