"""Notification as a whole system: a park's group webhook hears its proposals, and a SIGKILL of
notification in the middle of a burst doubles no inbox item and sends no message twice except the
ones the delivery log flags as of unknown outcome."""

from __future__ import annotations

import signal
import threading
from collections import Counter
from typing import Any

from guiyan_receivers import WebhookReceiver

from .conftest import eventually, project

SECRET = "whsec-e2e"
PROJECTS = 24


def park_webhooks(admin, receiver: WebhookReceiver) -> list[str]:
    """A signed webhook on every park's group chat: wherever the burst lands, it is heard."""
    return [admin.post("/api/v1/channels", {
        "kind": "webhook", "name": f"{park['name']}群", "park_id": park["id"],
        "url": receiver.url, "secret": SECRET, "kinds": ["proposal_offered"]},
        expect=201)["id"] for park in admin.items("/api/v1/parks")]


def test_killing_notification_mid_burst_doubles_only_what_the_log_flags_unknown(
        stack, as_role) -> None:
    admin, staff = as_role("admin"), as_role("staff")
    with WebhookReceiver(SECRET) as receiver:
        channels = park_webhooks(admin, receiver)
        try:
            receiver.hang(10 * PROJECTS, seconds=0.15)  # a slow receiver: a send is in flight
            ids = [f"notify-{n:03d}" for n in range(PROJECTS)]
            submitter = threading.Thread(target=lambda: [staff.post("/api/v1/projects", project(
                id=project_id, name=f"汉服设计{project_id}", floor_m2=50), expect=202)
                for project_id in ids])
            submitter.start()
            eventually(lambda: len(receiver.seen) >= 4, timeout=60, every=0.01)
            stack.kill_service("notification", signal.SIGKILL)
            submitter.join()
            stack.start_service("notification")
            stack.wait_healthy()

            eventually(lambda: placed(staff, ids), timeout=60)
            offers = offered(admin, ids)
            keys = eventually(lambda: (sent := sent_deliveries(admin, channels))
                              and len(sent) == len(offers) and sent, timeout=90)
            received = Counter(r.headers["idempotency-key"] for r in receiver.received)
            assert set(received) == set(keys) and set(received.values()) == {1}
            flagged = {key for key, delivery in keys.items() if delivery["outcome_unknown"]}
            assert set(receiver.duplicates) <= flagged  # a second copy only where flagged
            assert all(r.headers["x-guiyan-signature"].startswith("t=") for r in receiver.seen)

            for park_id in {offer["park_id"] for offer in offers}:
                items = as_role(park_id).items("/api/v1/inbox")
                mine = Counter(i["proposal_id"] for i in items if i["kind"] == "proposal_offered"
                               and i["proposal_id"] in {o["id"] for o in offers})
                assert mine and set(mine.values()) == {1}  # the inbox is exactly once
        finally:
            for channel_id in channels:
                admin.client.delete(f"/api/v1/channels/{channel_id}")


def placed(staff, ids: list[str]) -> bool:
    """Every project of the burst offered to a park, or found no place."""
    mine = [v for v in staff.items("/api/v1/projects", limit=1000) if v["project"]["id"] in ids]
    return len(mine) == len(ids) and all(v["placement"]["status"] in ("proposed", "unplaced")
                                         for v in mine)


def offered(admin, ids: list[str]) -> list[dict[str, Any]]:
    return [p for p in admin.items("/api/v1/proposals", limit=500) if p["project_id"] in ids]


def sent_deliveries(admin, channels: list[str]) -> dict[str, dict[str, Any]]:
    """Every delivery of the channels, by Idempotency-Key, once all are sent."""
    found = [d for channel_id in channels
             for d in admin.items(f"/api/v1/channels/{channel_id}/deliveries")]
    if any(d["status"] != "sent" for d in found):
        return {}
    return {d["idempotency_key"]: d for d in found}
