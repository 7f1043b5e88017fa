"""A city with a station, a staff member and people in it, for the tests of people, contacts,
tasks, erasure and the archive import."""

from __future__ import annotations

from typing import Any

from guiyan_contracts.models import UserFields
from guiyan_contracts.people import PersonFields, RegisterPerson
from guiyan_contracts.registry import RegisterUser
from guiyan_registry.service_layer import people, users

from .test_store import seed, send


def person_fields(**overrides: Any) -> PersonFields:
    fields: dict[str, Any] = {
        "name": "陈晓燕", "phone": "13800000001", "hometown_county": "caoxian",
        "current_province": "zhejiang", "current_city": "杭州", "sector": "textiles_apparel",
        "chain": "hanfu", "link": "design_pattern", "enterprise": "杭州尧舜服饰有限公司",
        "enterprise_scale": "medium", "station_id": "hangzhou", "contact_consent": True,
        "consent_on": "2025-03-01", "consent_source": "station"}
    return PersonFields.model_validate(fields | overrides)


def seed_city(uow) -> None:
    """A park, the Hangzhou station, and staff member `staff-1` and leader `leader-1`."""
    seed(uow)
    for user_id, role in (("staff-1", "staff"), ("leader-1", "leader")):
        send(uow, users.register_user, RegisterUser(
            tenant_id="heze", user_id=user_id, user=UserFields(name=f"{role}一号", role=role)))


def register(uow, person_id: str, **overrides: Any):
    return send(uow, people.register_person, RegisterPerson(
        tenant_id="heze", person_id=person_id, registered_by="staff-1",
        person=person_fields(**overrides)))
