"""The channel form: `ChannelFields` and a secret to and from its fields, and where each error
shows. The owner is one field, a park or a user (`park:<id>`, `user:<id>`), as a channel has
exactly one."""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import FormData

from guiyan_contracts.notification import Channel, ChannelKind, NoticeKind

from .forms import every, first

TEXT_KEYS = ("kind", "name", "owner", "url", "keyword", "locale")
OWNER_FIELDS = {"park": "park_id", "user": "user_id"}


def field_of(names: list[str]) -> str:
    """A contract field's error, at the form field that shows it: the owner for its park or
    user, and for the model's own check (one owner, not two or none)."""
    named = [name for name in names if name != "channel"]
    if not named or named[0] in OWNER_FIELDS.values():
        return "owner"
    return named[0]


def fields(form: FormData) -> dict[str, Any]:
    """What the form sent, as `ChannelFields`. A keyword is DingTalk's alone; every kind of
    notice ticked is none named: the channel then hears whatever its owner would, kinds added
    later among them."""
    kind = first(form, "kind")
    owner_kind, _, owner_id = first(form, "owner").partition(":")
    heard = every(form, "kinds")
    sent: dict[str, Any] = {
        "kind": kind, "name": first(form, "name").strip(), "url": first(form, "url").strip(),
        "keyword": first(form, "keyword").strip() if kind == ChannelKind.dingtalk else "",
        "kinds": None if set(heard) >= {k.value for k in NoticeKind} else heard,
        "locale": first(form, "locale") or "zh", "enabled": first(form, "enabled") == "on"}
    if owner_kind in OWNER_FIELDS and owner_id:
        sent[OWNER_FIELDS[owner_kind]] = owner_id
    return {key: value for key, value in sent.items() if value != ""}


def secret(form: FormData) -> str | None:
    """The secret typed, as it was typed (a secret's spaces are its own); none when left blank."""
    return first(form, "secret") or None


def values(form: FormData) -> dict[str, Any]:
    """The form as sent, to show again; never the secret."""
    return {key: first(form, key) for key in TEXT_KEYS} | {
        "kinds": every(form, "kinds"), "enabled": first(form, "enabled") == "on",
        "clear_secret": first(form, "clear_secret") == "on"}


def values_of(channel: Channel) -> dict[str, Any]:
    """The channel as the form shows it, its URL's token masked: sent back so, it is kept."""
    owner = f"park:{channel.park_id}" if channel.park_id else f"user:{channel.user_id}"
    return {"kind": channel.kind.value, "name": channel.name, "owner": owner,
            "url": channel.url,
            "keyword": channel.keyword or "", "locale": channel.locale,
            "kinds": [k.value for k in (channel.kinds or NoticeKind)],
            "enabled": channel.enabled, "clear_secret": False}


def blank() -> dict[str, Any]:
    return {"kind": ChannelKind.dingtalk.value, "locale": "zh", "enabled": True,
            "kinds": [k.value for k in NoticeKind]}


def options(parks: dict[str, str], users: dict[str, str], name: Any, gettext: Any
            ) -> dict[str, Any]:
    return {
        "kinds": [(kind.value, name("channel_kind", kind.value)) for kind in ChannelKind],
        "owners": [(gettext("Parks"), [(f"park:{id}", text) for id, text in parks.items()]),
                   (gettext("Users"), [(f"user:{id}", text) for id, text in users.items()])],
        "heard": [(kind.value, name("notice_kind", kind.value)) for kind in NoticeKind],
        "locales": [("zh", gettext("Chinese")), ("en", gettext("English"))],
    }
