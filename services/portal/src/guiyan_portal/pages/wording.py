"""Sentences the pages build from structured fields, in the reader's language: what a chain
role means, an amount of a resource, one step of a project's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guiyan_contracts.models import ChainRole, HistoryEntry, budget_year

from ..presentation import formats


def wording(context: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    """Globals for the templates, bound to the page's language and its formatters."""
    _ = context["_"]

    meanings = {
        ChainRole.fill_gap: _("the project brings a link of the chain the park lacks"),
        ChainRole.extend: _("the project carries the park's chain further up or down"),
        ChainRole.strengthen: _("the project adds to a link the park already hosts"),
        ChainRole.same_sector: _("the project is in the park's sector, on another chain"),
    }

    def amount(resource: str, value: float) -> Any:
        if budget_year(resource) is not None:
            return context["money"](value)
        shown = {"floor_m2": context["area"], "land_mu": context["land"],
                 "subsidy_yuan": context["money"]}.get(resource)
        return shown(value) if shown else f"{value:g}"

    def history_text(step: HistoryEntry) -> str:
        park = step.park_name or ""
        sentences = {
            "submitted": _("Submitted."),
            "updated": _("Its details were changed; it is planned again."),
            "offered": _("Proposed to %(park)s.") % {"park": park},
            "reminded": _("%(park)s was reminded to decide.") % {"park": park},
            "accepted": _("%(park)s accepted it.") % {"park": park},
            "rejected": _("%(park)s rejected it.") % {"park": park},
            "expired": _("The offer to %(park)s lapsed undecided.") % {"park": park},
            "withdrawn": _("The offer to %(park)s was withdrawn.") % {"park": park},
            "unplaced": _("No park could take it in this plan."),
            "project_withdrawn": _("The project was withdrawn."),
        }
        text = sentences.get(step.kind, _("Its record changed."))
        # Only the people's own words are shown as written: a rejection's or a withdrawal's
        # reason. The planner's words are in the page's own sentences above.
        if step.detail and step.kind in ("rejected", "project_withdrawn"):
            text += " " + _("Reason: %(reason)s") % {"reason": step.detail}
        return text

    def points(value: float, sign: bool = True) -> str:
        """A score term's points, signed, in the reader's digits: +40,000."""
        shown = formats.number(abs(value), context["locale"], "#,##0.#")
        return (("+" if value >= 0 else "−") if sign else ("" if value >= 0 else "−")) + shown

    def money_label(label: str) -> str:
        return (_("%(label)s (10,000 yuan)") if context["money_unit"] == "wan"
                else _("%(label)s (yuan)")) % {"label": label}

    return {"chain_role_meaning": lambda role: meanings[ChainRole(role)],
            "amount": amount, "history_text": history_text, "money_label": money_label,
            "points": points}


def money_unit(locale: str) -> str:
    """Chinese readers count money in 万元; others in yuan."""
    return "wan" if locale == "zh" else "yuan"
