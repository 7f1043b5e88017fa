"""Follow-up tasks against real NATS and a real database: a task assigned makes one inbox item
for its assignee, however often the event comes, naming nobody; the person's erasure leaves no
trace of them in any of notification's tables."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import inspect, text
from sqlmodel import select

from guiyan_contracts.models import User
from guiyan_contracts.people import PersonErased, TaskAssigned
from guiyan_notification.adapters.orm import DeliveredNotice
from guiyan_notification.config import NotificationSettings
from guiyan_notification.entrypoints.app import build

from .test_delivery import emit, eventually, inbox, register

TENANT = "heze"


def assigned(assignee_id: str, person_id: str) -> TaskAssigned:
    return TaskAssigned(producer="registry", tenant_id=TENANT, task_id=str(uuid.uuid4()),
                        person_id=person_id, assignee_id=assignee_id,
                        due_on=date(2026, 12, 20), assigned_by="heze-admin")


async def redeliver(service, event) -> None:
    """The same event stored twice in the stream (as after a producer's crash past the duplicate
    window): the consumer sees it twice. The stream's acknowledgement is awaited as long as the
    relay waits for it: FastStream's default of half a second is shorter than a busy host takes."""
    for _ in range(2):
        await service.broker.publish(event.model_dump_json().encode(), event.SUBJECT,
                                     stream="GUIYAN_REGISTRY",
                                     timeout=service.settings.outbox_ack_timeout_seconds)


def every_row(service) -> str:
    """Every row of every table of notification's database, as text."""
    with service.uow() as uow:
        connection = uow.session.connection()
        return "\n".join(str(tuple(row)) for table in inspect(connection).get_table_names()
                         for row in connection.execute(text(f'SELECT * FROM "{table}"')))


async def test_a_task_is_one_item_for_its_assignee_and_the_person_s_erasure_leaves_no_trace(
        nats_url, database_url, tmp_path) -> None:
    service = build(NotificationSettings(nats_url=nats_url, database_url=database_url,
                                         smtp_host="127.0.0.1", smtp_port=1))
    # Ids of their own isolate this test's events from others' on the stream.
    staff = User(id=f"staff-{uuid.uuid4().hex[:8]}", tenant_id=TENANT, name="王招商",
                 role="staff", email="staff@heze.example.cn")
    person_id, other_id = f"person-{uuid.uuid4().hex}", f"person-{uuid.uuid4().hex}"
    task, other = assigned(staff.id, person_id), assigned(staff.id, other_id)
    async with service.app():
        await register(service, nats_url, tmp_path, staff)
        await redeliver(service, task)
        await emit(nats_url, tmp_path, other)
        items = await eventually(lambda: len(inbox(service, TENANT, staff.id)) == 2
                                 and inbox(service, TENANT, staff.id))
        mine = next(item for item in items if item.task_id == task.task_id)
        assert (mine.kind, mine.title_zh) == ("task_assigned", "新的跟进任务：2026年12月20日前完成")
        assert "Dec 20, 2026" in mine.body_en
        assert person_id in every_row(service)  # what the erasure must find

        await redeliver(service, PersonErased(producer="registry", tenant_id=TENANT,
                                              person_id=person_id))
        await eventually(lambda: person_id not in every_row(service))
        (left,) = inbox(service, TENANT, staff.id)
    assert left.task_id == other.task_id  # another person's task stays
    with service.uow() as uow:
        assert [d.notice_id for d in uow.session.exec(select(DeliveredNotice))] == [left.id]
