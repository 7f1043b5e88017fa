"""The demo city as `make run` loads it, on the shared system: every demo park lacking a link has
leads among the archive's consenting people, and the demo loaded again changes nothing."""

from __future__ import annotations

from typing import Any

from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack import demo
from guiyan_devstack.demo_people import missing_links

from .conftest import eventually


def people_by_id(staff) -> dict[str, dict[str, Any]]:
    return {person["id"]: person for person in staff.items("/api/v1/people", limit=1000)}


def test_each_demo_park_lacking_a_link_has_leads_and_each_lead_consented(as_role) -> None:
    """Lacking is missing between the links a park hosts (补链) or beyond them (延链). Other
    tests place projects, so a link lacking at the start may be hosted by now: every link
    still lacking is checked, and each park has some."""
    staff = as_role("staff")
    people = people_by_id(staff)
    for park_id, lacking in missing_links(demo.PARKS, load_taxonomy(demo.TENANT)).items():
        def gaps_with_leads(park_id: str = park_id) -> list[dict[str, Any]]:
            answer = staff.get(f"/api/v1/parks/{park_id}/leads")
            return [view for view in answer["links"] if view["leads"]]

        found = eventually(gaps_with_leads, timeout=60)
        for view in found:
            if (view["sector"], view["chain"], view["link"]) not in lacking:
                continue
            for lead in view["leads"]:
                person = people.get(lead["person_id"]) or staff.get(
                    f"/api/v1/people/{lead['person_id']}")
                assert person["contact_consent"] and person["link"] == view["link"], park_id


def test_the_demo_loaded_again_changes_nothing(stack, as_role) -> None:
    staff, admin = as_role("staff"), as_role("admin")

    def state() -> dict[str, Any]:
        return {"stations": admin.get("/api/v1/stations", limit=1)["total"],
                "tasks": staff.get("/api/v1/tasks", limit=1)["total"],
                "told of tasks": sum(item["kind"] == "task_assigned"
                                     for item in staff.items("/api/v1/inbox", limit=200)),
                "people": sorted((p["id"], p["updated_at"], p["last_contact_on"])
                                 for p in people_by_id(staff).values())}

    before = state()
    assert sum(1 for p in staff.items("/api/v1/people", limit=1000) if p.get("archive_ref")) >= 500
    demo.load(stack.portal_url, stack.config.auth_secret, projects=0)
    assert state() == before
