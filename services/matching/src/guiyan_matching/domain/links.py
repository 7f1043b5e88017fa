"""A missing link is filled once. Two projects on a link a park lacks are each 补链 (or 延链) on
their own, but once one of them is placed the other only strengthens the link (强链): a plan
that offers both to the park earns the link's points once.

The instance says so with a bonus per (park, chain, link) that several projects could fill: each
such pair scores as strengthening the link, and the difference is earned once, by whichever of
them the plan places there. After the solve, the first of those offers (by score, then id) keeps
its role; the others are re-weighed as strengthening it, and their explanations say which
project fills the link.
"""

from __future__ import annotations

from dataclasses import replace

from guiyan_optimiser import Bonus

from guiyan_contracts.models import ChainRole

from .pairing import Pairing
from .pairs import Pairs
from .policy import Policy
from .rules import resource_use, score_terms
from .support import support_tiers

FILLING = frozenset({ChainRole.fill_gap, ChainRole.extend})
Link = tuple[str, str, str]  # park, chain, link


def link_filled(pairing: Pairing) -> Link | None:
    """The park's missing link the pair would fill, if it fills one."""
    if pairing.role not in FILLING:
        return None
    return pairing.park.id, pairing.project.chain, pairing.project.link


def shared(pairings: list[Pairing]) -> dict[Link, list[Pairing]]:
    """The links more than one of `pairings` would fill, with those pairs."""
    found: dict[Link, list[Pairing]] = {}
    for pairing in pairings:
        if (link := link_filled(pairing)) is not None:
            found.setdefault(link, []).append(pairing)
    return {link: group for link, group in found.items() if len(group) > 1}


def filling_points(role: ChainRole, policy: Policy) -> float:
    """What filling a link in `role` is worth beyond strengthening it."""
    weights = policy.weights.chain_role
    return getattr(weights, role.value) - weights.strengthen


def bonuses(eligible: Pairs, policy: Policy
            ) -> tuple[dict[str, dict[str, float]], tuple[Bonus, ...]]:
    """Each shared-link pair's score as strengthening the link (by project, then park), and one
    bonus per shared link. Read from the pairs' numbers: a province has too many to make a
    `Pairing` of each."""
    groups: dict[Link, list[tuple[str, ChainRole, float]]] = {}
    for project, park, role, score in eligible.filling(FILLING):
        groups.setdefault((park, project.chain, project.link), []).append((project.id, role, score))
    scores: dict[str, dict[str, float]] = {}
    found = []
    for (park, chain, link), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        points = filling_points(group[0][1], policy)
        for project, _, score in group:
            scores.setdefault(project, {})[park] = score - points
        found.append(Bonus(f"{park}/{chain}/{link}", points,
                           frozenset((project, park) for project, _, _ in group)))
    return scores, tuple(found)


def credited_once(chosen: list[Pairing], policy: Policy, year: int) -> list[Pairing]:
    """`chosen` with all but the first offer on each shared link re-weighed as strengthening it."""
    again: dict[tuple[str, str], Pairing] = {}
    for group in shared(chosen).values():
        first, *rest = sorted(group, key=lambda p: (-p.score, p.project.id))
        for pairing in rest:
            again[(pairing.project.id, pairing.park.id)] = strengthening(pairing, first, policy, year)
    return [again.get((p.project.id, p.park.id), p) for p in chosen]


def strengthening(pairing: Pairing, first: Pairing, policy: Policy, year: int) -> Pairing:
    role = ChainRole.strengthen
    project, park = pairing.project, pairing.park
    return replace(pairing, role=role, filled_by=first.project,
                   terms=score_terms(project, park, role, policy.weights),
                   use=resource_use(project, park, support_tiers(project, role, policy.support), year))
