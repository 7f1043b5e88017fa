"""The acceptance flows of the first complete Guiyan, driven through the portal API."""

from __future__ import annotations

from typing import Any

from .conftest import Api, eventually, project


def placement(staff: Api, project_id: str, status: str) -> dict[str, Any] | None:
    view = staff.get(f"/api/v1/projects/{project_id}")
    return view if view["placement"]["status"] == status else None


def inbox_has(user: Api, kind: str, proposal_id: str | None = None, project_name: str = "") -> bool:
    return any(item["kind"] == kind and (proposal_id is None or item["proposal_id"] == proposal_id)
               and project_name in item["title_zh"] for item in user.items("/api/v1/inbox"))


def test_a_fitting_project_is_proposed_accepted_and_placed(as_role) -> None:
    staff = as_role("staff")
    submitted = staff.post("/api/v1/projects", project(), expect=202)
    assert submitted["status"] == "submitted"

    view = eventually(lambda: placement(staff, submitted["id"], "proposed"))
    proposal = view["placement"]["proposal"]
    # 补链: the hanfu park hosts weaving and e-commerce but not design, and the founder is from Caoxian.
    assert proposal["park_id"] == "caoxian-hanfu-park"
    assert proposal["chain_role"] == "fill_gap"
    assert "补链" in proposal["explanation_zh"] and "fills a missing link" in proposal["explanation_en"]

    manager = as_role("caoxian-hanfu-park")
    offered = manager.items("/api/v1/proposals", status="offered")
    assert proposal["id"] in [p["id"] for p in offered]
    explanation = manager.get(f"/api/v1/proposals/{proposal['id']}")["explanation"]
    terms = {t["term"]: t["points"] for t in explanation["score_terms"]}
    assert terms["chain_role"] == 40_000 and "hometown" in terms
    assert sum(terms.values()) == proposal["score"]
    assert {line["item"] for line in explanation["subsidy_lines"]} >= {"rent", "one_off"}
    resources = {r["resource"] for r in explanation["resources"]}
    assert "floor_m2" in resources and any(r.startswith("subsidy_yuan:") for r in resources)
    assert "年补贴预算" in proposal["explanation_zh"] and "扶持" in proposal["explanation_zh"]
    assert all(r["zh"] and r["en"] and r["verdict"] for r in explanation["runners_up"])
    eventually(lambda: inbox_has(manager, "proposal_offered", proposal["id"]))

    accepted = manager.post(f"/api/v1/proposals/{proposal['id']}/accept")
    assert accepted["status"] == "accepted"
    assert manager.post(f"/api/v1/proposals/{proposal['id']}/accept")["status"] == "accepted"
    assert placement(staff, submitted["id"], "placed")
    eventually(lambda: inbox_has(staff, "proposal_accepted", proposal["id"]))


def test_a_rejected_proposal_moves_to_another_eligible_park_then_to_unplaced(as_role) -> None:
    staff = as_role("staff")
    # Hazardous fine chemicals on land: only the two certified chemical parks may take it.
    submitted = staff.post("/api/v1/projects", project(
        name="鲁西精细化学品有限公司", sector="high_end_chemicals", chain="fine_chemicals",
        link="fine_chemical_products", floor_m2=0, land_mu=20, investment_yuan=60_000_000,
        expected_tax_yuan_per_year=5_000_000, required_facilities=["hazmat_storage"],
        hazardous_process=True, hometown_county="juye"), expect=202)

    first = eventually(lambda: placement(staff, submitted["id"], "proposed"))["placement"]["proposal"]
    assert first["park_id"] == "juye-chemical-park"
    as_role(first["park_id"]).post(f"/api/v1/proposals/{first['id']}/reject",
                                   {"reason": "用地已规划给其他项目"})

    def a_new_proposal() -> dict[str, Any] | None:
        view = placement(staff, submitted["id"], "proposed")
        return view if view and view["placement"]["proposal"]["id"] != first["id"] else None

    second = eventually(a_new_proposal)["placement"]["proposal"]
    assert second["park_id"] == "dongming-petrochemical-park"
    eventually(lambda: inbox_has(staff, "proposal_rejected", first["id"]))

    as_role(second["park_id"]).post(f"/api/v1/proposals/{second['id']}/reject",
                                    {"reason": "不符合园区规划"})
    unplaced = eventually(lambda: placement(staff, submitted["id"], "unplaced"))
    reason = unplaced["placement"]["unplaced_reason"]
    assert "does not take the project's sector" in reason["en"]
    assert "rejected it before" in reason["en"]
    assert "东明石化产业园（省认定化工园区）" in reason["zh"]
    verdicts = {v["park_id"]: v for v in unplaced["placement"]["unplaced_reasons"]}
    assert verdicts[first["park_id"]]["rule"] == verdicts[second["park_id"]]["rule"] == "forbidden"
    assert {v["verdict"] for v in verdicts.values()} == {"rule"}
    # every park of the city, each with its reason
    assert verdicts.keys() == {park["id"] for park in staff.items("/api/v1/parks")}
    eventually(lambda: inbox_has(staff, "project_unplaced", project_name="鲁西精细化学品"))


def test_managers_see_and_decide_only_their_own_parks_proposals(as_role) -> None:
    staff = as_role("staff")
    submitted = staff.post("/api/v1/projects", project(name="牡丹预制菜工坊", sector="agri_processing",
                                                        chain="flour_food", link="prepared_food",
                                                        hometown_county="mudan"), expect=202)
    proposal = eventually(lambda: placement(staff, submitted["id"], "proposed"))["placement"]["proposal"]
    stranger = as_role("juye-chemical-park")
    assert stranger.client.post(f"/api/v1/proposals/{proposal['id']}/accept").status_code == 403
    assert stranger.client.get(f"/api/v1/proposals/{proposal['id']}").status_code == 403
    assert stranger.client.get("/api/v1/proposals",
                               params={"park_id": proposal["park_id"]}).status_code == 403
    assert proposal["id"] not in [p["id"] for p in stranger.items("/api/v1/proposals")]
    assert staff.client.post(f"/api/v1/proposals/{proposal['id']}/accept").status_code == 403
    assert stranger.client.post("/api/v1/projects", json=project()).status_code == 403
    assert staff.client.get("/api/v1/inbox", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_a_malformed_project_gets_422_with_field_errors(as_role) -> None:
    staff = as_role("staff")
    response = staff.client.post("/api/v1/projects", json=project(floor_m2=-5, name=""))
    assert response.status_code == 422
    fields = {tuple(e["loc"][-1:]) for e in response.json()["detail"]}
    assert ("floor_m2",) in fields and ("name",) in fields

    # Well-formed, but not in this city's taxonomy: registry names each field.
    response = staff.client.post("/api/v1/projects", json=project(
        sector="textiles_apparel", chain="hanfu", link="spaceships", hometown_county="atlantis",
        preferred_park_ids=["no-such-park"]))
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["project", "link"] in locs and ["project", "hometown_county"] in locs
    assert ["project", "preferred_park_ids", 0] in locs

    assert staff.client.get("/api/v1/projects/no-such-project").status_code == 404


def test_ids_that_cannot_exist_are_422_never_500(as_role) -> None:
    admin = as_role("admin")
    for path in ("/api/v1/proposals/bad!id", "/api/v1/projects/" + "x" * 70, "/api/v1/parks/a%20b"):
        assert admin.client.get(path).status_code == 422, path
    assert admin.client.get("/api/v1/proposals", params={"park_id": "bad!id"}).status_code == 422
    assert admin.client.post("/api/v1/proposals/bad!id/accept").status_code == 422
    assert admin.client.post("/api/v1/projects", json=project(investment_yuan="Infinity")).status_code == 422


def test_an_expired_token_is_refused(stack) -> None:
    from datetime import timedelta

    import httpx

    from guiyan_contracts.models import Role
    from guiyan_portal.auth import mint_token

    expired = mint_token(stack.config.auth_secret, "heze-staff", "heze", Role.staff,
                         valid_for=timedelta(seconds=-1))
    response = httpx.get(f"{stack.portal_url}/api/v1/inbox",
                         headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401


def test_health_and_asyncapi_are_served(as_role, stack) -> None:
    import httpx

    health = httpx.get(f"{stack.portal_url}/healthz/system").json()
    assert health == {"status": "ok", "nats": True,
                      "services": {"registry": True, "matching": True, "notification": True}}
    assert httpx.get(f"{stack.portal_url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{stack.portal_url}/readyz").json() == {"status": "ready",
                                                              "checks": {"nats": "ok"}}
    document = as_role("admin").get("/api/v1/asyncapi/matching")
    assert any("proposal" in name for name in document["channels"])


def test_the_web_ui_and_the_taxonomy_behind_its_forms_are_served(as_role, stack) -> None:
    import httpx

    start = httpx.get(f"{stack.portal_url}/", follow_redirects=True)
    assert start.url.path == "/login" and "归雁" in start.text
    taxonomy = as_role("staff").get("/api/v1/taxonomy")
    hanfu = next(c for s in taxonomy["sectors"] for c in s["chains"] if c["code"] == "hanfu")
    assert [code for code, *_ in hanfu["links"]][:2] == ["jacquard_weaving", "design_pattern"]
