"""Reading, writing and neutralising ledgers, without any service."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import Workbook, load_workbook

from guiyan_contracts.models import (
    Bilingual,
    ChainRole,
    Park,
    Project,
    ProjectFields,
    Proposal,
    ProposalStatus,
)
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_portal.ledgers.columns import PROJECT_COLUMNS, Vocabulary
from guiyan_portal.ledgers.exports import proposals_workbook
from guiyan_portal.ledgers.reader import read_ledger
from guiyan_portal.ledgers.template import template_workbook
from guiyan_portal.ledgers.writer import Heading, add_sheet, new_workbook, saved

PARK = Park(id="hanfu", tenant_id="heze", created_at="2025-01-01T00:00:00Z",
            name="曹县汉服产业返乡创业园", kind="return_home_park", county="caoxian",
            sectors=["textiles_apparel"], floor_m2=80_000)
WORDS = Vocabulary(load_taxonomy("heze"), [PARK])
PROJECT = ProjectFields(name="尧舜汉服设计工作室", founder="张海燕", source="杭州站",
                        hometown_county="caoxian", sector="textiles_apparel", chain="hanfu",
                        link="design_pattern", floor_m2=200, investment_yuan=1_000_000, jobs=8,
                        registered_on=date(2025, 9, 1), required_facilities=["cold_storage"],
                        preferred_park_ids=["hanfu"], ledger_ref="CX-001")


def xlsx(workbook: Workbook) -> bytes:
    return saved(workbook)


def test_a_row_written_in_chinese_reads_back_as_the_same_fields() -> None:
    workbook = new_workbook()
    add_sheet(workbook, "项目台账", [Heading(c.header, c.kind, c.width) for c in PROJECT_COLUMNS],
              [WORDS.cells(PROJECT.model_dump())])
    sheet = load_workbook(io.BytesIO(xlsx(workbook))).active
    assert sheet["E2"].value == "曹县" and sheet["P2"].value == "冷库"
    assert sheet.freeze_panes == "A2" and sheet["K2"].number_format == "#,##0"
    assert sheet["N2"].is_date
    ledger = read_ledger("台账.xlsx", xlsx(workbook))
    fields = WORDS.fields(ledger.rows[0].cells)
    assert ProjectFields.model_validate(fields) == PROJECT


def test_headers_in_any_order_below_a_title_with_merged_cells_blank_rows_and_a_stray_sheet() -> None:
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active["A1"] = "本表仅供参考"
    sheet = workbook.create_sheet("2025年台账")
    sheet.append(["曹县返乡创业项目台账"])
    sheet.append(["备注", "家乡县区", "项目名称", "创始人", "投资额"])
    sheet.append([None, "曹县", "甲", "张三", "1,000,000"])
    sheet.append([])
    sheet.append([None, None, "乙", "李四", 2000000])
    sheet.merge_cells("B3:B5")
    ledger = read_ledger("a.xlsx", xlsx(workbook))
    assert [row.number for row in ledger.rows] == [3, 5]
    second = WORDS.fields(ledger.rows[1].cells)
    assert second == {"hometown_county": "caoxian", "name": "乙", "founder": "李四",
                      "investment_yuan": 2_000_000.0}
    assert WORDS.fields(ledger.rows[0].cells)["investment_yuan"] == 1_000_000.0


def test_a_gbk_csv_reads_as_a_utf8_one_does() -> None:
    text = "项目名称,创始人,家乡县区,行业\n汉服工坊,张海燕,曹县,纺织服装\n"
    for encoding in ("gbk", "utf-8-sig"):
        ledger = read_ledger("a.csv", text.encode(encoding))
        assert WORDS.fields(ledger.rows[0].cells) == {
            "name": "汉服工坊", "founder": "张海燕", "hometown_county": "caoxian",
            "sector": "textiles_apparel"}


def test_text_that_starts_like_a_formula_is_written_and_read_as_text() -> None:
    workbook = new_workbook()
    add_sheet(workbook, "s", [Heading("项目名称", "text", 10), Heading("创始人", "text", 10)],
              [["=HYPERLINK(\"http://x\")", "@SUM(A1)"], ["+1", "-2"]])
    sheet = load_workbook(io.BytesIO(xlsx(workbook))).active
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row)
    formula = Workbook()
    formula.active.append(["项目名称", "创始人"])
    formula.active.append(["=1+2", "张三"])
    read = read_ledger("f.xlsx", xlsx(formula))
    assert read.rows[0].cells["name"] == "=1+2"  # kept as typed, never evaluated


def test_the_template_has_instructions_and_drop_downs_from_the_taxonomy() -> None:
    workbook = load_workbook(io.BytesIO(xlsx(template_workbook(WORDS))))
    assert workbook.sheetnames == ["项目台账", "填写说明", "选项"]
    assert workbook["选项"].sheet_state == "hidden"
    lists = {cell.value for column in workbook["选项"].iter_cols() for cell in column}
    assert {"曹县", "纺织服装", "冷库", PARK.name, "是"} <= lists
    validated = {str(v.sqref).split(":")[0][0] for v in
                 workbook["项目台账"].data_validations.dataValidation}
    assert validated == {"E", "F", "G", "H", "M", "P", "Q"}


def test_proposals_are_written_with_names_money_and_dates_and_no_code() -> None:
    offered = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
    project = Project(id="p1", tenant_id="heze", submitted_by="heze-staff",
                      submitted_at=offered, **PROJECT.model_dump())
    proposal = Proposal(
        id="x1", tenant_id="heze", project_id="p1", project_name=PROJECT.name, park_id="hanfu",
        park_name=PARK.name, status=ProposalStatus.withdrawn, score=81.256,
        chain_role=ChainRole.fill_gap, subsidy_yuan=128_000, explanation_zh="补链",
        explanation_en="fills a gap", offered_at=offered,
        withdraw_reason=Bilingual(zh="项目已撤回", en="The project was withdrawn"))
    sheet = load_workbook(io.BytesIO(saved(proposals_workbook(
        [proposal], {"p1": project}, load_taxonomy("heze"))))).active
    row = {sheet.cell(1, column).value: sheet.cell(2, column) for column in
           range(1, sheet.max_column + 1)}
    assert sheet.title == "提议与入驻" and sheet.freeze_panes == "A2"
    assert [row[h].value for h in ("家乡县区", "行业", "产业链", "链上作用", "状态")] == [
        "曹县", "纺织服装", "汉服", "补链", "已撤回"]
    assert (row["补贴（元）"].value, row["补贴（元）"].number_format) == (128_000, "#,##0")
    assert row["投资额（元）"].value == 1_000_000 and row["得分"].value == 81.26
    assert row["提议时间"].is_date and row["提议时间"].value == datetime(2026, 11, 2, 9, 30)
    assert row["撤回原因"].value == "项目已撤回" and row["决定时间"].value is None
