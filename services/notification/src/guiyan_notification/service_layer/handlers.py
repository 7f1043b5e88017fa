"""notification's event handlers: whom each event tells, and what notification keeps of users
and erased people."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import col, delete, select

from guiyan_contracts import matching_v1
from guiyan_contracts.envelope import Event
from guiyan_contracts.matching import (
    ProjectUnplaced,
    ProposalAccepted,
    ProposalExpired,
    ProposalOffered,
    ProposalRejected,
    ProposalReminded,
    ProposalWithdrawn,
)
from guiyan_contracts.notification import NoticeKind
from guiyan_contracts.people import PersonErased, TaskAssigned, erasure_digest
from guiyan_contracts.registry import UserRegistered, UserUpdated
from guiyan_eventing.errors import Rejected

from ..adapters.orm import DeliveredNotice, ErasedPerson, Notice, Recipient, TaskSubject
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import notices
from .log import forget_deliveries
from .telling import Telling, tell

E = TypeVar("E", bound=Event)


def record_user(event: UserRegistered | UserUpdated, uow: NotificationUnitOfWork) -> None:
    """Whom to reach, and how, as registered and as each update leaves them. A user is recorded
    in one city: an event that says otherwise is parked, and changes nothing."""
    user = event.user
    known = uow.session.get(Recipient, user.id)
    if user.tenant_id != event.tenant_id or (known and known.tenant_id != event.tenant_id):
        raise Rejected(f"user {user.id} is in {known.tenant_id if known else user.tenant_id}, "
                       f"but the event is for {event.tenant_id}")
    uow.session.merge(Recipient(id=user.id, tenant_id=user.tenant_id, name=user.name,
                                role=user.role.value, locale=user.locale,
                                email=str(user.email) if user.email and not user.disabled
                                else None))


def notifier(how: Telling) -> dict[type[Event], Callable[[Event, NotificationUnitOfWork], None]]:
    """The handler of each event that tells someone something, and whom it tells."""

    def offered(event: ProposalOffered, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_offered, event.proposal),
             event.manager_ids, how)

    def accepted(event: ProposalAccepted, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_accepted, event.proposal),
             [event.submitted_by], how)

    def rejected(event: ProposalRejected, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_rejected, event.proposal),
             [event.submitted_by], how)

    def unplaced(event: ProjectUnplaced, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.project_unplaced(event), [event.submitted_by], how)

    def reminded(event: ProposalReminded, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_reminded, event.proposal),
             event.manager_ids, how)

    def expired(event: ProposalExpired, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_expired, event.proposal),
             [*event.manager_ids, event.submitted_by], how)

    def withdrawn(event: ProposalWithdrawn, uow: NotificationUnitOfWork) -> None:
        tell(uow, event, notices.about_proposal(NoticeKind.proposal_withdrawn, event.proposal),
             [*event.manager_ids, event.submitted_by], how)

    def assigned(event: TaskAssigned, uow: NotificationUnitOfWork) -> None:
        if uow.session.get(ErasedPerson, erasure_digest(event.tenant_id, event.person_id)):
            return  # a task of someone erased since, redelivered late: nothing to tell
        record_task_subject(event, uow)
        tell(uow, event, notices.task_assigned(event), [event.assignee_id], how)

    current = {TaskAssigned: assigned, ProposalOffered: offered, ProposalAccepted: accepted,
               ProposalRejected: rejected, ProjectUnplaced: unplaced, ProposalReminded: reminded,
               ProposalExpired: expired, ProposalWithdrawn: withdrawn}
    return current | {older: _upgrading(current[newer])  # type: ignore[return-value]
                      for older, newer in matching_v1.CURRENT.items()}


def record_task_subject(event: TaskAssigned, uow: NotificationUnitOfWork) -> None:
    """Which person the task is about, for their erasure to find its notices. A task is of one
    city: an event that says otherwise is parked."""
    known = uow.session.get(TaskSubject, event.task_id)
    if known and known.tenant_id != event.tenant_id:
        raise Rejected(f"task {event.task_id} is in {known.tenant_id}, "
                       f"but the event is for {event.tenant_id}")
    uow.session.merge(TaskSubject(task_id=event.task_id, tenant_id=event.tenant_id,
                                  person_id=event.person_id))


def forget_person(event: PersonErased, uow: NotificationUnitOfWork) -> None:
    """Everything held about an erased person goes: the notices of tasks about them, their
    deliveries and attempts, and the record of which tasks were theirs. Sent again, it finds
    nothing left and changes nothing. Only a digest stays, so that the person's task
    redelivered late is not told again."""
    uow.session.merge(ErasedPerson(digest=erasure_digest(event.tenant_id, event.person_id),
                                   erased_at=event.occurred_at))
    uow.session.flush()  # a task assigned earlier in the same batch is found too
    tasks = list(uow.session.exec(
        select(TaskSubject.task_id).where(TaskSubject.tenant_id == event.tenant_id)
        .where(TaskSubject.person_id == event.person_id)))
    if not tasks:
        return
    found = select(Notice.id).where(Notice.tenant_id == event.tenant_id).where(
        col(Notice.task_id).in_(tasks))
    deliveries = select(DeliveredNotice.delivery_id).where(
        col(DeliveredNotice.notice_id).in_(found))
    forget_deliveries(uow, deliveries)
    uow.session.exec(delete(Notice).where(col(Notice.id).in_(found)))
    uow.session.exec(delete(TaskSubject).where(col(TaskSubject.task_id).in_(tasks)))


def _upgrading(handle: Callable[[E, NotificationUnitOfWork], None]
               ) -> Callable[[Event, NotificationUnitOfWork], None]:
    """`handle` for the version 1 of its event, upgraded on the way in."""
    def handle_older(event: Event, uow: NotificationUnitOfWork) -> None:
        handle(matching_v1.upgraded(event), uow)  # type: ignore[arg-type]
    return handle_older

