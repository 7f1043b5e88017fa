"""The portal's side of notifications against the whole system: a park's webhook added by an
admin, its secret and token never shown again and another city's admin not finding it; the
inbox's unread count as a manager reads; and preferences that cannot take a critical kind out
of the inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guiyan_contracts.models import Role
from guiyan_receivers import WebhookReceiver

from .conftest import Api, eventually, project

PARK = "caoxian-hanfu-park"  # where the demo city's hanfu design studios are proposed
SECRET = "a webhook secret the receiver checks"
TOKEN = "token-that-stays-hidden"


def test_an_admin_adds_a_park_webhook_that_never_shows_its_secret_or_token(
        as_role: Callable[[str], Api], in_city: Callable[[str, Role], Api]) -> None:
    admin = as_role("admin")
    with WebhookReceiver(SECRET) as receiver:
        body = {"kind": "webhook", "name": "汉服园回调", "park_id": PARK,
                "url": f"{receiver.url}?token={TOKEN}"}
        created = admin.post("/api/v1/channels", {**body, "secret": SECRET}, expect=201)
        try:
            shown = [created, admin.get(f"/api/v1/channels/{created['id']}"),
                     *admin.items("/api/v1/channels", park_id=PARK)]
            for answer in shown:
                assert SECRET not in str(answer) and TOKEN not in str(answer)
            assert created["has_secret"] and created["url"].startswith(receiver.url)

            attempt = admin.post(f"/api/v1/channels/{created['id']}/test")
            assert attempt["outcome"] == "sent", attempt
            assert receiver.received  # signed with the secret the receiver checks

            other_admin = in_city("jining", Role.admin)
            assert other_admin.client.get(f"/api/v1/channels/{created['id']}").status_code == 404
            manager = as_role(PARK)
            assert manager.client.get("/api/v1/channels").status_code == 403
            assert manager.client.post("/api/v1/channels", json=body).status_code == 403

            kept = admin.client.put(f"/api/v1/channels/{created['id']}",
                                    json={**body, "url": created["url"], "name": "改名"})
            assert kept.status_code == 200 and kept.json()["url"] == created["url"]
            again = admin.post(f"/api/v1/channels/{created['id']}/test")
            assert again["outcome"] == "sent", again  # sent back masked, the token was kept
            elsewhere = admin.client.post("/api/v1/channels",
                                          json={**body, "park_id": "jining-nowhere"})
            assert elsewhere.status_code == 422
            assert elsewhere.json()["detail"][0]["loc"] == ["body", "park_id"]
        finally:
            assert admin.client.delete(f"/api/v1/channels/{created['id']}").status_code == 200


def unread(user: Api) -> int:
    return user.get("/api/v1/inbox/unread")["unread"]


def offered_item(manager: Api, project_id: str) -> dict[str, Any] | None:
    items = manager.get("/api/v1/inbox", unread="true", limit=500)["items"]
    return next((item for item in items if item["kind"] == "proposal_offered"
                 and item["project_id"] == project_id), None)


def test_a_manager_reads_an_offer_and_the_unread_count_follows(
        as_role: Callable[[str], Api]) -> None:
    staff, manager, admin = as_role("staff"), as_role(PARK), as_role("admin")
    submitted = staff.post("/api/v1/projects", project(name="归雁汉服打版工作室"), expect=202)
    try:
        item = eventually(lambda: offered_item(manager, submitted["id"]))
        assert item["read_at"] is None and item["link"].startswith("/proposals/")
        before = unread(manager)
        assert before >= 1
        page = manager.get("/api/v1/inbox", limit=1)
        assert page["unread"] == before and page["limit"] == 1

        after = manager.post("/api/v1/inbox/read", {"item_ids": [item["id"]]})["unread"]
        assert after == before - 1 and unread(manager) == after
        assert offered_item(manager, submitted["id"]) is None  # no longer among the unread
        again = manager.post("/api/v1/inbox/read", {"item_ids": [item["id"]], "read": False})
        assert again["unread"] == before

        log = f"/api/v1/notifications/{item['id']}/deliveries"
        assert manager.client.get(log).status_code == 200
        assert admin.client.get(log).status_code == 200
        assert staff.client.get(log).status_code == 404  # not theirs

        assert manager.post("/api/v1/inbox/read", {"item_ids": None})["unread"] == 0
    finally:
        staff.post(f"/api/v1/projects/{submitted['id']}/withdraw", {"reason": "测试结束"})


def test_preferences_round_trip_and_a_critical_kind_keeps_the_inbox(
        as_role: Callable[[str], Api]) -> None:
    leader = as_role("leader")  # told of nothing by the demo: their choices move no other test
    chosen = leader.client.put("/api/v1/preferences", json={"items": [
        {"kind": "proposal_offered", "media": ["email"]},
        {"kind": "proposal_accepted", "media": ["email"]}]})
    assert chosen.status_code == 200, chosen.text
    media = {item["kind"]: item["media"] for item in chosen.json()["items"]}
    assert "proposal_offered" in chosen.json()["critical"]
    assert set(media["proposal_offered"]) == {"email", "inbox"}  # the inbox whatever is chosen
    assert media["proposal_accepted"] == ["email"]
    assert leader.get("/api/v1/preferences") == chosen.json()
