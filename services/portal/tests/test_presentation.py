"""What pages show, per language: amounts in the units readers count in, dates as they write them,
names rather than codes, and validation errors translated from their type."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import (
    Bilingual,
    ChainRole,
    ParkFields,
    ParkKind,
    ProjectFields,
    ProjectStatus,
    ProposalStatus,
    Role,
    SubsidyPolicy,
    Verdict,
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
from guiyan_contracts.regions import PROVINCES
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_portal.presentation.bilingual import said
from guiyan_portal.presentation.fields import ERROR_MESSAGES, field_error, field_label
from guiyan_portal.presentation.formats import area_m2, date, datetime, land_mu, money
from guiyan_portal.presentation.names import CATALOGUE_NAMES, name
from guiyan_portal.presentation.templating import page_context, template_environment

HEZE = load_taxonomy("heze")
CJK = r"[\u4e00-\u9fff]"


@pytest.mark.parametrize(("yuan", "zh", "en"), [
    (930_000, '<span title="930,000 元">93.0万元</span>', '<span title="¥930,000">¥930,000</span>'),
    (9_300, '<span title="9,300 元">9,300元</span>', '<span title="¥9,300">¥9,300</span>'),
    (126_800_000, '<span title="126,800,000 元">1.27亿元</span>',
     '<span title="¥126,800,000">¥126.80 million</span>'),
    (12_345_678.4, '<span title="12,345,678 元">1,234.6万元</span>',
     '<span title="¥12,345,678">¥12.35 million</span>'),
])
def test_money_is_in_wan_for_chinese_readers_and_in_yuan_for_english_ones(yuan, zh, en) -> None:
    assert (str(money(yuan, "zh")), str(money(yuan, "en"))) == (zh, en)


def test_areas_in_square_metres_and_land_in_mu() -> None:
    assert area_m2(1200, "zh") == area_m2(1200, "en") == "1,200 m²"
    assert (land_mu(30, "zh"), land_mu(30.5, "en")) == ("30 亩", "30.5 mu")


def test_dates_and_times_as_each_language_writes_them_in_the_city_s_time() -> None:
    assert (date(dt.date(2026, 12, 2), "zh"), date(dt.date(2026, 12, 2), "en")) == ("2026年12月2日", "Dec 2, 2026")
    late_utc = dt.datetime(2026, 12, 1, 17, 5, tzinfo=dt.UTC)  # already the 2nd in Shanghai
    assert datetime(late_utc, "zh") == "2026年12月2日 01:05"
    assert datetime(late_utc.replace(tzinfo=None), "en") == "Dec 2, 2026 01:05"


def test_taxonomy_codes_are_named_from_the_taxonomy() -> None:
    assert name(HEZE, "county", "caoxian", "zh") == "曹县"
    assert name(HEZE, "county", "mudan", "en") == "Mudan District"
    assert name(HEZE, "link", "wigs", "en", sector="textiles_apparel", chain="hair_products") == "Wigs"


@pytest.mark.parametrize(("kind", "codes"), [
    ("park_kind", list(ParkKind)), ("chain_role", list(ChainRole)), ("proposal_status", list(ProposalStatus)),
    ("project_status", list(ProjectStatus)), ("verdict", list(Verdict)), ("role", list(Role)),
    ("resource", ["floor_m2", "land_mu", "slots", "subsidy_yuan"]),
    ("score_term", ["chain_role", "hometown", "jobs", "investment_intensity", "tax_per_mu", "preference"]),
    ("subsidy_item", ["rent", "fees", "one_off", "per_job"]),
    ("station_level", list(StationLevel)), ("person_status", list(PersonStatus)),
    ("person_role", list(PersonRole)), ("enterprise_scale", list(EnterpriseScale)),
    ("influence", list(Influence)), ("consent_source", list(ConsentSource)),
    ("contact_method", list(ContactMethod)), ("task_status", list(TaskStatus)),
])
def test_every_code_outside_the_taxonomy_has_a_name_in_both_languages(kind, codes) -> None:
    assert set(CATALOGUE_NAMES[kind]) == {str(code) for code in codes}
    for code in codes:
        zh, en = name(HEZE, kind, code, "zh"), name(HEZE, kind, code, "en")
        assert zh != en and code not in (zh, en)
        assert re.search(CJK, zh) and not re.search(CJK, en)
    assert name(HEZE, "park_kind", "return_home_park", "zh") == "返乡创业园"
    assert name(HEZE, "resource", "floor_m2", "en") == "Floor space"


def test_each_years_subsidy_budget_is_named_by_its_year() -> None:
    assert name(HEZE, "resource", "subsidy_yuan:2027", "zh") == "2027年补贴预算"
    assert name(HEZE, "resource", "subsidy_yuan:2027", "en") == "Subsidy budget for 2027"


def test_a_province_is_named_in_the_page_language() -> None:
    for code in PROVINCES:
        zh, en = name(HEZE, "province", code, "zh"), name(HEZE, "province", code, "en")
        assert re.search(CJK, zh) and not re.search(CJK, en) and code not in (zh, en)
    assert name(HEZE, "province", "zhejiang", "zh") == "浙江省"


def test_an_unknown_code_is_logged_and_never_shown(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        assert name(HEZE, "county", "atlantis", "zh") == "（未知）"
        assert name(HEZE, "park_kind", "spaceport", "en") == "(unknown)"
        assert name(None, "sector", "biomedicine", "en") == "(unknown)"
    assert "atlantis" in caplog.text and "spaceport" in caplog.text


def errors_of(model, **fields) -> list[dict]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(fields)
    return raised.value.errors()


PROJECT = {"name": "归雁汉服", "founder": "王芳", "source": "杭州站", "hometown_county": "caoxian",
           "sector": "textiles_apparel", "chain": "hanfu", "link": "embroidery", "investment_yuan": 1e6,
           "jobs": 12, "floor_m2": 300}


def test_pydantic_errors_are_translated_from_their_type_and_context() -> None:
    too_short, = errors_of(ProjectFields, **{**PROJECT, "name": ""})
    assert field_label(too_short["loc"], "zh") == "名称"
    assert (field_error(too_short, "zh"), field_error(too_short, "en")) == ("必填", "Required")
    short = {**too_short, "ctx": {"min_length": 2}}
    assert (field_error(short, "zh"), field_error(short, "en")) == ("不能少于 2 个字", "At least 2 characters")
    negative, = errors_of(ProjectFields, **{**PROJECT, "jobs": -1})
    assert (field_label(negative["loc"], "zh"), field_error(negative, "zh")) == ("吸纳就业", "不能小于 0")
    not_a_number, = errors_of(ProjectFields, **{**PROJECT, "investment_yuan": "many"})
    assert field_error(not_a_number, "zh") == "请填写数字"
    missing, = errors_of(ProjectFields, **{k: v for k, v in PROJECT.items() if k != "founder"})
    assert (field_label(missing["loc"], "en"), field_error(missing, "en")) == ("Founder", "Required")


@pytest.mark.parametrize(("model", "fields", "zh"), [
    (ProjectFields, {**PROJECT, "land_mu": 20}, "项目须填写场地面积或用地其中一项，不能同时填写"),
    (ParkFields, {"name": "园", "kind": "incubator", "county": "caoxian", "sectors": ["biomedicine"]},
     "园区须有场地面积或用地"),
    (ParkFields, {"name": "园", "kind": "incubator", "county": "caoxian", "sectors": ["biomedicine"],
                  "floor_m2": 100, "chemical_park_certified": True}, "只有化工园区才能被认定"),
    (SubsidyPolicy, {"rent_subsidy_pct_by_year": [100, 150]}, "每个百分比须在 0 到 100 之间"),
])
def test_the_contracts_own_checks_are_translated_by_type(model, fields, zh) -> None:
    error, = errors_of(model, **fields)
    assert error["type"] in ERROR_MESSAGES
    assert field_error(error, "zh") == zh


def test_an_error_from_a_service_is_translated_without_its_context() -> None:
    unknown = FieldError(loc=["park", "county"], msg="unknown county 'atlantis'", type="unknown_county")
    assert (field_label(unknown.loc, "zh"), field_error(unknown, "zh")) == ("县区", "不是本市的县区")
    too_long = FieldError(loc=["project", "name"], msg="String should have at most 200 characters",
                          type="string_too_long")
    assert field_error(too_long, "en") == "Too long"
    odd = FieldError(loc=["body"], msg="something new", type="a_type_not_seen_before")
    assert (field_label(odd.loc, "en"), field_error(odd, "zh")) == ("This form", "填写的内容无效")


def test_an_error_on_one_item_of_a_list_names_the_item() -> None:
    assert field_label(["park", "sectors", 1], "zh") == "产业（第2项）"
    assert field_label(["body", "park", "hosted_links", 0, "link"], "en") == "Chain link"
    assert field_label(["park", "facilities", 2], "en") == "Facilities (item 3)"


def test_every_field_a_park_or_project_form_holds_has_a_label() -> None:
    for model in (ParkFields, ProjectFields, SubsidyPolicy):
        for field in model.model_fields:
            zh, en = field_label([field], "zh"), field_label([field], "en")
            assert zh not in ("本表", field) and en not in ("This form", field), (model.__name__, field)


def test_a_page_renders_in_its_language_and_escapes_what_it_shows(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '{{ _("Floor space") }}|{{ money(930000) }}|{{ area(1200) }}|{{ land(30) }}|'
        '{{ name("county", "caoxian") }}|{{ date(day) }}|{{ ngettext("%(num)s item", "%(num)s items", 2) }}|'
        '{{ _("%(label)s (item %(number)s)", label=park, number=2) }}|{{ park }}', "utf-8")
    environment = template_environment(tmp_path)
    request = Request({"type": "http", "headers": []})
    for locale, expected in [
        ("zh", '场地面积|<span title="930,000 元">93.0万元</span>|1,200 m²|30 亩|曹县|2026年12月2日|2 items|'
               '&lt;b&gt;园&lt;/b&gt;（第2项）|&lt;b&gt;园&lt;/b&gt;'),
        ("en", 'Floor space|<span title="¥930,000">¥930,000</span>|1,200 m²|30 mu|Cao County|Dec 2, 2026|2 items|'
               '&lt;b&gt;园&lt;/b&gt; (item 2)|&lt;b&gt;园&lt;/b&gt;'),
    ]:
        page = environment.get_template("page.html").render(
            page_context(request, locale, HEZE), day=dt.date(2026, 12, 2), park="<b>园</b>")
        assert page == expected


def test_text_written_in_both_languages_is_shown_in_the_reader_s_only() -> None:
    reason = Bilingual(zh="项目已撤回", en="the project was withdrawn")
    assert (said(reason, "zh"), said(reason, "en")) == ("项目已撤回", "the project was withdrawn")
    proposal = {"explanation_zh": "补链", "explanation_en": "fills a missing link"}
    assert said(proposal, "en", "explanation") == "fills a missing link"
    assert said({"reason_zh": None}, "zh", "reason") == ""
