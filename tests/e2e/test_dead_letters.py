"""Dead letters stay within their city: an admin reads their own city's, a page at a time, with
long payloads cut short in the list and whole one by one."""

from __future__ import annotations

import json
import uuid

from guiyan_contracts.models import Role
from guiyan_contracts.registry import ProjectSubmitted

from .conftest import eventually, publish


def poison(city: str, marker: str, filler: int = 0) -> bytes:
    return json.dumps({"tenant_id": city, "marker": marker, "filler": "x" * filler}).encode()


def test_an_admin_reads_only_their_citys_dead_letters_in_pages(stack, as_role, in_city) -> None:
    marker = uuid.uuid4().hex
    publish(stack, ProjectSubmitted.SUBJECT, [poison("heze", marker) for _ in range(5)]
            + [poison("jining", marker, filler=50_000)])
    heze, jining = as_role("admin"), in_city("jining", Role.admin)

    def mine(api) -> list[dict]:
        return [d for d in api.items("/api/v1/dead-letters") if marker in d["payload"]]

    eventually(lambda: len(mine(heze)) == 5 and len(mine(jining)) == 1)
    assert {d["city"] for d in mine(heze)} == {"heze"}

    first = heze.get("/api/v1/dead-letters", limit=3)
    assert len(first["items"]) == 3 and first["total"] >= 5 and first["next_after"]
    second = heze.get("/api/v1/dead-letters", limit=3, after=first["next_after"])
    assert second["items"][0]["stream_sequence"] > first["items"][-1]["stream_sequence"]

    (cut,) = mine(jining)
    assert cut["payload_truncated"] and len(cut["payload"]) == 2000
    whole = jining.get(f"/api/v1/dead-letters/{cut['stream_sequence']}")
    assert not whole["payload_truncated"] and len(whole["payload"]) > 50_000
    assert heze.client.get(f"/api/v1/dead-letters/{cut['stream_sequence']}").status_code == 404


def test_a_letter_whose_city_cannot_be_read_is_shown_to_admins_without_its_payload(
        stack, as_role, in_city) -> None:
    marker = uuid.uuid4().hex
    publish(stack, ProjectSubmitted.SUBJECT, [  # the second is parked after the first
        json.dumps({"tenant_id": "../heze", "marker": marker}).encode(), poison("heze", marker)])
    heze = as_role("admin")
    letters = eventually(lambda: [d for d in heze.items("/api/v1/dead-letters")
                                  if marker in d["payload"]])
    assert [json.loads(d["payload"])["tenant_id"] for d in letters] == ["heze"]
    for admin in (heze, in_city("jining", Role.admin)):
        cityless = admin.get("/api/v1/dead-letters", cityless=True, limit=200)["items"]
        assert cityless and all(d["city"] is None and d["payload"] == "" for d in cityless)
        assert all(marker not in str(d) for d in cityless)
