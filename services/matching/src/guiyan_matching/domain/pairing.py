"""A project paired with a park it may enter: the unit the plan chooses among."""

from __future__ import annotations

from dataclasses import dataclass

from guiyan_contracts.models import ChainRole, Park, Project


@dataclass(frozen=True)
class Pairing:
    project: Project
    park: Park
    role: ChainRole
    terms: dict[str, float]  # score term → points
    use: dict[str, float]  # resource → amount
    # The project offered in the same plan that fills the link this one would have filled: this
    # one then strengthens it (`links.py`).
    filled_by: Project | None = None

    @property
    def score(self) -> float:
        return sum(self.terms.values())
