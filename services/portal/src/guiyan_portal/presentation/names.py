"""The name of anything stored as a code, in the page's language: the city's taxonomy names its
counties, facilities, sectors, chains and links; the catalogue names the rest. A code itself is
never shown."""

from __future__ import annotations

import logging
from typing import get_args

from guiyan_contracts.models import (
    ChainRole,
    ParkKind,
    ProjectStatus,
    ProposalStatus,
    Role,
    Verdict,
    budget_year,
)
from guiyan_contracts.notification import (
    AttemptOutcome,
    ChannelKind,
    DeliveryStatus,
    Medium,
    NoticeKind,
)
from guiyan_contracts.people import (
    ConsentSource,
    ContactMethod,
    EnterpriseScale,
    Influence,
    PersonRole,
    PersonStatus,
    StationLevel,
    TaskStatus,
)
from guiyan_contracts.regions import province_name
from guiyan_contracts.taxonomy import Kind, Taxonomy

from ..i18n import translations

log = logging.getLogger(__name__)
TAXONOMY_KINDS = frozenset(get_args(Kind))


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


# kind → code → message id (English)
CATALOGUE_NAMES: dict[str, dict[str, str]] = {
    "park_kind": {ParkKind.incubator: N_("Incubator"),  # 孵化基地
                  ParkKind.return_home_park: N_("Return-home entrepreneurship park"),  # 返乡创业园
                  ParkKind.industrial_cluster: N_("Industrial cluster"),  # 产业集聚区
                  ParkKind.chemical_park: N_("Chemical park")},  # 化工园区
    "resource": {"floor_m2": N_("Floor space"), "land_mu": N_("Land"),
                 "slots": N_("Incubator slots"), "subsidy_yuan": N_("Subsidy budget")},
    "chain_role": {ChainRole.fill_gap: N_("Fills a gap in the chain"),  # 补链
                   ChainRole.extend: N_("Extends the chain"),  # 延链
                   ChainRole.strengthen: N_("Strengthens the chain"),  # 强链
                   ChainRole.same_sector: N_("Same sector")},
    "proposal_status": {ProposalStatus.offered: N_("Offered"), ProposalStatus.accepted: N_("Accepted"),
                        ProposalStatus.rejected: N_("Rejected"), ProposalStatus.expired: N_("Expired"),
                        ProposalStatus.withdrawn: N_("Withdrawn")},
    "project_status": {ProjectStatus.submitted: N_("Submitted"), ProjectStatus.proposed: N_("Proposed"),
                       ProjectStatus.placed: N_("Placed"), ProjectStatus.unplaced: N_("Not placed"),
                       ProjectStatus.withdrawn: N_("Withdrawn")},
    "verdict": {Verdict.score: N_("Lower score"), Verdict.capacity: N_("Not enough room"),
                Verdict.budget: N_("Over the subsidy budget"), Verdict.outbid: N_("Outbid"),
                Verdict.rule: N_("Ruled out")},
    "score_term": {"chain_role": N_("Chain role"), "hometown": N_("Hometown county"),
                   "jobs": N_("Jobs"), "investment_intensity": N_("Investment intensity"),
                   "tax_per_mu": N_("Tax per mu"), "preference": N_("Project's preference")},
    "subsidy_item": {"rent": N_("Rent subsidy"), "fees": N_("Fee subsidy"),
                     "one_off": N_("One-off start-up subsidy"), "per_job": N_("Per-job subsidy")},
    "role": {Role.admin: N_("Administrator"), Role.staff: N_("Investment promotion staff"),
             Role.park_manager: N_("Park manager"), Role.leader: N_("City leader"),  # 领导
             Role.station: N_("Service station head")},  # 站长
    "station_level": {StationLevel.city: N_("City-level station"),  # 市级服务站
                      StationLevel.county: N_("County-level station")},  # 县级服务站
    "person_status": {PersonStatus.away: N_("Working away"),  # 在外
                      PersonStatus.returned: N_("Returned home"),  # 已返乡
                      PersonStatus.founder: N_("Returned and founded a business")},  # 返乡创业
    "person_role": {PersonRole.worker: N_("Employee"), PersonRole.manager: N_("Manager"),
                    PersonRole.entrepreneur: N_("Business owner")},
    "enterprise_scale": {EnterpriseScale.micro: N_("Micro enterprise"),
                         EnterpriseScale.small: N_("Small enterprise"),
                         EnterpriseScale.medium: N_("Medium-sized enterprise"),
                         EnterpriseScale.large: N_("Large enterprise")},
    "influence": {Influence.general: N_("General"), Influence.notable: N_("Notable"),
                  Influence.key: N_("Key person")},  # 重点人士
    "consent_source": {ConsentSource.written: N_("Signed form"),
                       ConsentSource.online: N_("Online form"),
                       ConsentSource.phone: N_("Said on a call"),
                       ConsentSource.station: N_("Collected by their station")},
    "contact_method": {ContactMethod.visit: N_("Visit"), ContactMethod.call: N_("Phone call"),
                       ContactMethod.greeting: N_("Festival greeting"),
                       ContactMethod.meeting: N_("Meeting or forum"),
                       ContactMethod.letter: N_("Letter, text or email")},
    "task_status": {TaskStatus.open: N_("Open"), TaskStatus.done: N_("Done"),
                    TaskStatus.cancelled: N_("Cancelled")},
    # matching's eligibility rules, as a park verdict names them
    "rule": {"sector": N_("Sector not taken"), "park_kind": N_("Not for this kind of park"),
             "forbidden": N_("Rejected before"), "chemical_park": N_("Needs a certified chemical park"),
             "investment_intensity": N_("Investment intensity too low"),
             "tax_per_mu": N_("Tax per mu too low"), "incubator_window": N_("Registered too long ago"),
             "facilities": N_("Facilities missing"), "space_kind": N_("Wrong kind of space")},
    "notice_kind": {NoticeKind.proposal_offered: N_("A proposal to decide"),
                    NoticeKind.proposal_reminded: N_("A reminder to decide"),
                    NoticeKind.proposal_accepted: N_("A proposal accepted"),
                    NoticeKind.proposal_rejected: N_("A proposal rejected"),
                    NoticeKind.proposal_expired: N_("A proposal lapsed"),
                    NoticeKind.proposal_withdrawn: N_("A proposal withdrawn"),
                    NoticeKind.project_unplaced: N_("A project no park could take"),
                    NoticeKind.task_assigned: N_("A follow-up task"),
                    NoticeKind.channel_failing: N_("A robot or webhook failing")},
    "medium": {Medium.inbox: N_("Inbox"), Medium.email: N_("Mail"),
               Medium.dingtalk: N_("DingTalk"), Medium.wecom: N_("WeCom"),
               Medium.webhook: N_("Webhook")},
    "channel_kind": {ChannelKind.dingtalk: N_("DingTalk robot"),  # 钉钉机器人
                     ChannelKind.wecom: N_("WeCom robot"),  # 企业微信机器人
                     ChannelKind.webhook: N_("Webhook")},
    "delivery_status": {DeliveryStatus.pending: N_("Waiting"), DeliveryStatus.sending: N_("Sending"),
                        DeliveryStatus.sent: N_("Sent"), DeliveryStatus.failed: N_("Failed"),
                        DeliveryStatus.skipped: N_("Nowhere to send"),
                        DeliveryStatus.cancelled: N_("Cancelled")},
    "attempt_outcome": {AttemptOutcome.sent: N_("Delivered"),
                        AttemptOutcome.transient: N_("Failed, to be tried again"),
                        AttemptOutcome.throttled: N_("Asked to wait, to be tried again"),
                        AttemptOutcome.permanent: N_("Refused, not tried again"),
                        AttemptOutcome.unknown: N_("Outcome unknown")},
    "sector_tier": {"leading": N_("Leading industry"), "advantage": N_("Advantage industry"),
                    "emerging": N_("Emerging industry"), "county": N_("County speciality")},
}


# What notification's adapters write of a failure that has no receiver's words in it (a robot's
# own `errmsg` is shown as it came): each said in the reader's language.
ATTEMPT_ERRORS = {
    "timed out": N_("No answer in time"), "connection failed": N_("Could not connect"),
    "transport error": N_("The connection broke off"),
    "unreadable answer": N_("An answer that could not be read"),
    "unsupported URL scheme": N_("Not an http or https address"),
    "connection closed by the server": N_("The mail server closed the connection"),
    "the server does not offer STARTTLS or AUTH as configured":
        N_("The mail server does not offer STARTTLS or sign-in as set up"),
    "the server's TLS certificate is not trusted":
        N_("The mail server's certificate is not trusted"),
    "the message's headers cannot be written":
        N_("The message's subject or addresses cannot be written"),
}


def attempt_error(error: str, locale: str) -> tuple[str, bool]:
    """An attempt's error in the reader's language, and True, when Guiyan wrote it; a receiver's
    own words as they came, and False."""
    known = ATTEMPT_ERRORS.get(error.split(" (", 1)[0])
    return (translations(locale).gettext(known), True) if known else (error, False)


def name(taxonomy: Taxonomy | None, kind: str, code: str, locale: str, *, sector: str | None = None,
         chain: str | None = None) -> str:
    """`kind` is a taxonomy kind (county, facility, sector, chain, link: a chain needs its
    sector, a link its sector and chain), a province, or one of `CATALOGUE_NAMES`. A code none
    knows is logged and shown as "unknown", never as itself."""
    if kind == "province":
        known = province_name(code, locale)
    elif kind == "resource" and (year := budget_year(code)) is not None:
        # each year's subsidy budget is a resource of its own (2027年补贴预算)
        known = translations(locale).gettext("Subsidy budget for %(year)s") % {"year": year}
    elif kind in TAXONOMY_KINDS:
        known = taxonomy.name(kind, code, locale, sector=sector, chain=chain) if taxonomy else None
    else:
        message = CATALOGUE_NAMES.get(kind, {}).get(code)
        known = translations(locale).gettext(message) if message else None
    if known is None:
        log.warning("no %s name for %s %r", locale, kind, code)
        return translations(locale).gettext("(unknown)")
    return known
