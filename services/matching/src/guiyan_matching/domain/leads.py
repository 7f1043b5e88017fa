"""Chain-gap leads (招商线索): for each link a park lacks (补链) or could extend to (延链), the
people working in that link elsewhere who agreed to be contacted, best first.

Which links a park lacks is the optimiser's own reading of the park's chain (`rules.link_role`),
so that a lead and an offer never disagree on what fills a gap. A lead is a person still working
away (`PersonStatus.away`): one who returned, or founded a business at home, already works in the
city, and their business reaches the parks as a project, not as a lead. Each lead is scored by
four terms, one small function each, weighed by the city's policy (`[leads]`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from guiyan_contracts.matching import Lead, LinkLeads, ParkLeads
from guiyan_contracts.models import Bilingual, ChainRole, Park, ScoreTerm
from guiyan_contracts.people import EnterpriseScale, Influence, PersonFacts, PersonStatus
from guiyan_contracts.regions import province_name
from guiyan_contracts.taxonomy import Taxonomy

from .policy import LeadWeights
from .rules import link_role
from .wording import day, named

LEAD_ROLES = (ChainRole.fill_gap, ChainRole.extend)  # in the order a park's leads list them
PUBLISHED_PER_LINK = 10  # a `LeadsComputed` carries the best of each link
KEPT_PER_LINK = 200  # of each link, stored: the most `GetParkLeads.per_link` may ask for
LinkKey = tuple[str, str, str]  # (sector, chain, link)

SCALES = {EnterpriseScale.large: ("大型", "large"), EnterpriseScale.medium: ("中型", "medium"),
          EnterpriseScale.small: ("小型", "small"), EnterpriseScale.micro: ("微型", "micro")}
INFLUENCE = {Influence.key: ("重点人士", "key figure"), Influence.notable: ("较大", "notable"),
             Influence.general: ("一般", "general")}
ROLE_CLAUSE = {ChainRole.fill_gap: ("补链", "fills a gap in the park's chain"),
               ChainRole.extend: ("延链", "extends the park's chain")}


@dataclass(frozen=True)
class GapLink:
    """A link of a chain the park takes that business there would fill (补链) or extend (延链)."""

    sector: str
    chain: str
    link: str
    role: ChainRole

    @property
    def key(self) -> LinkKey:
        return self.sector, self.chain, self.link


@dataclass(frozen=True)
class LeadContext:
    weights: LeadWeights
    taxonomy: Taxonomy  # the why names links, counties and provinces by it
    today: date  # in the city's time: how long ago a contact was


def gap_links(park: Park, taxonomy: Taxonomy, placed: frozenset[tuple[str, str]] = frozenset()
              ) -> list[GapLink]:
    """The park's missing links, then those it could extend to, each in chain order, over the
    chains of the sectors it takes; `placed` are the links its accepted placements brought."""
    found = [GapLink(sector.code, chain.code, link, role)
             for sector in taxonomy.sectors if sector.code in park.sectors
             for chain in sector.chains for link, *_ in chain.links
             if (role := link_role(chain, link, park, placed)) in LEAD_ROLES]
    return sorted(found, key=lambda gap: LEAD_ROLES.index(gap.role))  # stable: chain order kept


def may_be_lead(person: PersonFacts) -> bool:
    """Only those who agreed to be contacted, and who still work away."""
    return person.contact_consent and person.status is PersonStatus.away


def on_link(person: PersonFacts, gap: GapLink) -> bool:
    return (person.sector, person.chain, person.link) == gap.key


# --- score terms -------------------------------------------------------------------------------

def scale_points(person: PersonFacts, park: Park, context: LeadContext) -> float:
    """A larger enterprise can bring more: large > medium > small > micro > not known."""
    scale = person.enterprise_scale
    return getattr(context.weights.scale, scale.value) if scale else 0.0


def influence_points(person: PersonFacts, park: Park, context: LeadContext) -> float:
    return getattr(context.weights.influence, person.influence.value)


def hometown_points(person: PersonFacts, park: Park, context: LeadContext) -> float:
    """Everyone in the city's registry is its native: from the park's own county is closest,
    any other of the city's counties next."""
    weights = context.weights
    return weights.same_county if person.hometown_county == park.county else weights.same_city


def whole_months(since: date, until: date) -> int:
    months = (until.year - since.year) * 12 + until.month - since.month
    return months - (until.day < since.day)


def recent_contact_points(person: PersonFacts, park: Park, context: LeadContext) -> float:
    """Full within `recent_contact_months`, then less with every month gone (counted in whole
    months, so a lead's score moves once a month, not daily); never contacted earns nothing."""
    if person.last_contact_on is None:
        return 0.0
    weights = context.weights
    months = max(0, whole_months(person.last_contact_on, context.today))
    if months < weights.recent_contact_months:
        return weights.recent_contact
    return weights.recent_contact * weights.recent_contact_months / (months + 1)


LeadTerm = Callable[[PersonFacts, Park, LeadContext], float]
LEAD_TERMS: dict[str, LeadTerm] = {"scale": scale_points, "influence": influence_points,
                                   "hometown": hometown_points,
                                   "recent_contact": recent_contact_points}


# --- words -------------------------------------------------------------------------------------

def term_text(name: str, person: PersonFacts, park: Park, context: LeadContext) -> tuple[str, str]:
    if name == "scale":
        if person.enterprise_scale is None:
            return "企业规模未知", "enterprise size unknown"
        zh, en = SCALES[person.enterprise_scale]
        return f"{zh}企业", f"a {en} enterprise"
    if name == "influence":
        zh, en = INFLUENCE[person.influence]
        return f"影响力：{zh}", f"influence: {en}"
    if name == "hometown":
        county_zh, county_en = named(context.taxonomy, "county", person.hometown_county)
        if person.hometown_county == park.county:
            return f"家乡{county_zh}，与园区同县区", f"from {county_en}, the park's county"
        return f"家乡{county_zh}，同为本市", f"from {county_en}, in the same city"
    if person.last_contact_on is None:  # recent_contact
        return "尚未联系", "never contacted"
    on_zh, on_en = day(person.last_contact_on)
    return f"最近联系于{on_zh}", f"last contacted on {on_en}"


def _where(person: PersonFacts, gap: GapLink, context: LeadContext) -> tuple[str, str]:
    chain_zh, chain_en = named(context.taxonomy, "chain", gap.chain, sector=gap.sector)
    link_zh, link_en = named(context.taxonomy, "link", gap.link, sector=gap.sector, chain=gap.chain)
    province_zh = province_name(person.current_province, "zh") or "外地"
    province_en = province_name(person.current_province, "en") or "elsewhere"
    role_zh, role_en = ROLE_CLAUSE[gap.role]
    return (f"在{province_zh}从事{chain_zh}产业链的「{link_zh}」环节，可为园区{role_zh}",
            f"works in {link_en} of the {chain_en} chain in {province_en}, which {role_en}")


def points(person: PersonFacts, park: Park, context: LeadContext) -> dict[str, float]:
    """Each term's points, every term even one worth nothing, so that the why says all four."""
    return {name: round(term(person, park, context), 2) for name, term in LEAD_TERMS.items()}


def lead(person: PersonFacts, park: Park, gap: GapLink, context: LeadContext,
         scored: dict[str, float] | None = None) -> Lead:
    """The person as a lead for the park on `gap`, from their points if already `scored`."""
    scored = scored or points(person, park, context)
    terms = [ScoreTerm(term=name, points=value,
                       zh=(text := term_text(name, person, park, context))[0], en=text[1])
             for name, value in scored.items()]
    where_zh, where_en = _where(person, gap, context)
    why = Bilingual(zh="；".join([where_zh, *(t.zh for t in terms)]) + "。",
                    en="; ".join([where_en[0].upper() + where_en[1:], *(t.en for t in terms)]) + ".")
    return Lead(person_id=person.id, score=round(sum(scored.values()), 2), terms=terms, why=why)


def park_leads(park: Park, gaps: list[GapLink], people: Iterable[PersonFacts],
               context: LeadContext, computed_at: datetime) -> ParkLeads:
    """The best `KEPT_PER_LINK` leads of every gap, best first (ties by id, so that the same
    facts rank the same), and how many there are: scored first, and only those kept are
    written out in words."""
    candidates = [person for person in people if may_be_lead(person)]
    links = []
    for gap in gaps:
        scored = [(person, points(person, park, context)) for person in candidates
                  if on_link(person, gap)]
        ranked = sorted(scored, key=lambda found: (-round(sum(found[1].values()), 2),
                                                   found[0].id))
        links.append(LinkLeads(sector=gap.sector, chain=gap.chain, link=gap.link, role=gap.role,
                               leads=[lead(person, park, gap, context, terms)
                                      for person, terms in ranked[:KEPT_PER_LINK]],
                               total=len(ranked)))
    return ParkLeads(park_id=park.id, park_name=park.name, computed_at=computed_at, links=links)


def best(leads: ParkLeads, per_link: int) -> ParkLeads:
    """The best `per_link` of each link; `total` still counts them all."""
    return leads.model_copy(update={"links": [
        link.model_copy(update={"leads": link.leads[:per_link]}) for link in leads.links]})


def fingerprint(leads: ParkLeads) -> str:
    """What a `LeadsComputed` would say, but when: the same leads computed again publish
    nothing."""
    published = best(leads, PUBLISHED_PER_LINK).model_dump_json(exclude={"computed_at"})
    return hashlib.sha256(published.encode()).hexdigest()
