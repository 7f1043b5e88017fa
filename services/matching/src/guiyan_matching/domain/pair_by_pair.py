"""The rules asked of every (project, park) pair, one at a time, as `rules.py` states them.

Plans weigh in arrays (`array_rules.py`); this is what they must agree with, pair for pair
(`tests/test_array_rules.py`), and what `make bench-compile` measures them against.
"""

from __future__ import annotations

from guiyan_contracts.models import Park, Project
from guiyan_contracts.taxonomy import Taxonomy

from .chains import PlacedLinks
from .pairing import Pairing
from .policy import Policy
from .rules import Reason, RuleContext, chain_role, ineligibility, resource_use, score_terms
from .support import support_tiers


def weigh_each_pair(project: Project, parks: list[Park], rules: RuleContext, taxonomy: Taxonomy,
                    policy: Policy, placed: PlacedLinks
                    ) -> tuple[list[Pairing], list[tuple[Park, Reason]]]:
    """The project's pair with each park it may go to, and each park ruled out and why."""
    eligible: list[Pairing] = []
    excluded: list[tuple[Park, Reason]] = []
    for park in parks:
        if reason := ineligibility(project, park, rules):
            excluded.append((park, reason))
            continue
        role = chain_role(project, park, taxonomy, placed.get(park.id, frozenset()))
        terms = score_terms(project, park, role, policy.weights)
        support = support_tiers(project, role, policy.support)
        eligible.append(Pairing(project, park, role, terms,
                                resource_use(project, park, support, rules.today.year)))
    return eligible, excluded
