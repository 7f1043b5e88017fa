"""What each event tells its audience, in Chinese and English, from the templates of its kind:
a title, a body, the key facts, and the page where the reader acts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guiyan_contracts.matching import ProjectUnplaced
from guiyan_contracts.models import Proposal
from guiyan_contracts.notification import ChannelFailing, NoticeKind
from guiyan_contracts.people import TaskAssigned

from .templates import TEXT

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Content:
    """A notice in one language."""

    title: str
    body: str
    facts: list[tuple[str, str]]
    action: str  # what the link to the page says

    def as_stored(self) -> dict[str, Any]:
        return {"facts": [list(fact) for fact in self.facts], "action": self.action}


@dataclass(frozen=True)
class Told:
    kind: NoticeKind
    zh: Content
    en: Content
    link: str | None = None  # the portal's page, as a path
    proposal_id: str | None = None
    project_id: str | None = None
    park_id: str | None = None
    task_id: str | None = None


def content(template: str, language: str, **context: Any) -> Content:
    """The notice that `template` (a kind of notice, or a test message) says in `language`."""
    module = TEXT.get_template(f"{language}/{template}.j2").make_module(context)
    return Content(title=str(module.title).strip(), body=str(module.body).strip(),
                   facts=[(label, str(value)) for label, value in module.facts
                          if value not in (None, "")],
                   action=module.action)


def _both(kind: NoticeKind, **context: Any) -> tuple[Content, Content]:
    zh, en = (content(kind, language, **context) for language in LANGUAGES)
    return zh, en


def about_proposal(kind: NoticeKind, proposal: Proposal) -> Told:
    zh, en = _both(kind, p=proposal)
    return Told(kind, zh, en, link=f"/proposals/{proposal.id}", proposal_id=proposal.id,
                project_id=proposal.project_id, park_id=proposal.park_id)


def project_unplaced(event: ProjectUnplaced) -> Told:
    zh, en = _both(NoticeKind.project_unplaced, e=event)
    return Told(NoticeKind.project_unplaced, zh, en, link=f"/projects/{event.project_id}",
                project_id=event.project_id)


def task_assigned(event: TaskAssigned) -> Told:
    zh, en = _both(NoticeKind.task_assigned, e=event)
    return Told(NoticeKind.task_assigned, zh, en, link="/tasks", task_id=event.task_id)


def channel_failing(event: ChannelFailing) -> Told:
    zh, en = _both(NoticeKind.channel_failing, e=event)
    return Told(NoticeKind.channel_failing, zh, en, link=f"/admin/channels/{event.channel_id}")
