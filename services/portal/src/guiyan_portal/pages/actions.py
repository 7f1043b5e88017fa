"""What every page that changes something shares: the form's idempotency key, the sentence a
refusal becomes, and the redirect after a change that names what was done."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import HTTPException
from fastapi.datastructures import FormData
from fastapi.responses import RedirectResponse

from guiyan_contracts.envelope import FieldError

from ..auth import Principal
from .forms import first

# After a change, the page it lands on says what was done; the key names the sentence.
NOTICES = ("submitted", "updated", "withdrawn", "accepted", "rejected", "saved", "password",
           "erased", "recorded", "assigned", "done", "cancelled", "read", "unread", "deleted", "resent")


def local_path(path: str) -> str:
    """Only a path of this site to go to: never an address elsewhere ("//host", "/\\host")."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/"


def new_key() -> str:
    """A form's idempotency key, made when the form is shown: sent twice, it changes once."""
    return str(uuid4())


def form_key(caller: Principal, form: FormData) -> str | None:
    key = first(form, "idempotency_key")
    return f"{caller.user_id}:{key}" if key else None


def done(path: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}notice={notice}", status_code=303)


def field_errors(refusal: HTTPException) -> list[FieldError] | None:
    """A service's field errors (422), else None: the refusal is about the record, not a field."""
    if refusal.status_code == 422 and isinstance(refusal.detail, list):
        return [FieldError.model_validate(item) for item in refusal.detail]
    return None


def notice_text(_: Any, notice: str | None) -> str | None:
    sentences = {
        "submitted": _("The project is submitted. Matching will propose a park within its next plan."),
        "updated": _("The changes are saved. The project is planned again."),
        "withdrawn": _("The project is withdrawn; its park's room is free again."),
        "accepted": _("Accepted: the project is placed in your park."),
        "rejected": _("Rejected. Matching will look for another park."),
        "saved": _("Saved."),
        "password": _("Your password is changed. Your other sessions have ended."),
        "erased": _("The person's record is erased, here and in every service."),
        "recorded": _("The contact is recorded."),
        "assigned": _("The task is assigned; its assignee is told."),
        "done": _("The task is done."),
        "cancelled": _("The task is cancelled."),
        "read": _("Marked read."),
        "unread": _("Marked unread."),
        "deleted": _("The channel is deleted; what it still had to send is cancelled."),
        "resent": _("The delivery is sent again."),
    }
    return sentences.get(notice or "")
