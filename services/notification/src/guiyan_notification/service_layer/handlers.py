"""notification's handlers: turn events into inbox items and pending email deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import col, delete, select

from guiyan_contracts import matching_v1
from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.matching import (
    ProjectUnplaced,
    ProposalAccepted,
    ProposalExpired,
    ProposalOffered,
    ProposalRejected,
    ProposalReminded,
    ProposalWithdrawn,
)
from guiyan_contracts.models import InboxItem
from guiyan_contracts.notification import Inbox, ListInbox
from guiyan_contracts.people import PersonErased, TaskAssigned, erasure_digest
from guiyan_contracts.registry import UserRegistered, UserUpdated
from guiyan_eventing.errors import Rejected

from ..adapters.orm import Delivery, ErasedPerson, InboxRow, Recipient, TaskSubject
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import messages
from ..domain.messages import Message

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
                                email=str(user.email) if user.email else None, locale=user.locale))


def deliver(uow: NotificationUnitOfWork, event: Event, user_ids: list[str], message: Message,
            proposal_id: str | None, email_enabled: bool, task_id: str | None = None) -> None:
    """An inbox item (and an email, where sent) for each recipient once. An event naming someone
    recorded in another city is parked: nobody hears of another city's proposals."""
    recipients = list(dict.fromkeys(user_ids))  # a manager of two parks hears once
    with uow.session.no_autoflush:  # a batch's items are inserted at its commit, not per event
        elsewhere = [user_id for user_id in recipients
                     if (known := uow.session.get(Recipient, user_id)) is not None
                     and known.tenant_id != event.tenant_id]
    if elsewhere:
        raise Rejected(f"{', '.join(elsewhere)} are not of {event.tenant_id}, the event's city")
    for user_id in recipients:
        item = InboxRow(id=str(uuid.uuid4()), tenant_id=event.tenant_id, user_id=user_id,
                        kind=message.kind, title_zh=message.title_zh, title_en=message.title_en,
                        body_zh=message.body_zh, body_en=message.body_en, proposal_id=proposal_id,
                        task_id=task_id, source_event_id=str(event.event_id), created_at=utc_now())
        uow.session.add(item)
        if email_enabled:
            uow.session.add(Delivery(inbox_item_id=item.id, channel="email", status="pending",
                                     next_attempt_at=utc_now()))


def notifier(email_enabled: bool) -> dict[type[Event], Callable[[Event, NotificationUnitOfWork], None]]:
    """The handler of each event that tells someone something, and whom it tells."""

    def offered(event: ProposalOffered, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, event.manager_ids, messages.proposal_offered(event),
                event.proposal.id, email_enabled)

    def accepted(event: ProposalAccepted, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, [event.submitted_by], messages.proposal_accepted(event),
                event.proposal.id, email_enabled)

    def rejected(event: ProposalRejected, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, [event.submitted_by], messages.proposal_rejected(event),
                event.proposal.id, email_enabled)

    def unplaced(event: ProjectUnplaced, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, [event.submitted_by], messages.project_unplaced(event), None,
                email_enabled)

    def reminded(event: ProposalReminded, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, event.manager_ids, messages.proposal_reminded(event),
                event.proposal.id, email_enabled)

    def expired(event: ProposalExpired, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, [*event.manager_ids, event.submitted_by],
                messages.proposal_expired(event), event.proposal.id, email_enabled)

    def withdrawn(event: ProposalWithdrawn, uow: NotificationUnitOfWork) -> None:
        deliver(uow, event, [*event.manager_ids, event.submitted_by],
                messages.proposal_withdrawn(event), event.proposal.id, email_enabled)

    def assigned(event: TaskAssigned, uow: NotificationUnitOfWork) -> None:
        if uow.session.get(ErasedPerson, erasure_digest(event.tenant_id, event.person_id)):
            return  # a task of someone erased since, redelivered late: nothing to tell
        record_task_subject(event, uow)
        deliver(uow, event, [event.assignee_id], messages.task_assigned(event), None,
                email_enabled, task_id=event.task_id)

    current = {TaskAssigned: assigned, ProposalOffered: offered, ProposalAccepted: accepted,
               ProposalRejected: rejected, ProjectUnplaced: unplaced, ProposalReminded: reminded,
               ProposalExpired: expired, ProposalWithdrawn: withdrawn}
    return current | {older: _upgrading(current[newer])  # type: ignore[return-value]
                      for older, newer in matching_v1.CURRENT.items()}


def record_task_subject(event: TaskAssigned, uow: NotificationUnitOfWork) -> None:
    """Which person the task is about, for their erasure to find its items. A task is of one
    city: an event that says otherwise is parked."""
    known = uow.session.get(TaskSubject, event.task_id)
    if known and known.tenant_id != event.tenant_id:
        raise Rejected(f"task {event.task_id} is in {known.tenant_id}, "
                       f"but the event is for {event.tenant_id}")
    uow.session.merge(TaskSubject(task_id=event.task_id, tenant_id=event.tenant_id,
                                  person_id=event.person_id))


def forget_person(event: PersonErased, uow: NotificationUnitOfWork) -> None:
    """Everything held about an erased person goes: the inbox items of tasks about them, those
    items' delivery log, and the record of which tasks were theirs. Sent again, it finds nothing
    left and changes nothing. Only a digest stays, so that the person's task redelivered late
    is not told again."""
    uow.session.merge(ErasedPerson(digest=erasure_digest(event.tenant_id, event.person_id),
                                   erased_at=event.occurred_at))
    uow.session.flush()  # a task assigned earlier in the same batch is found too
    tasks = list(uow.session.exec(
        select(TaskSubject.task_id).where(TaskSubject.tenant_id == event.tenant_id)
        .where(TaskSubject.person_id == event.person_id)))
    if not tasks:
        return
    items = select(InboxRow.id).where(InboxRow.tenant_id == event.tenant_id).where(
        col(InboxRow.task_id).in_(tasks))
    uow.session.exec(delete(Delivery).where(col(Delivery.inbox_item_id).in_(items)))
    uow.session.exec(delete(InboxRow).where(col(InboxRow.id).in_(items)))
    uow.session.exec(delete(TaskSubject).where(col(TaskSubject.task_id).in_(tasks)))


def _upgrading(handle: Callable[[E, NotificationUnitOfWork], None]
               ) -> Callable[[Event, NotificationUnitOfWork], None]:
    """`handle` for the version 1 of its event, upgraded on the way in."""
    def handle_older(event: Event, uow: NotificationUnitOfWork) -> None:
        handle(matching_v1.upgraded(event), uow)  # type: ignore[arg-type]
    return handle_older


def list_inbox(query: ListInbox, uow: NotificationUnitOfWork) -> Inbox:
    """A page of the user's items, newest first, and how many they have in all."""
    mine = select(InboxRow).where(InboxRow.tenant_id == query.tenant_id).where(
        InboxRow.user_id == query.user_id)
    total = uow.session.exec(select(func.count()).select_from(mine.subquery())).one()
    rows = uow.session.exec(mine.order_by(col(InboxRow.created_at).desc(), col(InboxRow.id))
                            .limit(query.limit).offset(query.offset))
    return Inbox(items=[InboxItem.model_validate(row, from_attributes=True) for row in rows],
                 total=total)
