"""With two replicas on one durable, registry's events about a project may be applied out of
order: the newest state of the project is kept, whichever is applied last."""

from __future__ import annotations

from datetime import timedelta

from guiyan_contracts.models import Project
from guiyan_contracts.registry import ProjectSubmitted, ProjectUpdated, ProjectWithdrawn
from guiyan_matching.adapters.orm import ProjectRecord
from guiyan_matching.service_layer import lifecycle

from .conftest import NOW, project, record


def updated(name: str, minutes: int) -> ProjectUpdated:
    changed = project("p0").model_copy(update={"name": name,
                                               "updated_at": NOW + timedelta(minutes=minutes)})
    return ProjectUpdated(producer="registry", tenant_id="heze", project=changed,
                          updated_by="staff")


def apply(uow, event) -> None:
    with uow() as unit:
        {ProjectUpdated: lifecycle.project_updated,
         ProjectWithdrawn: lifecycle.project_withdrawn}[type(event)](event, unit)
        unit.commit()


def stored(uow) -> Project:
    with uow() as unit:
        record = unit.session.get(ProjectRecord, "p0")
        return Project.model_validate_json(record.snapshot_json)


def test_an_older_update_applied_after_a_newer_one_is_skipped(uow) -> None:
    record(uow, ProjectSubmitted(producer="registry", tenant_id="heze", project=project("p0")))
    apply(uow, updated("second", 2))
    apply(uow, updated("first", 1))  # handled on the other replica, committed later
    assert stored(uow).name == "second"
    apply(uow, updated("third", 3))
    assert stored(uow).name == "third"


def test_an_update_applied_after_the_withdrawal_it_preceded_leaves_it_withdrawn(uow) -> None:
    record(uow, ProjectSubmitted(producer="registry", tenant_id="heze", project=project("p0")))
    gone = project("p0").model_copy(update={"withdrawn_at": NOW + timedelta(minutes=5),
                                            "withdrawn_reason": "moved away"})
    apply(uow, ProjectWithdrawn(producer="registry", tenant_id="heze", project=gone,
                                withdrawn_by="staff"))
    apply(uow, updated("renamed", 1))
    assert stored(uow).withdrawn_reason == "moved away" and stored(uow).name == "项目p0"
