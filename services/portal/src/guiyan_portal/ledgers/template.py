"""The import template of a kind of ledger: its headers, a sheet saying how to fill it in, and
drop-down lists of the city's counties, sectors, chains, links, facilities, parks and stations,
of provinces and of each choice, in Chinese. The lists live on a hidden sheet: a list typed
into a validation is capped at 255 characters, which a city's links pass."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import PROJECTS, Layout, Vocabulary
from .formulas import put_text
from .writer import Heading, add_sheet, new_workbook

LISTS = "选项"
# Rows of the template that carry the drop-downs.
TEMPLATE_ROWS = 5000
# Several facilities or parks go in one cell, so those lists only suggest.
SEVERAL = ("facilities", "parks")


def template_workbook(words: Vocabulary, layout: Layout = PROJECTS) -> Workbook:
    workbook = new_workbook()
    sheet = add_sheet(workbook, layout.sheet,
                      [Heading(c.header, c.kind, c.width) for c in layout.columns], [])
    guide = workbook.create_sheet("填写说明")
    for row, line in enumerate(layout.instructions, start=1):
        guide.cell(row=row, column=1, value=line)
    guide.column_dimensions["A"].width = 110
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    listed = 0
    for index, column in enumerate(layout.columns, start=1):
        names = words.choices(column)
        if not names:
            continue
        listed += 1
        list_column = get_column_letter(listed)
        for row, name in enumerate([column.header, *names], start=1):
            put_text(lists[f"{list_column}{row}"], name)
        validation = DataValidation(
            type="list", allow_blank=True, showErrorMessage=column.kind not in SEVERAL,
            formula1=f"{quote_sheetname(LISTS)}!${list_column}$2:${list_column}${len(names) + 1}")
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    return workbook
