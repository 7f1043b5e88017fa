"""The inbox, the preferences, the channels and the delivery log, against fake services: every
page names kinds, media and statuses in the reader's language, the header counts the unread,
a channel's park must be of the admin's city, and a secret is never shown or echoed."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from guiyan_contracts import notification, registry
from guiyan_contracts.envelope import ErrorBody
from guiyan_contracts.models import InboxItem, Role
from guiyan_contracts.notification import NoticeKind
from guiyan_contracts.refusals import NotFound
from guiyan_eventing.rpc import RemoteError
from guiyan_portal.presentation.names import attempt_error

from .fakes import FakeGateway, Portal, token
from .two_cities import CHANNEL_FIELDS, CITIES, HEZE, JINING_PARK, PARK, two_cities

NOW = datetime(2026, 11, 2, tzinfo=UTC)
MANAGER = f"mgr-{PARK}"
CHANNEL = CITIES[HEZE].channel
OFFERED = InboxItem(id="item-1", tenant_id=HEZE, user_id=MANAGER, kind="proposal_offered",
                    title_zh="新的入园推荐：汉服工坊", title_en="New proposal: Hanfu studio",
                    body_zh="请在 7 天内决定。", body_en="Please decide within 7 days.",
                    proposal_id="heze-proposal", link="/proposals/heze-proposal",
                    created_at=NOW)
ACCEPTED = InboxItem(id="item-2", tenant_id=HEZE, user_id=MANAGER, kind="proposal_accepted",
                     title_zh="已接受：汉服工坊", title_en="Accepted: Hanfu studio", body_zh="已入园。",
                     body_en="Placed.", project_id="heze-project", link="/projects/heze-project",
                     created_at=NOW, read_at=NOW)
# Codes of the notification contracts a reader must never see as words; some are English words
# as well, which a page in English may say.
CODES = {"zh": ("proposal_offered", "proposal_accepted", "dingtalk", "wecom", "failed",
                "permanent", "park_id", "channel_failing", "webhook"),
         "en": ("proposal_offered", "proposal_accepted", "dingtalk", "wecom", "park_id",
                "channel_failing")}


def services(unread: int = 1) -> FakeGateway:
    fake = two_cities()
    fake.replies |= {
        notification.ListInbox.SUBJECT: notification.Inbox(items=[OFFERED, ACCEPTED], total=2,
                                                           unread=unread),
        notification.CountUnread.SUBJECT: notification.Unread(unread=unread),
    }
    return fake


def get(portal: Portal, path: str, who: str, role: Role, lang: str = "zh") -> Any:
    return asyncio.run(portal.request("GET", path, token(who, HEZE, role),
                                      headers={"Accept-Language": lang}))


def send(portal: Portal, method: str, path: str, who: str, role: Role,
         headers: dict[str, str] | None = None, **sent: Any) -> Any:
    return asyncio.run(portal.request(method, path, token(who, HEZE, role),
                                      headers={"Accept-Language": "zh", **(headers or {})},
                                      **sent))


def shown(html: str) -> str:
    """The page's words for people: no tags, and nothing marked as data (`translate="no"`: an
    address, what a receiver answered)."""
    html = re.sub(r'<(\w+)[^>]*translate="no"[^>]*>.*?</\1>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))


ADMIN_PAGES = ["/admin/channels", "/admin/channels/new", f"/admin/channels/{CHANNEL.id}",
               f"/admin/channels/{CHANNEL.id}/edit", f"/admin/channels/{CHANNEL.id}/delete",
               "/admin/deliveries", "/inbox", "/account/notifications"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_every_notification_page_names_things_not_codes(path: str, lang: str) -> None:
    answer = get(Portal(services()), path, "heze-admin", Role.admin, lang)
    assert answer.status_code == 200, answer.text
    words = shown(answer.text)
    for code in CODES[lang]:
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", words), (code, path)
    assert "access_token=matrix" not in answer.text  # notification masks it; it stays so


def test_the_header_counts_the_unread_and_a_silent_notification_leaves_the_link_bare() -> None:
    portal = Portal(services(unread=3))
    page = get(portal, "/proposals", MANAGER, Role.park_manager).text
    assert re.search(r'href="/inbox"[^>]*>站内信 <span class="badge" aria-label="3 条未读">3</span>',
                     page)
    down = services()

    def unavailable(request: Any) -> Any:
        raise RemoteError(ErrorBody(kind="unavailable", message="notification is away"))

    down.replies[notification.CountUnread.SUBJECT] = unavailable
    portal.services = down
    answer = get(portal, "/proposals", MANAGER, Role.park_manager)
    assert answer.status_code == 200
    assert re.search(r'href="/inbox"[^>]*>站内信</a>', answer.text)


def test_the_inbox_marks_the_unread_and_links_where_to_act() -> None:
    page = get(Portal(services()), "/inbox", MANAGER, Role.park_manager).text
    assert 'class="card notice unread"' in page and 'aria-label="未读"' in page
    assert '<a class="btn primary" href="/proposals/heze-proposal">去处理</a>' in page
    assert '<a class="btn" href="/projects/heze-project">查看</a>' in page
    # the unread one's "mark read", the read one's "mark unread", and "mark all read"
    assert page.count('action="/inbox/read"') == 3 and "标为未读" in page


def test_marking_one_read_names_it_and_goes_back_to_the_inbox_as_shown() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/inbox/read", MANAGER, Role.park_manager,
                  data={"item_id": OFFERED.id, "back": "/inbox?unread=true"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/inbox?unread=true&notice=read"
    marked = next(a for a in portal.services.asked if isinstance(a, notification.MarkRead))
    assert (marked.user_id, marked.item_ids, marked.read) == (MANAGER, [OFFERED.id], True)


def test_an_item_read_can_be_marked_unread_to_come_back_to() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/inbox/read", MANAGER, Role.park_manager,
                  data={"item_id": OFFERED.id, "unread": "true", "back": "/inbox"})
    assert answer.headers["location"] == "/inbox?notice=unread"
    marked = next(a for a in portal.services.asked if isinstance(a, notification.MarkRead))
    assert (marked.item_ids, marked.read) == ([OFFERED.id], False)


def test_the_preferences_show_the_critical_inbox_box_checked_disabled_and_why() -> None:
    page = get(Portal(services()), "/account/notifications", MANAGER, Role.park_manager).text
    offered_inbox = re.search(r'<input type="checkbox" name="proposal_offered" value="inbox"[^>]*>',
                              page)
    assert offered_inbox and "checked" in offered_inbox[0] and "disabled" in offered_inbox[0]
    assert "待决定的推荐总会送到站内信" in page
    assert 'name="channel_failing"' not in page  # admins' alone


def test_saved_preferences_send_each_kind_with_the_media_ticked() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/account/notifications", MANAGER, Role.park_manager,
                  data={"proposal_accepted": ["email", "dingtalk"], "proposal_offered": "email"})
    assert answer.status_code == 303
    chosen = next(a for a in portal.services.asked if isinstance(a, notification.SetPreferences))
    media = {item.kind: item.media for item in chosen.items}
    assert media[NoticeKind.proposal_accepted] == ["email", "dingtalk"]
    assert media[NoticeKind.proposal_offered] == ["email"]
    assert media[NoticeKind.task_assigned] == []


def new_channel(**changes: Any) -> dict[str, Any]:
    return {**CHANNEL_FIELDS, "park_id": PARK, "secret": "SEC-the-secret", **changes}


def test_a_channel_for_another_city_s_park_is_refused_at_the_park_field() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/api/v1/channels", "heze-admin", Role.admin,
                  json=new_channel(park_id=JINING_PARK))
    assert answer.status_code == 422
    assert answer.json()["detail"] == [{"loc": ["body", "park_id"], "type": "unknown_park",
                                        "msg": "not a park of this city"}]
    assert "SEC-the-secret" not in answer.text
    assert portal.services.commands() == []


def test_a_channel_for_an_unknown_user_is_refused_at_the_user_field() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/api/v1/channels", "heze-admin", Role.admin,
                  json=new_channel(park_id=None, user_id="nobody"))
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "user_id"]


def test_a_new_channel_carries_its_secret_beside_its_fields_and_answers_without_it() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/api/v1/channels", "heze-admin", Role.admin,
                  json=new_channel(), headers={"Idempotency-Key": "k1"})
    assert answer.status_code == 201 and "secret\"" not in answer.text.replace("has_secret", "")
    created = next(a for a in portal.services.asked if isinstance(a, notification.CreateChannel))
    assert created.secret == "SEC-the-secret" and created.idempotency_key == "heze-admin:k1"
    assert created.channel.park_id == PARK and "SEC-the-secret" not in repr(created.channel)


def test_the_channel_form_refuses_a_park_of_another_city_and_never_shows_the_secret() -> None:
    portal = Portal(services())
    answer = send(portal, "POST", "/admin/channels/new", "heze-admin", Role.admin, data={
        "kind": "webhook", "name": "回调", "owner": f"park:{JINING_PARK}",
        "url": "https://example.org/hook", "secret": "SEC-typed", "locale": "zh",
        "enabled": "on"})
    assert answer.status_code == 422
    assert 'id="owner-error">不是本市的园区' in answer.text
    assert "SEC-typed" not in answer.text
    assert portal.services.commands() == []


def test_the_channel_form_sends_no_kinds_when_every_kind_is_ticked() -> None:
    portal = Portal(services())
    every_kind = [kind.value for kind in NoticeKind]
    answer = send(portal, "POST", "/admin/channels/new", "heze-admin", Role.admin, data={
        "kind": "dingtalk", "name": "工作群", "owner": f"park:{PARK}",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=t", "keyword": "归雁",
        "kinds": every_kind, "locale": "zh", "enabled": "on"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/admin/channels")
    created = next(a for a in portal.services.asked if isinstance(a, notification.CreateChannel))
    assert (created.channel.kinds, created.channel.keyword, created.secret) == (None, "归雁", None)


def test_a_test_message_says_what_the_receiver_answered() -> None:
    fake = services()
    fake.replies[notification.TestChannel.SUBJECT] = notification.Attempt(
        number=1, started_at=NOW, finished_at=NOW, outcome="permanent",
        response_code="310000", error="keywords not in content")
    page = send(Portal(fake), "POST", f"/admin/channels/{CHANNEL.id}/test", "heze-admin",
                Role.admin)
    assert page.status_code == 200
    assert "测试消息未送达：被拒收，不再重试。接收方返回 310000" in page.text


def test_another_city_s_notification_log_is_not_found_and_anyone_else_s_neither() -> None:
    portal = Portal(services())
    own = f"/api/v1/notifications/{CITIES[HEZE].notice.id}/deliveries"
    assert get(portal, own, MANAGER, Role.park_manager).status_code == 200
    assert get(portal, own, "heze-staff", Role.staff).status_code == 404
    assert get(portal, own, "heze-admin", Role.admin).status_code == 200
    fake = services()

    def elsewhere(request: Any) -> Any:
        raise NotFound("no such notification")

    fake.replies[notification.GetNotification.SUBJECT] = elsewhere
    portal.services = fake
    assert get(portal, own, "heze-admin", Role.admin).status_code == 404


def test_registry_is_asked_for_the_owner_only_in_the_admin_s_city() -> None:
    portal = Portal(services())
    send(portal, "PUT", f"/api/v1/channels/{CHANNEL.id}", "heze-admin", Role.admin,
         json=new_channel())
    parks = [a for a in portal.services.asked if isinstance(a, registry.GetPark)]
    assert [(a.tenant_id, a.park_id) for a in parks] == [(HEZE, PARK)]


def test_the_edit_form_shows_the_url_masked_and_sends_it_back_so() -> None:
    """Notification keeps the stored URL when it is sent back masked."""
    portal = Portal(services())
    page = send(portal, "GET", f"/admin/channels/{CHANNEL.id}/edit", "heze-admin", Role.admin)
    assert page.status_code == 200 and f'value="{CHANNEL.url}"' in page.text


def test_a_delivery_sent_again_goes_back_to_the_list_it_was_sent_from() -> None:
    portal = Portal(services())
    delivery = CITIES[HEZE].delivery
    answer = send(portal, "POST", f"/admin/deliveries/{delivery.id}/resend", "heze-admin",
                  Role.admin, data={"back": f"/admin/channels/{CHANNEL.id}"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/admin/channels/{CHANNEL.id}?notice=resent"
    resent = next(a for a in portal.services.asked
                  if isinstance(a, notification.ResendDelivery))
    assert (resent.delivery_id, resent.resent_by) == (delivery.id, "heze-admin")


def test_an_attempt_s_error_is_said_in_the_reader_s_language_when_guiyan_wrote_it() -> None:
    assert attempt_error("timed out", "zh") == ("未在时限内应答", True)
    assert attempt_error("connection failed (ConnectError)", "en") == ("Could not connect", True)
    assert attempt_error("关键词不匹配", "zh") == ("关键词不匹配", False)  # the robot's own words
