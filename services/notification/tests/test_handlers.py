"""notification's handlers on a real database: an event naming someone of another city changes
nothing and is parked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from guiyan_contracts.matching import ProposalWithdrawn
from guiyan_contracts.matching_v1 import ProposalWithdrawnV1
from guiyan_contracts.models import Bilingual, ProposalStatus, User
from guiyan_contracts.people import PersonErased, TaskAssigned
from guiyan_contracts.registry import UserRegistered, UserUpdated
from guiyan_eventing.errors import Rejected
from guiyan_notification.adapters.orm import (
    Delivery,
    ErasedPerson,
    Notice,
    Recipient,
    TaskSubject,
)
from guiyan_notification.service_layer.handlers import forget_person, notifier, record_user
from guiyan_notification.service_layer.telling import Telling

from .test_delivery import offered


def registered(user_id: str, city: str, event_city: str | None = None) -> UserRegistered:
    return UserRegistered(producer="registry", tenant_id=event_city or city, user=User(
        id=user_id, tenant_id=city, name="负责人", role="park_manager"))


def test_a_user_is_recorded_in_one_city_and_an_event_saying_otherwise_is_parked(uow) -> None:
    with uow() as unit:
        record_user(registered("mgr-a", "heze"), unit)
        unit.commit()
    for forged in (registered("mgr-a", "jining"), registered("mgr-b", "heze", "jining")):
        with uow() as unit, pytest.raises(Rejected):
            record_user(forged, unit)
    with uow() as unit:
        assert [r.tenant_id for r in unit.session.exec(select(Recipient))] == ["heze"]


def test_an_updated_user_is_reached_as_the_update_leaves_them(uow) -> None:
    with uow() as unit:
        record_user(registered("mgr-a", "heze"), unit)
        unit.commit()
    with uow() as unit:
        record_user(UserUpdated(producer="registry", tenant_id="heze", updated_by="admin",
                                user=User(id="mgr-a", tenant_id="heze", name="王芳",
                                          role="park_manager", email="wang@heze.example.cn",
                                          locale="en")), unit)
        unit.commit()
    with uow() as unit:
        recipient = unit.session.get(Recipient, "mgr-a")
        assert (recipient.name, recipient.email, recipient.locale) == (
            "王芳", "wang@heze.example.cn", "en")


def test_an_offer_naming_a_manager_of_another_city_tells_nobody(uow) -> None:
    with uow() as unit:
        record_user(registered("mgr-a", "heze"), unit)
        unit.commit()
    tell = notifier(Telling(email_enabled=False, digest_seconds=0))
    with uow() as unit, pytest.raises(Rejected, match="mgr-a"):
        event = offered("jining", "mgr-a")
        tell[type(event)](event, unit)
    with uow() as unit:
        assert unit.session.exec(select(Notice)).all() == []


def withdrawn(reason: Bilingual) -> ProposalWithdrawn:
    offer = offered("heze", "mgr-a")
    proposal = offer.proposal.model_copy(update={"status": ProposalStatus.withdrawn, "withdraw_reason": reason})
    return ProposalWithdrawn(producer="matching", tenant_id="heze", proposal=proposal,
                             manager_ids=["mgr-a"], submitted_by="staff")


def told(uow, event) -> tuple[str, str]:
    with uow() as unit:
        notifier(Telling(email_enabled=False, digest_seconds=0))[type(event)](event, unit)
        unit.commit()
    with uow() as unit:
        (item, *_) = unit.session.exec(select(Notice)).all()
        return item.body_zh, item.body_en


def test_a_withdrawal_tells_each_language_its_own_reason(uow) -> None:
    zh, en = told(uow, withdrawn(Bilingual(zh="项目已撤回", en="the project was withdrawn")))
    assert "项目已撤回" in zh and "the project" not in zh
    assert "the project was withdrawn" in en and "项目已撤回" not in en


def test_a_version_1_withdrawal_still_in_the_stream_is_read_with_its_reason_apart(uow) -> None:
    """As matching's last release published it: the reason joined into one string."""
    current = withdrawn(Bilingual(zh="x", en="x")).model_dump(mode="json")
    current["proposal"]["withdraw_reason"] = "项目已撤回 / the project was withdrawn"
    older = ProposalWithdrawnV1.model_validate(current)
    zh, en = told(uow, older)
    assert "原因：项目已撤回。" in zh and en.endswith("was withdrawn: the project was withdrawn.")


def test_an_erasure_in_the_batch_of_the_task_s_assignment_finds_its_item_and_again_finds_nothing(
        uow) -> None:
    tell = notifier(Telling(email_enabled=True, digest_seconds=0))
    task = TaskAssigned(producer="registry", tenant_id="heze", task_id="task-1", person_id="p-1",
                        assignee_id="heze-staff", due_on=date(2026, 12, 20), assigned_by="admin")
    erased = PersonErased(producer="registry", tenant_id="heze", person_id="p-1")
    with uow() as unit:
        tell[TaskAssigned](task, unit)
        forget_person(erased, unit)
        unit.commit()
    with uow() as unit:
        forget_person(erased, unit)
        unit.commit()
    with uow() as unit:
        assert [unit.session.exec(select(table)).all()
                for table in (Notice, Delivery, TaskSubject)] == [[], [], []]


def test_a_task_of_someone_erased_redelivered_late_tells_nobody_and_keeps_no_id(uow) -> None:
    tell = notifier(Telling(email_enabled=True, digest_seconds=0))
    task = TaskAssigned(producer="registry", tenant_id="heze", task_id="task-1", person_id="p-1",
                        assignee_id="heze-staff", due_on=date(2026, 12, 20), assigned_by="admin")
    with uow() as unit:
        forget_person(PersonErased(producer="registry", tenant_id="heze", person_id="p-1"), unit)
        unit.commit()
    with uow() as unit:  # overtaken by the erasure: a nak'd delivery, or a dead letter replayed
        tell[TaskAssigned](task, unit)
        unit.commit()
    with uow() as unit:
        assert [unit.session.exec(select(table)).all()
                for table in (Notice, Delivery, TaskSubject)] == [[], [], []]
        (kept,) = unit.session.exec(select(ErasedPerson.digest)).all()
    assert "p-1" not in kept
