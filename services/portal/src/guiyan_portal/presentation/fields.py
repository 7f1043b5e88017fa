"""Form fields by their labels, and validation errors in the page's language, translated from
each error's type and context (never from its English message)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from guiyan_contracts.envelope import FieldError

from ..i18n import translations
from .formats import number
from .names import N_

log = logging.getLogger(__name__)

# The fields of ParkFields, ProjectFields and SubsidyPolicy (and the chain links a park hosts).
FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"), "kind": N_("Park kind"), "county": N_("County"),
    "sectors": N_("Sectors"), "hosted_links": N_("Hosted chain links"), "chain": N_("Chain"),
    "link": N_("Chain link"), "floor_m2": N_("Floor space (m²)"), "land_mu": N_("Land (mu)"),
    "incubator_slots": N_("Incubator slots"), "subsidy_policy": N_("Subsidy policy"),
    "annual_subsidy_budget_yuan": N_("Annual subsidy budget (yuan)"),
    "chemical_park_certified": N_("Certified chemical park"),
    "min_investment_yuan_per_mu": N_("Minimum investment intensity (yuan per mu)"),
    "min_tax_yuan_per_mu_year": N_("Minimum tax per mu (yuan a year)"),
    "facilities": N_("Facilities"), "manager_ids": N_("Park managers"),
    "founder": N_("Founder"), "source": N_("Service station"),
    "hometown_county": N_("Founder's hometown county"), "sector": N_("Sector"),
    "investment_yuan": N_("Investment (yuan)"), "jobs": N_("Jobs"),
    "hazardous_process": N_("Hazardous chemical process"),
    "registered_on": N_("Business registration date"),
    "expected_tax_yuan_per_year": N_("Expected tax (yuan a year)"),
    "required_facilities": N_("Required facilities"), "preferred_park_ids": N_("Preferred parks"),
    "ledger_ref": N_("Ledger project number"),
    "rent_yuan_per_m2_month": N_("Rent (yuan per m² a month)"),
    "free_premises_months": N_("Rent-free months"),
    "rent_subsidy_pct_by_year": N_("Rent subsidy by year (%)"),
    "rent_subsidy_cap_yuan_per_m2_month": N_("Rent subsidy cap (yuan per m² a month)"),
    "rent_subsidy_area_cap_m2": N_("Rent subsidy area cap (m²)"),
    "fee_yuan_per_m2_month": N_("Fees (yuan per m² a month)"),
    "fee_subsidy_pct": N_("Fee subsidy (%)"),
    "fee_subsidy_cap_yuan_per_year": N_("Fee subsidy cap (yuan a year)"),
    "one_off_subsidy_yuan": N_("One-off start-up subsidy (yuan)"),
    "one_off_subsidy_with_hires_yuan": N_("One-off subsidy with hires (yuan)"),
    "one_off_hires_threshold": N_("Hires for the higher one-off subsidy"),
    "per_job_subsidy_yuan": N_("Subsidy per job (yuan)"),
    "loan_guarantee_cap_yuan": N_("Start-up loan guarantee cap (yuan)"),
    # StationFields, PersonFields, ContactFields and TaskFields
    "level": N_("Station level"), "host_city": N_("Host city"),
    "host_province": N_("Host province"), "head_name": N_("Station head"),
    "head_phone": N_("Station head's phone"), "contacts": N_("Station contacts"),
    "founded_on": N_("Founded on"), "staff_ids": N_("Staff responsible"),
    "phone": N_("Phone"), "status": N_("Status"), "current_province": N_("Current province"),
    "current_city": N_("Current city"), "role": N_("Role"), "enterprise": N_("Enterprise"),
    "enterprise_scale": N_("Enterprise scale"), "influence": N_("Influence"),
    "station_id": N_("Service station"), "contact_consent": N_("Consents to be contacted"),
    "consent_on": N_("Consent date"), "consent_source": N_("Consent given by"),
    "archive_ref": N_("Archive number"), "method": N_("How"), "on": N_("Date"),
    "with_whom": N_("Contacted by"), "notes": N_("Notes"), "person_id": N_("Person"),
    "task_id": N_("Follow-up task"),
    "assignee_id": N_("Assigned to"), "due_on": N_("Due date"), "lead": N_("Lead"),
    # ChannelFields and a channel's secret
    "park_id": N_("Park"), "user_id": N_("User"), "url": N_("Address (URL)"),
    "secret": N_("Signing secret"), "keyword": N_("Keyword"), "kinds": N_("What it hears"),
    "locale": N_("Language"), "enabled": N_("Enabled"),
}

# error type → message with the context it names; the second, when given, is said when the
# context is missing (an error that came over the bus keeps only its type).
ERROR_MESSAGES: dict[str, tuple[str, ...]] = {
    "missing": (N_("Required"),),
    "string_type": (N_("Enter text"),),
    "string_unicode": (N_("Contains characters that cannot be read"),),
    "string_too_short": (N_("At least %(min_length)s characters"), N_("Too short")),
    "string_too_long": (N_("At most %(max_length)s characters"), N_("Too long")),
    "string_pattern_mismatch": (N_("Not in the expected form"),),
    "too_short": (N_("At least %(min_length)s items"), N_("Too few items")),
    "too_long": (N_("At most %(max_length)s items"), N_("Too many items")),
    "greater_than_equal": (N_("Must be at least %(ge)s"), N_("Too small")),
    "greater_than": (N_("Must be more than %(gt)s"), N_("Too small")),
    "less_than_equal": (N_("Must be at most %(le)s"), N_("Too large")),
    "less_than": (N_("Must be less than %(lt)s"), N_("Too large")),
    "int_type": (N_("Enter a whole number"),), "int_parsing": (N_("Enter a whole number"),),
    "int_from_float": (N_("Enter a whole number"),),
    "float_type": (N_("Enter a number"),), "float_parsing": (N_("Enter a number"),),
    "finite_number": (N_("Enter a number"),),
    "bool_type": (N_("Choose yes or no"),), "bool_parsing": (N_("Choose yes or no"),),
    "date_type": (N_("Enter a date"),), "date_parsing": (N_("Enter a date"),),
    "date_from_datetime_parsing": (N_("Enter a date"),),
    "date_from_datetime_inexact": (N_("Enter a date without a time"),),
    "enum": (N_("Choose one of the options"),), "literal_error": (N_("Choose one of the options"),),
    "list_type": (N_("Choose from the list"),),
    "extra_forbidden": (N_("Not a field of this form"),),
    "value_error": (N_("Not a valid value"),),
    "email": (N_("Not a valid email address"),),
    "url_parsing": (N_("Not a web address"),), "url_scheme": (N_("Use an http or https address"),),
    "url_type": (N_("Not a web address"),), "url_too_long": (N_("This address is too long"),),
    "json_invalid": (N_("The form could not be read"),),
    # the contracts' own checks
    "park_without_capacity": (N_("A park needs floor space or land"),),
    "certified_but_not_chemical_park": (N_("Only a chemical park can be certified"),),
    "project_floor_or_land": (N_("A project needs either floor space or land, not both"),),
    "percentage_out_of_range": (N_("Each percentage must be between 0 and 100"),),
    "station_county_by_level": (N_("A county-level station names its county; a city-level one "
                                   "names none"),),
    "consent_needs_date_and_source": (N_("Consent to be contacted needs its date and how it "
                                         "was given"),),
    "chain_needs_link": (N_("A chain needs its sector and link, and a link its chain"),),
    # registry's checks against the city
    "unknown_county": (N_("Not a county of this city"),),
    "unknown_facility": (N_("Not a facility known in this city"),),
    "unknown_sector": (N_("Not a sector of this city's industry map"),),
    "chain_not_in_sector": (N_("This chain is not part of the chosen sector"),),
    "link_not_in_chain": (N_("This link is not part of the chosen chain"),),
    "unknown_park": (N_("Not a park of this city"),),
    "unknown_user": (N_("Not a user of this city"),),
    "not_a_park_manager": (N_("Not a park manager of this city"),),
    "registration_date_required": (N_("Enter the business registration date"),),
    "unknown_station": (N_("Not a service station of this city"),),
    "unknown_person": (N_("Not a person in this city's records"),),
    "no_consent": (N_("This person has not agreed to be contacted"),),
    "day_ahead": (N_("This day is still to come"),),
    "unknown_staff": (N_("Not a staff member of this city"),),
    # notification's checks of a channel
    "channel_one_owner": (N_("Choose one park or one user"),),
    "keyword_dingtalk_only": (N_("Only a DingTalk robot takes a keyword"),),
    "secret_not_signed": (N_("A WeCom robot has no signing secret: its key is in its address"),),
    "webhook_secret_required": (N_("A webhook needs a secret to sign its messages with"),),
    "url_not_public": (N_("Use a public https address"),),
    "channel_exists": (N_("This id is taken"),),
    # the portal's checks of a query
    "period_reversed": (N_("The end of the period is before its start"),),
    "one_of_two": (N_("Give one of the two, not both"),),
    # registry's checks of an imported ledger
    "duplicate_row": (N_("An earlier row of the ledger is the same project"),),
    "project_withdrawn": (N_("This project was withdrawn and cannot be changed"),),
}
NUMBERS_IN_CONTEXT = ("min_length", "max_length", "ge", "gt", "le", "lt")


def field_label(loc: Sequence[str | int], locale: str) -> str:
    """The label of the innermost named field of `loc`, with the item's number when the error is
    on one item of a list: `["park", "sectors", 1]` → 产业（第2项）."""
    gettext = translations(locale).gettext
    named = [(index, part) for index, part in enumerate(loc) if isinstance(part, str) and part in FIELD_LABELS]
    if not named:
        return gettext("This form")
    where, field = named[-1]
    label = gettext(FIELD_LABELS[field])
    item = next((part for part in loc[where + 1:] if isinstance(part, int)), None)
    return label if item is None else gettext("%(label)s (item %(number)s)") % {"label": label,
                                                                                "number": item + 1}


def field_error(error: Mapping[str, Any] | FieldError, locale: str) -> str:
    """A pydantic error (as `errors()` gives it) or a `FieldError` from a service, in `locale`.
    An error type without a message here is logged and said generically."""
    kind, context = ((error.type, {}) if isinstance(error, FieldError)
                     else (error.get("type", ""), error.get("ctx") or {}))
    gettext = translations(locale).gettext
    if kind in ("string_too_short", "too_short") and context.get("min_length") == 1:
        kind = "missing"  # at least one character or item: the field was left empty
    messages = ERROR_MESSAGES.get(kind)
    if messages is None:
        log.warning("no message for validation error type %r", kind)
        return gettext("Not a valid value")
    message, *without_context = messages
    needed = [key for key in NUMBERS_IN_CONTEXT if f"%({key})s" in message]
    if not needed:
        return gettext(message)
    if not all(key in context for key in needed):
        return gettext(without_context[0])
    return gettext(message) % {key: number(context[key], locale) for key in needed}
