"""The portal's own parts of stations, people and leads, without any service: the station
ranking, months counted back, leads joined to registry's records, and the people's archive
read and written."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pydantic import TypeAdapter, ValidationError

from guiyan_contracts import matching
from guiyan_contracts.models import Bilingual, ChainRole
from guiyan_contracts.people import Person, PersonFields, Station
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_portal.filters import Day
from guiyan_portal.leads import lead_views
from guiyan_portal.ledgers.columns import PEOPLE, PROJECTS, Vocabulary
from guiyan_portal.ledgers.exports import people_workbook
from guiyan_portal.ledgers.reader import read_ledger
from guiyan_portal.ledgers.template import template_workbook
from guiyan_portal.ledgers.writer import saved
from guiyan_portal.periods import months_before
from guiyan_portal.stations import ranked

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def station(station_id: str, name: str) -> Station:
    return Station(id=station_id, tenant_id="heze", created_at=NOW, name=name, level="city",
                   host_city="杭州", host_province="zhejiang", head_name="孙站长")


def figures(station_id: str, placed: int, recommended: int) -> matching.StationPerformance:
    return matching.StationPerformance(station_id=station_id, recommended=recommended,
                                       proposed=recommended, placed=placed, withdrawn=0,
                                       investment_yuan=1e6 * placed, jobs=5 * placed)


def person(person_id: str, consent: bool = True, **overrides: object) -> Person:
    consented = {"consent_on": date(2026, 1, 5), "consent_source": "written"} if consent else {}
    return Person(id=person_id, tenant_id="heze", created_at=NOW, name=f"人{person_id}",
                  hometown_county="caoxian", current_province="zhejiang", current_city="杭州",
                  contact_consent=consent, **consented, **overrides)


HANGZHOU, LHASA, SHANGHAI = (station("hangzhou", "杭州站"), station("lhasa", "拉萨站"),
                             station("shanghai", "上海站"))
WORDS = Vocabulary(load_taxonomy("heze"), [], [HANGZHOU, LHASA])


def test_stations_rank_by_placed_sharing_a_rank_and_those_without_projects_come_last() -> None:
    rows = ranked([HANGZHOU, LHASA, SHANGHAI],
                  [figures("lhasa", 2, 3), figures("hangzhou", 2, 5),
                   figures("杭州站", 9, 9)])  # an old free-text source: no station of the city
    assert [(row.station.id, row.rank, row.placed) for row in rows] == [
        ("hangzhou", 1, 2), ("lhasa", 1, 2), ("shanghai", 3, 0)]
    assert rows[2].recommended == 0 and rows[2].investment_yuan == 0


def test_a_station_alone_is_first() -> None:
    assert [row.rank for row in ranked([SHANGHAI], [])] == [1]


def test_months_back_land_on_the_same_day_or_the_month_s_last() -> None:
    assert months_before(date(2026, 12, 3), 6) == date(2026, 6, 3)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 15) == date(2024, 12, 15)


def test_leads_keep_only_people_registry_has_and_who_consent_now() -> None:
    lead = lambda person_id: matching.Lead(  # noqa: E731
        person_id=person_id, score=1.0, terms=[], why=Bilingual(zh="同链", en="same link"))
    leads = matching.ParkLeads(park_id="p", park_name="园", computed_at=NOW, links=[
        matching.LinkLeads(sector="textiles_apparel", chain="hanfu", link="design_pattern",
                           role=ChainRole.fill_gap, total=3,
                           leads=[lead("kept"), lead("erased"), lead("withdrew")])])
    view = lead_views(leads, [person("kept", phone="13800000000"),
                              person("withdrew", consent=False)])
    [link] = view.links
    assert [each.person.id for each in link.leads] == ["kept"]
    assert "phone" not in link.leads[0].person.model_dump()


def test_an_archive_row_written_in_chinese_reads_back_as_the_same_person() -> None:
    fields = PersonFields(name="刘在外", phone="13800000001", status="founder",
                          hometown_county="caoxian", current_province="guangxi",
                          current_city="南宁", sector="textiles_apparel", chain="hanfu",
                          link="design_pattern", role="entrepreneur", enterprise="汉韵",
                          enterprise_scale="medium", influence="key", station_id="lhasa",
                          contact_consent=True, consent_on=date(2026, 1, 5),
                          consent_source="station", archive_ref="RZ-001")
    written = people_workbook([Person(id="x", tenant_id="heze", created_at=NOW,
                                      **fields.model_dump())], WORDS)
    sheet = load_workbook(io.BytesIO(saved(written))).active
    row = {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}
    assert (row["服务站"], row["现居省份"], row["人员状态"], row["影响力"], row["同意联系"]) == (
        "拉萨站", "广西壮族自治区", "返乡创业", "重点人士", "是")
    ledger = read_ledger("档案.xlsx", saved(written), PEOPLE)
    assert PersonFields.model_validate(WORDS.fields(ledger.rows[0].cells, PEOPLE)) == fields


def test_stations_and_provinces_are_read_by_their_names_and_the_unknown_passed_on() -> None:
    text = "姓名,家乡县区,现居省份,现居城市,服务站\n甲,曹县,浙江,杭州,杭州站\n乙,曹县,浙江省,杭州,无名站\n"
    ledger = read_ledger("a.csv", text.encode("utf-8"), PEOPLE)
    first, second = (WORDS.fields(row.cells, PEOPLE) for row in ledger.rows)
    assert (first["station_id"], first["current_province"]) == ("hangzhou", "zhejiang")
    assert (second["station_id"], second["current_province"]) == ("无名站", "zhejiang")


def test_a_project_ledger_names_its_station_under_the_old_header_too() -> None:
    text = "项目名称,创始人,来源驿站\n汉服工坊,张海燕,拉萨站\n"
    ledger = read_ledger("a.csv", text.encode("utf-8"), PROJECTS)
    assert WORDS.fields(ledger.rows[0].cells)["source"] == "lhasa"


def test_the_people_template_lists_stations_provinces_and_choices() -> None:
    workbook = load_workbook(io.BytesIO(saved(template_workbook(WORDS, PEOPLE))))
    assert workbook.sheetnames == ["人员档案", "填写说明", "选项"]
    lists = {cell.value for column in workbook["选项"].iter_cols() for cell in column}
    assert {"拉萨站", "浙江省", "返乡创业", "重点人士", "书面", "曹县"} <= lists


def test_a_template_lists_station_names_as_text_whatever_was_typed_into_them() -> None:
    typed = [station("odd", "杭\x02州站"), station("formula", '=HYPERLINK("http://x","站")')]
    workbook = load_workbook(io.BytesIO(saved(template_workbook(
        Vocabulary(load_taxonomy("heze"), [], typed), PEOPLE))))
    listed = [cell for column in workbook["选项"].iter_cols() for cell in column]
    assert "杭州站" in {cell.value for cell in listed}
    (formula,) = [cell for cell in listed if str(cell.value).startswith("=HYPERLINK")]
    assert formula.data_type == "s"


@pytest.mark.parametrize("written", ["0", "1700000000", "2026-1-5", "12/01/2026", "2026-13-01"])
def test_a_day_in_a_query_is_written_as_a_day_never_read_as_seconds_since_1970(written) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Day).validate_python(written)
    assert TypeAdapter(Day).validate_python("2026-12-01") == date(2026, 12, 1)
