"""The import template: the ledger's headers, a sheet saying how to fill it in, and drop-down
lists of the city's counties, sectors, chains, links and facilities (and its parks), in
Chinese. The lists live on a hidden sheet: a list typed into a validation is capped at 255
characters, which a city's links pass."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import NO, PROJECT_COLUMNS, YES, Vocabulary
from .writer import Heading, add_sheet, new_workbook

LISTS = "选项"
# Rows of the template that carry the drop-downs.
TEMPLATE_ROWS = 5000
INSTRUCTIONS = (
    "填写说明",
    "1. 每行一个项目；表头按名称识别，列的顺序可以调整，其他列会被忽略，空行会被跳过。",
    "2. 项目编号是本台账自己的编号：再次导入时按它找到已导入的项目并更新；没有编号时按项目名称、创始人和来源驿站识别。",
    "3. 家乡县区、行业、产业链、环节、所需设施、意向园区请从下拉列表中选择，也可填写系统代码。",
    "4. 需求面积（平方米）与需求土地（亩）二者填且只填一项；需求面积的项目须填写工商注册日期。",
    "5. 金额以元为单位填写数字；日期填写为日期（如 2025-09-01）。",
    "6. 所需设施和意向园区可填多项，用顿号“、”分隔。",
    "7. 以 =、+、-、@ 开头的内容按文字保存，不会作为公式计算。",
    "8. 导入前可先“试导入”：只检查、不保存，并逐行列出错误。",
)


def template_workbook(words: Vocabulary) -> Workbook:
    workbook = new_workbook()
    sheet = add_sheet(workbook, "项目台账",
                      [Heading(c.header, c.kind, c.width) for c in PROJECT_COLUMNS], [])
    guide = workbook.create_sheet("填写说明")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=line)
    guide.column_dimensions["A"].width = 110
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    taxonomy = words.taxonomy
    choices = {
        "hometown_county": [zh for _, zh, _ in taxonomy.counties],
        "sector": [s.zh for s in taxonomy.sectors],
        "chain": list(dict.fromkeys(c.zh for s in taxonomy.sectors for c in s.chains)),
        "link": list(dict.fromkeys(zh for s in taxonomy.sectors for c in s.chains
                                   for _, zh, _ in c.links)),
        "hazardous_process": [YES, NO],
        "required_facilities": [zh for _, zh, _ in taxonomy.facilities],
        "preferred_park_ids": sorted(words.park_names.values()),
    }
    listed = 0
    for index, column in enumerate(PROJECT_COLUMNS, start=1):
        names = choices.get(column.field)
        if not names:
            continue
        listed += 1
        list_column = get_column_letter(listed)
        for row, name in enumerate([column.header, *names], start=1):
            lists[f"{list_column}{row}"] = name
        # Several facilities or parks go in one cell, so those lists only suggest.
        single = column.field not in ("required_facilities", "preferred_park_ids")
        validation = DataValidation(
            type="list", allow_blank=True, showErrorMessage=single,
            formula1=f"{quote_sheetname(LISTS)}!${list_column}$2:${list_column}${len(names) + 1}")
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    return workbook
