"""The access rules the matrix does not show: how a list of proposals is narrowed to the parks a
caller may see, and how a caller's idempotency keys are kept apart from everyone else's."""

from __future__ import annotations

import pytest

from guiyan_contracts import matching, registry

from .fakes import Portal, token
from .two_cities import OTHER_PARK, PARK, PEOPLE, two_cities


@pytest.mark.parametrize(("caller", "asked_for", "parks"), [
    ("staff", None, None),
    ("staff", OTHER_PARK, [OTHER_PARK]),
    ("park's manager", None, [PARK]),
    ("park's manager", PARK, [PARK]),
])
async def test_a_list_of_proposals_asks_matching_for_the_parks_the_caller_may_see(
        caller: str, asked_for: str | None, parks: list[str] | None) -> None:
    portal, person = Portal(two_cities()), PEOPLE[caller]
    response = await portal.request(
        "GET", "/api/v1/proposals" + (f"?park_id={asked_for}" if asked_for else ""),
        token(person.user_id, person.city, person.role))
    assert response.status_code == 200
    (listed,) = [r for r in portal.services.asked if isinstance(r, matching.ListProposals)]
    assert listed.park_ids == parks


async def test_a_manager_asking_for_a_park_they_do_not_manage_is_refused_before_matching():
    portal, person = Portal(two_cities()), PEOPLE["park's manager"]
    response = await portal.request("GET", f"/api/v1/proposals?park_id={OTHER_PARK}",
                                    token(person.user_id, person.city, person.role))
    assert response.status_code == 403
    assert not any(isinstance(r, matching.ListProposals) for r in portal.services.asked)


async def test_an_idempotency_key_reaches_the_services_as_the_callers_own() -> None:
    portal, person = Portal(two_cities()), PEOPLE["park's manager"]
    response = await portal.request("POST", "/api/v1/proposals/heze-proposal/accept",
                                     token(person.user_id, person.city, person.role),
                                     headers={"Idempotency-Key": "first-try"})
    assert response.status_code == 200
    (accepted,) = [r for r in portal.services.asked if isinstance(r, matching.AcceptProposal)]
    assert accepted.idempotency_key == f"{person.user_id}:first-try"


async def test_dead_letters_are_read_for_the_callers_city_or_for_none() -> None:
    portal, person = Portal(two_cities()), PEOPLE["admin"]
    bearer = token(person.user_id, person.city, person.role)
    for query in ("?cityless=true", ""):
        assert (await portal.request("GET", f"/api/v1/dead-letters{query}", bearer)).status_code \
            == 200
    assert portal.services.letter_cities == [None, person.city]


async def test_a_list_of_projects_asks_matching_once_with_every_filter_read() -> None:
    portal, person = Portal(two_cities()), PEOPLE["staff"]
    response = await portal.request(
        "GET", "/api/v1/projects?q=汉服&status=proposed,placed&status=unplaced&sector="
               "&chain=hanfu&county=caoxian&source=杭州站&park_id=heze-park&sort=-jobs"
               "&limit=5&offset=10", token(person.user_id, person.city, person.role))
    assert response.status_code == 200
    assert {"items", "total", "limit", "offset"} <= response.json().keys()
    (listed,) = [r for r in portal.services.asked if isinstance(r, matching.ListProjects)]
    assert listed.model_dump(include={"q", "statuses", "sector", "chain", "county", "source",
                                      "park_ids", "sort", "limit", "offset"}) == {
        "q": "汉服", "statuses": ["proposed", "placed", "unplaced"], "sector": None,
        "chain": "hanfu", "county": "caoxian", "source": "杭州站", "park_ids": ["heze-park"],
        "sort": "-jobs", "limit": 5, "offset": 10}
    # The caller, as registry has them, then matching once: no request per project.
    assert [type(r) for r in portal.services.asked] == [registry.GetUser, matching.ListProjects]


async def test_a_list_of_proposals_reads_its_filters_and_gives_the_counts_by_status() -> None:
    portal, person = Portal(two_cities()), PEOPLE["park's manager"]
    response = await portal.request(
        "GET", "/api/v1/proposals?q=园&status=offered&sort=expires_at",
        token(person.user_id, person.city, person.role))
    assert response.status_code == 200 and response.json()["counts"] == {"offered": 1}
    (listed,) = [r for r in portal.services.asked if isinstance(r, matching.ListProposals)]
    assert (listed.q, listed.statuses, listed.sort, listed.park_ids) == (
        "园", ["offered"], "expires_at", [PARK])


@pytest.mark.parametrize(("path", "field"), [
    ("/api/v1/projects?status=proposed,lost", "status"),
    ("/api/v1/projects?sort=-founder", "sort"),
    ("/api/v1/projects?limit=0", "limit"),
    ("/api/v1/projects?limit=1001", "limit"),
    ("/api/v1/projects?offset=-1", "offset"),
    ("/api/v1/proposals?status=pending", "status"),
    ("/api/v1/proposals?sort=-name", "sort"),
    ("/api/v1/proposals?limit=501", "limit"),
])
async def test_an_unknown_filter_value_sort_or_page_is_a_422_naming_its_field(
        path: str, field: str) -> None:
    portal, person = Portal(two_cities()), PEOPLE["admin"]
    response = await portal.request("GET", path, token(person.user_id, person.city, person.role))
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", field]]
    assert not any(isinstance(r, (matching.ListProjects, matching.ListProposals))
                   for r in portal.services.asked)
