"""A delivery's message on each medium: the subject, plain text and HTML of an email, a robot's
markdown, and a webhook's JSON. One notice, or a digest of several."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .notices import Content
from .templates import HTML, MARKDOWN, TEXT


@dataclass(frozen=True)
class Shown:
    """A notice as one reader sees it: in their language, with the page's full address."""

    id: str
    kind: str
    content: Content
    url: str | None
    created_at: datetime
    ids: dict[str, str]  # proposal, project, park and task ids, where it has them


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    markdown: str
    payload: dict[str, Any]


def render(notices: list[Shown], language: str, delivery_id: str, city: str) -> Rendered:
    words = TEXT.get_template(f"{language}/_words.j2").make_module()
    first = " ".join(notices[0].content.title.split())  # a subject is one line
    subject = (first if len(notices) == 1
               else str(words.digest_title(len(notices), first)).strip())
    views = [{"title": n.content.title, "body": n.content.body, "facts": n.content.facts,
              "action": n.content.action, "url": n.url} for n in notices]
    context = {"subject": subject, "notices": views, "words": words, "lang": language}
    return Rendered(
        subject=subject,
        text=TEXT.get_template("layouts/email.txt").render(context).strip() + "\n",
        html=HTML.get_template("layouts/email.html").render(context),
        markdown=MARKDOWN.get_template("layouts/robot.md").render(context).strip(),
        payload=_payload(notices, language, delivery_id, city))


def _payload(notices: list[Shown], language: str, delivery_id: str, city: str) -> dict[str, Any]:
    """The webhook's body: the same on every attempt, so that a receiver can compare."""
    return {"id": delivery_id, "type": "guiyan.notifications.v1", "city": city,
            "language": language,
            "notifications": [{"id": n.id, "kind": n.kind, "title": n.content.title,
                               "body": n.content.body, "url": n.url,
                               "facts": [{"label": label, "value": value}
                                         for label, value in n.content.facts],
                               "created_at": n.created_at.isoformat(), **n.ids}
                              for n in notices]}
