"""Why a plan looks the way it does, in words a park manager reads: Chinese first, then English.

An offer is explained by its score terms, its subsidy computation (each item at its tier of
support, and what each budget year is charged), the capacities it uses and the runners-up; an
unplaced project by a verdict per park.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from guiyan_contracts.models import (
    ChainRole,
    Explanation,
    Park,
    ParkVerdict,
    Project,
    ResourceUse,
    ScoreTerm,
    SubsidyLine,
    Verdict,
    budget_year,
)
from guiyan_contracts.taxonomy import Taxonomy

from .pairing import Pairing
from .policy import Policy
from .rules import Reason, capacity, investment_per_mu, subsidy_items, tax_per_mu
from .support import Support, Tier, support_tiers
from .wording import SUPPORT_TIERS, named, quantity, resource_name, yuan_zh

ROLE_TEXT = {
    ChainRole.fill_gap: ("补链：园区产业链缺少这一环节", "fills a missing link in the park's chain"),
    ChainRole.extend: ("延链：向园区产业链上下游延伸", "extends the park's chain up- or downstream"),
    ChainRole.strengthen: ("强链：壮大园区已有环节", "strengthens a link the park already hosts"),
    ChainRole.same_sector: ("同产业：园区承接该产业", "same sector as the park"),
}
MAX_RUNNERS_UP = 5
MAX_NAMED_PARKS = 5  # in an unplaced project's one-line reason
MAX_VERDICTS = 100  # stored per unplaced project: a province has too many parks to list them all
EPSILON = 1e-6


# --- score terms -------------------------------------------------------------------------------

def term_text(name: str, pairing: Pairing, taxonomy: Taxonomy) -> tuple[str, str]:
    project, park = pairing.project, pairing.park
    if name == "chain_role" and pairing.filled_by is not None:
        first = pairing.filled_by.name
        return (f"强链：同批推荐的「{first}」补上园区缺少的这一环节，补链只计一次",
                f"strengthens the link that {first}, offered in the same plan, fills: "
                "a missing link is credited once")
    if name == "chain_role":
        return ROLE_TEXT[pairing.role]
    if name == "hometown":
        county_zh, county_en = named(taxonomy, "county", park.county)
        return (f"创业者家乡在园区所在县区（{county_zh}）",
                f"the founder's hometown county is the park's ({county_en})")
    if name == "jobs":
        return f"吸纳就业{project.jobs}人", f"{project.jobs} jobs"
    if name == "investment_intensity":
        per_mu = investment_per_mu(project)
        return f"投资强度{yuan_zh(per_mu)}/亩", f"investment intensity {per_mu:,.0f} yuan/mu"
    if name == "tax_per_mu":
        per_mu = tax_per_mu(project)
        return f"预计亩均税收{yuan_zh(per_mu)}/年", f"expected tax {per_mu:,.0f} yuan/mu a year"
    choices = project.preferred_park_ids  # preference
    rank = choices.index(park.id) + 1
    return (f"项目方第{rank}意向园区（共{len(choices)}个）",
            f"the project's choice no. {rank} of {len(choices)}")


def score_lines(pairing: Pairing, taxonomy: Taxonomy) -> list[ScoreTerm]:
    return [ScoreTerm(term=name, points=round(points, 2), zh=(text := term_text(name, pairing, taxonomy))[0],
                      en=text[1]) for name, points in pairing.terms.items()]


# --- subsidy -----------------------------------------------------------------------------------

def subsidy_text(item: str, project: Project, park: Park) -> tuple[str, str]:
    policy = park.subsidy_policy
    years = len(policy.rent_subsidy_pct_by_year)
    if item == "rent":
        area = min(project.floor_m2, policy.rent_subsidy_area_cap_m2)
        shares = "/".join(f"{p:g}%" for p in policy.rent_subsidy_pct_by_year)
        return (f"租金补贴：{area:,.0f}m²（面积上限{policy.rent_subsidy_area_cap_m2:,.0f}m²），"
                f"免租{policy.free_premises_months}个月按{policy.rent_yuan_per_m2_month:g}元/m²/月全额计，"
                f"其余月份按第1–{years}年比例{shares}补贴（单价上限{policy.rent_subsidy_cap_yuan_per_m2_month:g}元/m²/月）",
                f"rent: {area:,.0f} m² (area cap {policy.rent_subsidy_area_cap_m2:,.0f} m²), "
                f"{policy.free_premises_months} free months in full at {policy.rent_yuan_per_m2_month:g} "
                f"yuan/m²/month, other months at the share for years 1–{years}: {shares} "
                f"(capped at {policy.rent_subsidy_cap_yuan_per_m2_month:g} yuan/m²/month)")
    if item == "fees":
        return (f"物业等费用补贴：{policy.fee_yuan_per_m2_month:g}元/m²/月 × {project.floor_m2:,.0f}m² × "
                f"{policy.fee_subsidy_pct:g}%，每年上限{yuan_zh(policy.fee_subsidy_cap_yuan_per_year)}，共{years}年",
                f"fees: {policy.fee_yuan_per_m2_month:g} yuan/m²/month × {project.floor_m2:,.0f} m² × "
                f"{policy.fee_subsidy_pct:g}%, capped at {policy.fee_subsidy_cap_yuan_per_year:,.0f} "
                f"yuan a year, for {years} years")
    if item == "one_off":
        above = project.jobs > policy.one_off_hires_threshold
        return (f"一次性创业补贴：吸纳就业{project.jobs}人，{'超过' if above else '未超过'}"
                f"{policy.one_off_hires_threshold}人",
                f"one-off start-up subsidy: {project.jobs} hires, "
                f"{'above' if above else 'not above'} {policy.one_off_hires_threshold}")
    return (f"就业补贴：{project.jobs}人 × {yuan_zh(policy.per_job_subsidy_yuan)}",
            f"per job: {project.jobs} × {policy.per_job_subsidy_yuan:,.0f} yuan")


def tier_text(tier: Tier) -> tuple[str, str]:
    tier_zh, tier_en = SUPPORT_TIERS[tier.name]
    return f"按{tier_zh}扶持档次×{tier.multiplier:g}", f"at the tier for {tier_en}, ×{tier.multiplier:g}"


def subsidy_lines(project: Project, park: Park, support: Support) -> list[SubsidyLine]:
    """The items the park's budget is charged, each at its tier of support; none when the park
    runs no subsidy budget."""
    lines = []
    for item, yuan in subsidy_items(project, park, support).items():
        if yuan:
            zh, en = subsidy_text(item, project, park)
            tier_zh, tier_en = tier_text(support[item])
            lines.append(SubsidyLine(item=item, yuan=round(yuan, 2), zh=f"{zh}；{tier_zh}",
                                     en=f"{en}; {tier_en}"))
    return lines


def subsidy_summary(pairing: Pairing, support: Support) -> tuple[str, str]:
    """The whole subsidy, the tiers it is paid at, and what it charges each budget year."""
    years = [(resource, yuan) for resource, yuan in pairing.use.items()
             if budget_year(resource) is not None]
    total = sum(yuan for _, yuan in years)
    if not years:
        return f"预计补贴{yuan_zh(total)}", f"estimated subsidy {total:,.0f} yuan"
    tiers = [SUPPORT_TIERS[name] for name in dict.fromkeys(tier.name for tier in support.values())]
    charged = [quantity(resource, yuan) for resource, yuan in years]
    return (f"预计补贴{yuan_zh(total)}，按{'、'.join(zh for zh, _ in tiers)}档次扶持，"
            f"计入{'、'.join(zh for zh, _ in charged)}",
            f"estimated subsidy {total:,.0f} yuan, at the tier for {' and '.join(en for _, en in tiers)}, "
            f"charged as {', '.join(en for _, en in charged)}")


# --- capacities --------------------------------------------------------------------------------

def resource_lines(pairing: Pairing, room: dict[str, float], slack: dict[str, float],
                   tight_share: float, year: int) -> list[ResourceUse]:
    total = capacity(pairing.park, year)
    return [ResourceUse(resource=r, used=round(used, 2), remaining_before=round(room[r], 2),
                        remaining_after=round(slack[r], 2),
                        tight=slack[r] < tight_share * total[r])
            for r, used in pairing.use.items() if r in room]


def shortfall(use: dict[str, float], free: dict[str, float]) -> list[str]:
    """The resources a project needs more of than is free; the budget first, as it is named first."""
    short = [r for r, amount in use.items() if amount > free.get(r, float("inf")) + EPSILON]
    return sorted(short, key=lambda r: budget_year(r) is None)


# --- verdicts ----------------------------------------------------------------------------------

def rule_verdict(park: Park, reason: Reason) -> ParkVerdict:
    return ParkVerdict(park_id=park.id, park_name=park.name, verdict=Verdict.rule, rule=reason.rule,
                       zh=reason.zh, en=reason.en)


def no_room_verdict(pairing: Pairing, resource: str, free: float, outbid: bool) -> ParkVerdict:
    """`outbid`: the room was there before this plan and went to better-fitting projects."""
    needed_zh, needed_en = quantity(resource, pairing.use[resource])
    free_zh, free_en = quantity(resource, free)
    if budget_year(resource) is not None:
        verdict, zh, en = Verdict.budget, "补贴预算不足", "over its subsidy budget"
    elif outbid:
        verdict, zh, en = (Verdict.outbid, "容量已优先给予得分更高的项目",
                           "outbid for its capacity by better-fitting projects")
    else:
        verdict, zh, en = Verdict.capacity, "剩余容量不足", "not enough room left"
    return ParkVerdict(park_id=pairing.park.id, park_name=pairing.park.name, verdict=verdict,
                       score=pairing.score, zh=f"{zh}（需{needed_zh}，剩{free_zh}）",
                       en=f"{en} (needs {needed_en}; {free_en} left)")


def runner_up_verdict(pairing: Pairing, chosen: Pairing, slack: dict[str, float]) -> ParkVerdict:
    if short := shortfall(pairing.use, slack):
        return no_room_verdict(pairing, short[0], slack[short[0]], outbid=False)
    if pairing.score < chosen.score:
        zh = f"得分{pairing.score:,.0f}，低于{chosen.park.name}的{chosen.score:,.0f}"
        en = f"scores {pairing.score:,.0f}, below {chosen.score:,.0f} at {chosen.park.name}"
    else:  # a tie, or the plan as a whole gains more with the project where it is
        zh = f"得分{pairing.score:,.0f}，但整体方案将其安排在{chosen.park.name}更优"
        en = f"scores {pairing.score:,.0f}, but the plan as a whole does better with it at {chosen.park.name}"
    return ParkVerdict(park_id=pairing.park.id, park_name=pairing.park.name, verdict=Verdict.score,
                       score=pairing.score, zh=zh, en=en)


def unplaced_verdict(pairing: Pairing, room: dict[str, float], slack: dict[str, float]) -> ParkVerdict:
    if short := shortfall(pairing.use, room):
        return no_room_verdict(pairing, short[0], room[short[0]], outbid=False)
    short = shortfall(pairing.use, slack) or sorted(pairing.use)
    return no_room_verdict(pairing, short[0], slack[short[0]], outbid=True)


# --- whole explanations ------------------------------------------------------------------------

def summary(pairing: Pairing, support: Support, resources: list[ResourceUse],
            taxonomy: Taxonomy) -> tuple[str, str]:
    zh = [term_text(name, pairing, taxonomy)[0] for name in pairing.terms]
    en = [term_text(name, pairing, taxonomy)[1] for name in pairing.terms]
    subsidy_zh, subsidy_en = subsidy_summary(pairing, support)
    zh.append(subsidy_zh)
    en.append(subsidy_en)
    if tight := [resource_name(r.resource) for r in resources if r.tight]:
        zh.append(f"此后园区{'、'.join(t[0] for t in tight)}余量紧张")
        en.append(f"the park's {', '.join(t[1] for t in tight)} will be nearly used up")
    return "；".join(zh), "; ".join(en)


def explain_offer(chosen: Pairing, best: list[Pairing], refused_by_rules: Iterable[tuple[Park, Reason]],
                  room: dict[str, dict[str, float]], slack: dict[str, dict[str, float]],
                  policy: Policy, taxonomy: Taxonomy, year: int) -> tuple[Explanation, str, str]:
    """Runners-up: the best-scoring other eligible parks (`best`: the project's best pairs, best
    first, the chosen one perhaps among them), then parks in the sector a later rule excludes
    (`refused_by_rules`, read only as far as there is room for them). `year` is the plan's, the
    first of the commitment's budget years."""
    park_id = chosen.park.id
    support = support_tiers(chosen.project, chosen.role, policy.support)
    resources = resource_lines(chosen, room[park_id], slack[park_id], policy.thresholds.tight_share,
                               year)
    ranked = [o for o in best if o.park.id != park_id]
    runners_up = [runner_up_verdict(o, chosen, slack[o.park.id]) for o in ranked[:MAX_RUNNERS_UP]]
    runners_up += [rule_verdict(park, reason)
                   for park, reason in islice(refused_by_rules, MAX_RUNNERS_UP - len(runners_up))]
    explanation = Explanation(policy_version=policy.version, score_terms=score_lines(chosen, taxonomy),
                              subsidy_lines=subsidy_lines(chosen.project, chosen.park, support),
                              resources=resources, runners_up=runners_up)
    return explanation, *summary(chosen, support, resources, taxonomy)


def explain_unplaced(best: list[Pairing], excluded: list[tuple[Park, Reason]],
                     room: dict[str, dict[str, float]], slack: dict[str, dict[str, float]],
                     ) -> tuple[list[ParkVerdict], str, str]:
    """A verdict per park, up to `MAX_VERDICTS`: `best`, the project's best eligible pairs (best
    first, at most that many), then the parks excluded. The one-line reason names the best
    eligible parks and groups the parks each rule excludes, all of them."""
    verdicts = [unplaced_verdict(p, room[p.park.id], slack[p.park.id]) for p in best[:MAX_VERDICTS]]
    zh = [f"{v.park_name}：{v.zh}" for v in verdicts[:MAX_NAMED_PARKS]]
    en = [f"{v.park_name}: {v.en}" for v in verdicts[:MAX_NAMED_PARKS]]
    verdicts += [rule_verdict(park, reason) for park, reason in excluded[:MAX_VERDICTS - len(verdicts)]]
    by_reason: dict[Reason, list[str]] = {}
    for park, reason in excluded:
        by_reason.setdefault(reason, []).append(park.name)
    for reason, parks in by_reason.items():
        zh.append(f"{reason.zh}：{'、'.join(parks)}")
        en.append(f"{reason.en}: {', '.join(parks)}")
    if not zh:
        zh, en = ["本市暂无园区"], ["the city has no parks yet"]
    return verdicts, "暂无可安置的园区。" + "；".join(zh), "No park can take it now. " + "; ".join(en)
