"""Bad input gets a 4xx naming the field, never a 5xx, on the running system: numbers JSON cannot
carry, text that is not Unicode, offsets past any page, numbers sent as booleans or strings, and
bodies too large to read."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import project

PARK = {"name": "试验园", "kind": "return_home_park", "county": "caoxian",
        "sectors": ["textiles_apparel"], "floor_m2": 1000}


def raw(api, method: str, path: str, text: str) -> httpx.Response:
    return api.client.request(method, path, content=text.encode("utf-8", "surrogatepass"),
                              headers={"content-type": "application/json"})


def with_value(body: dict, field: str, literal: str) -> str:
    """The body as JSON text with `literal` written verbatim as the field's value."""
    return json.dumps({**body, field: "@@"}, ensure_ascii=False).replace('"@@"', literal)


NUMBER_FIELDS = [("/api/v1/projects", project(), f) for f in
                 ("floor_m2", "investment_yuan", "jobs", "expected_tax_yuan_per_year")] + [
                ("/api/v1/parks", PARK, f) for f in
                ("floor_m2", "land_mu", "incubator_slots", "annual_subsidy_budget_yuan")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e309"])
@pytest.mark.parametrize(("path", "body", "field"), NUMBER_FIELDS)
def test_a_number_json_cannot_carry_is_a_422_naming_its_field(as_role, path, body, field, literal):
    response = raw(as_role("admin"), "POST", path, with_value(body, field, literal))
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_nan_in_a_what_if_and_in_a_nested_policy_is_a_422(as_role) -> None:
    admin = as_role("admin")
    what_if = '{"changes": [{"park_id": "mudan-return-park", "floor_m2": NaN}]}'
    response = raw(admin, "POST", "/api/v1/plans/preview", what_if)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "changes", 0, "floor_m2"]
    policy = with_value(PARK, "subsidy_policy", '{"rent_yuan_per_m2_month": Infinity}')
    response = raw(admin, "PUT", "/api/v1/parks/mudan-return-park", policy)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "subsidy_policy",
                                                   "rent_yuan_per_m2_month"]


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("POST", "/api/v1/projects", project(), "name"),
    ("POST", "/api/v1/projects", project(), "founder"),
    ("POST", "/api/v1/parks", PARK, "name"),
    ("POST", "/api/v1/proposals/some-proposal/reject", {}, "reason"),
    ("POST", "/api/v1/projects/some-project/withdraw", {}, "reason"),
])
def test_text_with_a_lone_surrogate_is_a_422_naming_its_field(as_role, method, path, body, field):
    response = raw(as_role("admin"), method, path, with_value(body, field, '"场地\\ud800"'))
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/proposals", "/api/v1/parks",
                                  "/api/v1/plans", "/api/v1/inbox"])
@pytest.mark.parametrize("offset", ["9223372036854775808", "-1", "1e3", "nan"])
def test_an_offset_past_any_page_is_a_422_naming_it(as_role, path: str, offset: str) -> None:
    response = as_role("admin").client.get(path, params={"offset": offset})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]


@pytest.mark.parametrize("value", [True, "5", "五"])
@pytest.mark.parametrize("field", ["floor_m2", "jobs", "investment_yuan"])
def test_a_number_sent_as_a_boolean_or_a_string_is_refused(as_role, field: str, value) -> None:
    response = as_role("staff").client.post("/api/v1/projects", json=project(**{field: value}))
    assert response.status_code == 422
    assert ["body", field] in [e["loc"][:2] for e in response.json()["detail"]]


def test_a_what_if_budget_of_false_is_refused(as_role) -> None:
    response = as_role("admin").client.post("/api/v1/plans/preview", json={"changes": [
        {"park_id": "mudan-return-park", "annual_subsidy_budget_yuan": False}]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["body", "changes", 0,
                                                       "annual_subsidy_budget_yuan"]


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(as_role) -> None:
    body = b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = as_role("staff").client.post("/api/v1/projects", content=body,
                                            headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_a_validation_error_never_echoes_what_was_sent(as_role) -> None:
    response = as_role("staff").client.post("/api/v1/projects",
                                            json=project(jobs="my-password-123"))
    assert response.status_code == 422 and "my-password-123" not in response.text
